import { describe, expect, it } from 'vitest';
import { clusterNodeAddresses } from './io-redis-cluster-numsub.js';

describe('clusterNodeAddresses', () => {
  it('lists the reachable nodes of a CLUSTER NODES reply, masters and replicas, without their bus ports', () => {
    const reply = [
      '07c3 127.0.0.1:30004@40004 slave e7d1 0 1426238317239 4 connected',
      '67ed 127.0.0.1:30002@40002,node-b master - 0 1426238316232 2 connected 5461-10922',
      '292f 127.0.0.1:30003@40003 myself,master - 0 1426238318243 3 connected 10923-16383',
      '6ec2 127.0.0.1:30005@40005 master,fail - 1426238316232 1426238316232 1 disconnected',
      '824f 127.0.0.1:30006@40006 handshake - 0 0 0 connected',
      'e7d1 :0@0 master,noaddr - 0 0 0 disconnected',
      '',
    ].join('\n');
    expect(clusterNodeAddresses(reply)).toEqual(['127.0.0.1:30004', '127.0.0.1:30002', '127.0.0.1:30003']);
  });
});
