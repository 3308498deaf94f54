// Ported from nestjs/nest integration/websockets/e2e/global-guard-test.gateway.spec.ts (mocha/chai →
// vitest), run over Nest's IoAdapter and RealtimeIoAdapter. Upstream's ports are free ports here, and
// its one-second waits are gone: the first test waits for the handler to have run, the second for
// the guard's refusal. Upstream expects Nest code released after the installed 12.1.1, where an
// APP_GUARD reaches gateways only after app.applyApplicationConfigToWs(); in 12.1.1 it always
// does and that method does not exist, so both rows of both tests fail the same way today.
import { APP_GUARD } from '@nestjs/core';
import { describe, expect, vi } from 'vitest';
import { globalGuardTestGateway, TestGuard } from './gateways/global-guard-test.gateway.js';
import { SOCKET_IO_ADAPTERS } from './support/adapters.js';
import { nextEvent } from './support/events.js';
import { parityIt, type KnownGaps } from './support/parity.js';
import { freePort, httpUrl, useParityApp } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {};

const GUARD_ALWAYS_APPLIES = '12.1.1 applies an APP_GUARD to gateways, with no applyApplicationConfigToWs() to opt in';
const AHEAD_OF_INSTALLED_NEST = {
  'IoAdapter: should handle message if application config disabled for ws': GUARD_ALWAYS_APPLIES,
  'RealtimeIoAdapter: should handle message if application config disabled for ws': GUARD_ALWAYS_APPLIES,
  'IoAdapter: should not handle message if application config enabled for ws': GUARD_ALWAYS_APPLIES,
  'RealtimeIoAdapter: should not handle message if application config enabled for ws': GUARD_ALWAYS_APPLIES,
};

const it = parityIt(KNOWN_GAPS, AHEAD_OF_INSTALLED_NEST);

describe.each(SOCKET_IO_ADAPTERS)('GlobalGuardTestGateway on $name', (adapter) => {
  const parity = useParityApp(adapter);

  async function create() {
    const port = await freePort();
    const GlobalGuardTestGateway = globalGuardTestGateway(port);
    await parity.create({ providers: [{ provide: APP_GUARD, useClass: TestGuard }, GlobalGuardTestGateway] });
    return { port, GlobalGuardTestGateway };
  }

  it(adapter, 'should handle message if application config disabled for ws', async () => {
    const { port, GlobalGuardTestGateway } = await create();
    await parity.listen();
    parity.io(httpUrl(port)).emit('test-msg');
    const gateway = parity.app.get(GlobalGuardTestGateway);
    await vi.waitFor(() => expect(gateway.handledMessage).toBe(true), { timeout: 2000 });
  });

  it(adapter, 'should not handle message if application config enabled for ws', async () => {
    const { port, GlobalGuardTestGateway } = await create();
    (parity.app as unknown as { applyApplicationConfigToWs(): void }).applyApplicationConfigToWs();
    await parity.listen();
    const ws = parity.io(httpUrl(port));
    const refused = nextEvent(ws, 'exception');
    ws.emit('test-msg');
    await refused;
    expect(parity.app.get(GlobalGuardTestGateway).handledMessage).toBe(false);
  });
});

describe('known gaps', () => it.everyGapNamesATest());
