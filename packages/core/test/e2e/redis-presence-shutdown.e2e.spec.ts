import { Logger } from '@nestjs/common';
import { createClient } from 'redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRESENCE_STOP_TIMEOUT_MS } from '../../src/presence/redis-presence.store.js';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET } from '../support/tokens.js';

/** Longer than the store's bound plus the clients' close deadline: app.close() must not wait it out. */
const PAUSE_MS = 12_000;

describe('app.close() while Redis holds every command', () => {
  let redis: RedisTestServer | undefined;
  let app: RealtimeTestingApp | undefined;
  let probe: ReturnType<typeof createClient> | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await app?.close().catch(() => undefined);
    probe?.destroy();
    // Stopping a paused server ends the pause: nothing waits for it.
    await redis?.stop();
  });

  it("stops waiting on Redis for the presence removal after the bound, logs what it abandoned, and resolves", async () => {
    const warned: string[] = [];
    redis = await RedisTestServer.start();
    app = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          redis: { url: redis.url, keyPrefix: 'stop-bound' },
          presence: { ttlMs: 30_000 },
        }),
      ],
      providers: [ChatRoomsGateway],
    });
    const ada = await app.connect({ namespace: 'chat', user: { id: 'ada' } });
    expect(await ada.emitWithAck('joinRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });
    ada.close();

    probe = createClient({ url: redis.url });
    probe.on('error', () => {}); // the server stops under it in afterEach
    await probe.connect();
    // Redis stays connected and answers nothing: the store's commands queue as they would behind a dead master.
    await probe.sendCommand(['CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL']);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warned.push(String(message)));

    const startedAt = Date.now();
    await app.close();
    const tookMs = Date.now() - startedAt;
    app = undefined;

    // The store's bound, then at most a second per client close, well before the pause ends.
    expect(tookMs).toBeGreaterThanOrEqual(PRESENCE_STOP_TIMEOUT_MS - 50);
    expect(tookMs).toBeLessThan(PAUSE_MS / 2);
    const abandoned = warned.filter((line) => line.startsWith(`Redis did not answer within ${PRESENCE_STOP_TIMEOUT_MS} ms at shutdown`));
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toMatch(/stopped waiting to remove this instance's (heartbeat entry|1 connection\(s\))/);

  }, 20_000);
});
