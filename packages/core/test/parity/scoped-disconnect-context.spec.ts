// Ported from nestjs/nest integration/websockets/e2e/scoped-disconnect-context.spec.ts (vitest upstream),
// run over Nest's IoAdapter and RealtimeIoAdapter. Upstream expects Nest code released after the
// installed @nestjs/websockets 12.1.1, which deletes the context id as soon as a request-scoped
// handleDisconnect returns its promise: both rows fail the same way today (Nest's core, not the adapters).
import { REQUEST_CONTEXT_ID } from '@nestjs/core/router/request/request-constants.js';
import { describe, expect } from 'vitest';
import { DisconnectTracker, disconnectContextGateways, SharedState } from './gateways/scoped-lifecycle.gateways.js';
import { SOCKET_IO_ADAPTERS } from './support/adapters.js';
import { nextEvent } from './support/events.js';
import { parityIt, type KnownGaps } from './support/parity.js';
import { useParityApp } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {};

const CONTEXT_RELEASED_EARLY = '12.1.1 deletes the context id as soon as a request-scoped handleDisconnect returns its promise';
const AHEAD_OF_INSTALLED_NEST = {
  'IoAdapter: should keep request-scoped dependencies shared while another gateway disconnects': CONTEXT_RELEASED_EARLY,
  'RealtimeIoAdapter: should keep request-scoped dependencies shared while another gateway disconnects': CONTEXT_RELEASED_EARLY,
};

const it = parityIt(KNOWN_GAPS, AHEAD_OF_INSTALLED_NEST);

describe.each(SOCKET_IO_ADAPTERS)('Shared gateway disconnect context on $name', (adapter) => {
  const parity = useParityApp(adapter);

  it(adapter, 'should keep request-scoped dependencies shared while another gateway disconnects', async () => {
    await parity.start({ providers: [...disconnectContextGateways(), SharedState, DisconnectTracker] });
    const tracker = parity.app.get(DisconnectTracker);
    try {
      const client = parity.io(parity.url, { transports: ['websocket'], autoConnect: false });
      const ready = Promise.all([nextEvent(client, 'fastReady'), nextEvent(client, 'slowReady')]);
      client.connect();
      await ready;
      const contextId = tracker.client![REQUEST_CONTEXT_ID];
      client.disconnect();
      await Promise.all([tracker.slowStarted, tracker.fastFinished]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(tracker.client![REQUEST_CONTEXT_ID]).toBe(contextId);
      tracker.release();
      await tracker.slowFinished;
      await new Promise((resolve) => setImmediate(resolve));
      expect(tracker.sameState).toBe(true);
      expect(tracker.client![REQUEST_CONTEXT_ID]).toBeUndefined();
    } finally {
      tracker.release();
    }
  });
});

describe('known gaps', () => it.everyGapNamesATest());
