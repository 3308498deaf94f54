// Ported from nestjs/nest integration/websockets/e2e/scoped-connection-hook-error.spec.ts (vitest upstream).
//
// Only our adapters' rows run. On the installed @nestjs/websockets 12.1.1, Nest's own adapters
// fail this upstream spec (written for a later release) in a way an `it.fails` cannot hold:
// Nest's filter puts the connection's last argument (the socket, or the HTTP request) in the
// payload's `cause`, and encoding it overflows the stack outside the test. Upstream expects
// `exception` { status: 'error', message: 'Unauthorized', cause: { pattern: 'handleConnection' } };
// our documented contract sends event 'connection' and disconnects (a contract difference),
// whether the gateway is request-scoped or not.
//
// Added: the ws row again with the gateway at a path, as in connection-hook-error.spec.ts.
import { describe, expect } from 'vitest';
import { ConnectionState, scopedRejectingGateway } from './gateways/rejecting.gateways.js';
import { SOCKET_IO_ADAPTERS, WS_ADAPTERS } from './support/adapters.js';
import { CONTRACT_CONNECTION_EXCEPTION, REFUSED, socketIoRefusal, wsRefusal } from './support/connection-hook.js';
import { CONTRACT_DIFFERENCES, parityIt, type KnownGaps } from './support/parity.js';
import { useParityApp } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {
};

const it = parityIt(KNOWN_GAPS);
const [, OURS_IO] = SOCKET_IO_ADAPTERS;
const [, OURS_WS] = WS_ADAPTERS;

describe('WebSocketGateway request scope - connection hook errors', () => {
  describe(OURS_IO.name, () => {
    const parity = useParityApp(OURS_IO);

    it.contractDifference(OURS_IO, CONTRACT_DIFFERENCES.connectionRefused, 'should send the exception to a socket.io client', async () => {
      await parity.start({ providers: [ConnectionState, scopedRejectingGateway()] });
      const { exception, reason } = socketIoRefusal(parity);
      expect(await exception).toStrictEqual(CONTRACT_CONNECTION_EXCEPTION);
      expect(await reason).toBe(REFUSED.socketIo);
    });
  });

  describe(OURS_WS.name, () => {
    const parity = useParityApp(OURS_WS);
    const appWsUrl = (path = '') => `${parity.url.replace('http', 'ws')}${path}`;

    it.contractDifference(OURS_WS, CONTRACT_DIFFERENCES.connectionRefused, 'should send the exception to a ws client', async () => {
      await parity.start({ providers: [ConnectionState, scopedRejectingGateway()] });
      const { frame, code } = wsRefusal(parity.ws(appWsUrl()));
      expect(await frame).toStrictEqual({ event: 'exception', data: CONTRACT_CONNECTION_EXCEPTION });
      expect(await code).toBe(REFUSED.ws);
    });

    it.contractDifference(OURS_WS, CONTRACT_DIFFERENCES.connectionRefused, 'on a gateway with a path: should send the exception to a ws client', async () => {
      await parity.start({ providers: [ConnectionState, scopedRejectingGateway({ path: '/ws' })] });
      const { frame, code } = wsRefusal(parity.ws(appWsUrl('/ws')));
      expect(await frame).toStrictEqual({ event: 'exception', data: CONTRACT_CONNECTION_EXCEPTION });
      expect(await code).toBe(REFUSED.ws);
    });
  });
});

describe('known gaps', () => it.everyGapNamesATest());
