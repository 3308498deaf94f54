// Ported from nestjs/nest integration/websockets/e2e/ws-error-gateway.spec.ts (mocha/chai → vitest),
// run over Nest's WsAdapter and RealtimeWsAdapter. Upstream's gateway port 8085 is a free port here.
// Added: the scenario on a gateway at a path (so the gap of a gateway on its own port without a
// path does not hide the payload), and the same gateway class served by a second app.
import { describe, expect } from 'vitest';
import { errorGateway, errorGatewayAt, SharedWsErrorGateway } from './gateways/error.gateways.js';
import { WS_ADAPTERS } from './support/adapters.js';
import { nextFrame, opened, sendFrame } from './support/events.js';
import { CONTRACT_DIFFERENCES, parityIt, type KnownGaps } from './support/parity.js';
import { freePort, useParityApp, wsUrl } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {
};

const it = parityIt(KNOWN_GAPS);
const [NEST, OURS] = WS_ADAPTERS;

const nestFrame = { event: 'exception', data: { status: 'error', message: 'test', cause: { pattern: 'push', data: { test: 'test' } } } };
const contractFrame = {
  event: 'exception',
  data: { status: 'error', code: 'BAD_REQUEST', message: 'test', event: 'push', requestId: expect.any(String) },
};

async function pushError(client: import('ws').WebSocket) {
  await opened(client);
  const reply = nextFrame(client);
  sendFrame(client, 'push', { test: 'test' });
  return reply;
}

describe.each(WS_ADAPTERS)('WebSocketGateway ($name) - Error Handling', (adapter) => {
  const parity = useParityApp(adapter);

  it.contractDifference(adapter, CONTRACT_DIFFERENCES.errorPayload, 'should send WsException error to client via native WebSocket', async () => {
    const port = await freePort();
    await parity.start({ providers: [errorGateway(port)] });
    expect(await pushError(parity.ws(wsUrl(port)))).toStrictEqual(adapter.ours ? contractFrame : nestFrame);
  });

  it.contractDifference(adapter, CONTRACT_DIFFERENCES.errorPayload, 'on a gateway with a path: should send WsException error to client via native WebSocket', async () => {
    await parity.start({ providers: [errorGatewayAt('/ws-error')] });
    const client = parity.ws(`${parity.url.replace('http', 'ws')}/ws-error`);
    expect(await pushError(client)).toStrictEqual(adapter.ours ? contractFrame : nestFrame);
  });
});

describe('one gateway class, two apps in one process', () => {
  const first = useParityApp(OURS);
  const second = useParityApp(NEST);

  it(OURS, "a second app on Nest's adapter gets Nest's error frame for a gateway class an app on ours served before", async () => {
    await first.start({ providers: [SharedWsErrorGateway] });
    expect(await pushError(first.ws(`${first.url.replace('http', 'ws')}/errors`))).toStrictEqual(contractFrame);
    await first.close();

    await second.start({ providers: [SharedWsErrorGateway] });
    expect(await pushError(second.ws(`${second.url.replace('http', 'ws')}/errors`))).toStrictEqual(nestFrame);
  });
});

describe('known gaps', () => it.everyGapNamesATest());
