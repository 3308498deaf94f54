// Ported from nestjs/nest integration/websockets/e2e/gateway-validation-pipe.spec.ts (mocha/chai →
// vitest), run over Nest's WsAdapter and RealtimeWsAdapter. Upstream's gateway port 8080 is a free
// port here. Upstream's "should throw WsException" swapped the process's uncaughtException
// listeners and never waited for one, so it could not fail; with @nestjs/platform-ws 12.x the
// failure the gateway's filter rethrows no longer escapes the adapter, which logs it instead.
// The port waits for that report and checks it is the validation failure.
// Added: both scenarios on a gateway at a path, so the gap of a gateway on its own port without a
// path does not hide the rest.
import { Logger, type HttpException } from '@nestjs/common';
import { afterEach, describe, expect, vi } from 'vitest';
import type WebSocket from 'ws';
import { applicationGateway, applicationGatewayAt } from './gateways/app.gateways.js';
import { validationPipeGateway, validationPipeGatewayAt } from './gateways/validation-pipe.gateway.js';
import { WS_ADAPTERS, type ParityAdapter } from './support/adapters.js';
import { nextFrame, opened, sendFrame } from './support/events.js';
import { CONTRACT_DIFFERENCES, parityIt, type KnownGaps } from './support/parity.js';
import { freePort, useParityApp, wsUrl } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {
};

const it = parityIt(KNOWN_GAPS);

/** Upstream: open, send `push { stringProp: 123 }`. */
async function pushInvalid(client: WebSocket) {
  await opened(client);
  sendFrame(client, 'push', { stringProp: 123 });
}

/** The next error an adapter logs. */
function nextLoggedError(): Promise<unknown> {
  return new Promise((resolve) => vi.spyOn(Logger.prototype, 'error').mockImplementation((error: unknown) => resolve(error)));
}

const validationMessages = (error: unknown) => ((error as HttpException).getResponse() as { message: string[] }).message;

/** Nest's adapters log the exception itself; ours log one line naming the event (and the stack). */
function expectValidationFailureLogged(adapter: ParityAdapter, logged: unknown): void {
  if (adapter.ours) expect(logged).toMatch(/^Handler of "push" failed: .*Bad Request/);
  else expect(validationMessages(logged)[0]).toBe('stringProp must be a string');
}

describe.each(WS_ADAPTERS)('WebSocketGateway with ValidationPipe ($name)', (adapter) => {
  const parity = useParityApp(adapter);
  const appWsUrl = (path: string) => `${parity.url.replace('http', 'ws')}${path}`;
  afterEach(() => vi.restoreAllMocks());

  it.contractDifference(adapter, CONTRACT_DIFFERENCES.failureLog, 'should throw WsException', async () => {
    const port = await freePort();
    await parity.start({ providers: [validationPipeGateway(port)] });
    const logged = nextLoggedError();
    await pushInvalid(parity.ws(wsUrl(port)));
    expectValidationFailureLogged(adapter, await logged);
  });

  it(adapter, 'should return message normally', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const client = parity.ws(wsUrl(port));
    await opened(client);
    const reply = nextFrame<{ data: { stringProp: unknown } }>(client);
    await pushInvalid(client);
    expect((await reply).data.stringProp).toBe(123);
  });

  it.contractDifference(adapter, CONTRACT_DIFFERENCES.failureLog, 'on a gateway with a path: should throw WsException', async () => {
    await parity.start({ providers: [validationPipeGatewayAt('/validated')] });
    const logged = nextLoggedError();
    await pushInvalid(parity.ws(appWsUrl('/validated')));
    expectValidationFailureLogged(adapter, await logged);
  });

  it(adapter, 'on a gateway with a path: should return message normally', async () => {
    await parity.start({ providers: [applicationGatewayAt('/app')] });
    const client = parity.ws(appWsUrl('/app'));
    await opened(client);
    const reply = nextFrame<{ data: { stringProp: unknown } }>(client);
    await pushInvalid(client);
    expect((await reply).data.stringProp).toBe(123);
  });
});

describe('known gaps', () => it.everyGapNamesATest());
