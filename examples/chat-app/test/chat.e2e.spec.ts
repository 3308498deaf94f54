import { ConfigService } from '@nestjs/config';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';

describe('chat gateway (in-process)', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      { imports: [AppModule] },
      // The same env-driven config the app reads, pinned for the test.
      { overrides: (b) => b.overrideProvider(ConfigService).useValue(new ConfigService({ REALTIME_TRANSPORTS: 'websocket' })) },
    );
  });
  afterAll(() => rt?.close());

  it('broadcasts a message to everyone in the chat and acks the sender', async () => {
    const alice = await rt.connect({ namespace: 'chat' });
    const bob = await rt.connect({ namespace: 'chat' });
    const received = waitForEvent<{ from: string; text: string }>(bob, 'message');

    const ack = await alice.emitWithAck('message', { text: 'hello bob' });

    expect(ack).toMatchObject({ status: 'ok' });
    expect(await received).toMatchObject({ from: alice.id, text: 'hello bob' });
  });

  it('serves websocket only when REALTIME_TRANSPORTS says so', async () => {
    await expect(rt.connect({ namespace: 'chat', transports: ['polling'] })).rejects.toThrow();
  });
});
