// Ported from nestjs/nest integration/websockets/e2e/error-gateway.spec.ts (mocha/chai → vitest),
// run over Nest's IoAdapter and RealtimeIoAdapter. Upstream's gateway port 8080 is a free port here.
// Added: the same gateway class served by a second app of the process (see the last describe).
import { describe, expect } from 'vitest';
import { errorGateway, SharedErrorGateway } from './gateways/error.gateways.js';
import { SOCKET_IO_ADAPTERS } from './support/adapters.js';
import { nextEvent } from './support/events.js';
import { CONTRACT_DIFFERENCES, parityIt, type KnownGaps } from './support/parity.js';
import { freePort, httpUrl, useParityApp } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {
};

const it = parityIt(KNOWN_GAPS);
const [NEST, OURS] = SOCKET_IO_ADAPTERS;

/** What Nest's BaseWsExceptionFilter sends for `new WsException('test')` (12.x adds the cause). */
const nestPayload = (pattern: string, data: unknown) => ({ status: 'error', message: 'test', cause: { pattern, data } });

/** Our contract for the same exception (docs/guide/errors.md: a string WsException is BAD_REQUEST). */
const contractPayload = (event: string) => ({
  status: 'error',
  code: 'BAD_REQUEST',
  message: 'test',
  event,
  requestId: expect.any(String),
});

describe.each(SOCKET_IO_ADAPTERS)('ErrorGateway on $name', (adapter) => {
  const parity = useParityApp(adapter);

  it.contractDifference(adapter, CONTRACT_DIFFERENCES.errorPayload, 'should handle error', async () => {
    const port = await freePort();
    await parity.start({ providers: [errorGateway(port)] });
    const ws = parity.io(httpUrl(port));
    const pattern = 'push';
    const data = { test: 'test' };
    const error = nextEvent(ws, 'exception');
    ws.emit(pattern, data);

    expect(await error).toStrictEqual(adapter.ours ? contractPayload(pattern) : nestPayload(pattern, data));
  });
});

describe('one gateway class, two apps in one process', () => {
  const first = useParityApp(OURS);
  const second = useParityApp(NEST);

  it(OURS, "a second app on Nest's adapter gets Nest's error payload for a gateway class an app on ours served before", async () => {
    await first.start({ providers: [SharedErrorGateway] });
    const before = first.io(first.url);
    const contract = nextEvent(before, 'exception');
    before.emit('push', { test: 'test' });
    expect(await contract).toStrictEqual(contractPayload('push'));
    await first.close();

    await second.start({ providers: [SharedErrorGateway] });
    const after = second.io(second.url);
    const error = nextEvent(after, 'exception');
    after.emit('push', { test: 'test' });
    expect(await error).toStrictEqual(nestPayload('push', { test: 'test' }));
  });
});

describe('known gaps', () => it.everyGapNamesATest());
