import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeService } from '@nestjs-realtime/core';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeClient, RealtimeError, type ConnectionStatus, type PresenceUser } from '../src/index.js';
import type { ChatContract } from './support/chat.contract.js';
import { expiredToken, seen, startServer, token } from './support/server.js';
import { Counter, record, statusOf, when } from './support/wait.js';

let server: RealtimeTestingApp;
const clients: RealtimeClient<ChatContract>[] = [];
beforeAll(async () => {
  server = await startServer({ auth: { secret: 'client-test-secret-that-is-long-enough!!', expiringNoticeMs: 1500, refreshGraceMs: 500 } });
});
afterAll(() => server?.close());
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const chatClient = (getToken: () => string | Promise<string>, options: Partial<ConstructorParameters<typeof RealtimeClient>[0]> = {}) => {
  const client = new RealtimeClient<ChatContract>({ url: server.url, namespace: '/chat', getToken, socket: { transports: ['websocket'] }, ...options });
  clients.push(client);
  return client;
};
const userIds = (users: PresenceUser[]) => users.map((user) => user.userId);

describe('connection and token provider', () => {
  it('connects with a token from an async provider, and asks for it again at every reconnect', async () => {
    let asked = 0;
    const client = chatClient(async () => (asked++, token('ada')));
    const statuses = record<ConnectionStatus>(client.status.subscribe);
    await statusOf(client, 'connected');
    expect(asked).toBe(1);
    // The network drops: the client comes back by itself, with a token asked for afresh.
    client.emit('testDrop');
    await statusOf(client, 'reconnecting');
    await statusOf(client, 'connected');
    expect(asked).toBe(2);
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('refreshes the token of a live connection by itself on auth:expiring, without reconnecting', async () => {
    const asked = new Counter();
    // auth:expiring comes 1.5 s before the 2 s token expires (at once, when it was signed late in
    // a second: listeners go on before connecting); the refreshed one lasts 10 minutes.
    const client = chatClient(() => token('bea', asked.tick() === 0 ? 2 : 600));
    const expiring = new Promise<void>((resolve) => client.on('auth:expiring', () => resolve()));
    const expired = record((listener) => client.on('auth:expired', listener));
    await statusOf(client, 'connected');
    const connectionsBefore = seen.connections;
    // A bystander whose token lasts a second longer and is never refreshed: when the server
    // disconnects it, the client's first token and its grace period (0.5 s) are long over.
    const bystander = io(`${server.url}/chat`, { auth: { token: token('bystander', 3) }, transports: ['websocket'] });
    const bystanderGone = new Promise<string>((resolve) => bystander.once('disconnect', resolve));
    await expiring;
    await asked.reached(2);
    expect(await bystanderGone).toBe('io server disconnect');
    expect(await client.request('message', { text: 'still here' })).toMatchObject({ status: 'ok' });
    expect(expired).toEqual([]);
    expect(client.status.getSnapshot()).toBe('connected');
    expect(seen.connections).toBe(connectionsBefore + 1);
  });

  it('retries with a fresh token when the first one had expired', async () => {
    const tokens = [expiredToken('cy'), token('cy')];
    let asked = 0;
    const client = chatClient(() => tokens[Math.min(asked++, 1)]!);
    await statusOf(client, 'connected');
    expect(asked).toBe(2);
  });

  it('surfaces any other refusal as a typed error, without retrying', async () => {
    let asked = 0;
    const client = chatClient(() => (asked++, 'not-a-token'));
    await statusOf(client, 'refused');
    expect(client.lastError).toBeInstanceOf(RealtimeError);
    expect(client.lastError).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_token', event: 'connection' });
    // No reconnect storm: nothing more is asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(asked).toBe(1);
    expect(client.status.getSnapshot()).toBe('refused');
  });

  it('goes offline, saying why, when the server disconnects it on purpose', async () => {
    const client = chatClient(() => token('dora'));
    await statusOf(client, 'connected');
    await server.app.get(RealtimeService).disconnectUser('dora', 'banned');
    await statusOf(client, 'offline');
    expect(client.lastError).toMatchObject({ code: 'DISCONNECTED', reason: 'banned' });
    // It stays offline until the app says otherwise.
    client.connect();
    await statusOf(client, 'connected');
  });

  it('moves off a draining server after its delay, with jitter, and comes back', async () => {
    const client = chatClient(() => token('eve'), { random: () => 0 });
    await statusOf(client, 'connected');
    const before = seen.connections;
    const asked = Date.now();
    // The server says what a draining instance says; the client leaves before any answer.
    client.emit('testSend', { event: 'server:draining', data: { reconnectDelayMs: 400 } });
    await statusOf(client, 'reconnecting');
    await statusOf(client, 'connected');
    // random() = 0 puts the reconnect at half the server's delay.
    expect(Date.now() - asked).toBeGreaterThanOrEqual(200);
    expect(seen.connections).toBe(before + 1);
  });
});

describe('requests and errors', () => {
  it('resolves with the handler\'s result, and rejects with the error contract as RealtimeError', async () => {
    const client = chatClient(() => token('fay'));
    expect(await client.request('message', { text: 'hello' })).toEqual({ status: 'ok', at: expect.any(String) });
    const error = await client.request('message', { text: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'text is required', details: { field: 'text' }, event: 'message', requestId: expect.any(String) });
  });

  it('gets NOT_FOUND at once for an event no handler serves', async () => {
    const client = chatClient(() => token('gil')) as unknown as RealtimeClient;
    await expect(client.request('no-such-event', { x: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND', event: 'no-such-event' });
  });

  it('times out a request the server never answers', async () => {
    const client = chatClient(() => token('gus'), { requestTimeoutMs: 300 });
    await expect(client.request('silent')).rejects.toMatchObject({ code: 'TIMEOUT', event: 'silent' });
  });

  it('gives RATE_LIMITED its retryAfterMs, and retries after it when asked to', async () => {
    const strict = chatClient(() => token('hal'));
    expect(await strict.request('scarce')).toBe('granted');
    const refused = (await strict.request('scarce').catch((e: unknown) => e)) as RealtimeError;
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.retryAfterMs).toBeGreaterThan(0);

    const patient = chatClient(() => token('ivy'), { rateLimitRetries: 2 });
    expect(await patient.request('scarce')).toBe('granted');
    expect(await patient.request('scarce')).toBe('granted');
  });

  it('reports errors of fire-and-forget messages through onError', async () => {
    const client = chatClient(() => token('jon'));
    const error = new Promise<RealtimeError>((resolve) => client.onError(resolve));
    client.emit('message', { text: '' });
    expect(await error).toMatchObject({ code: 'BAD_REQUEST', event: 'message' });
  });

  it('fails a request in flight with DISCONNECTED when the connection drops, at once', async () => {
    const client = chatClient(() => token('lia'));
    await statusOf(client, 'connected');
    const pending = client.request('silent').catch((e: unknown) => e);
    client.emit('testDrop');
    expect(await pending).toMatchObject({ code: 'DISCONNECTED', event: 'silent' });
  });

  it('starts offline with autoConnect: false, and drops what is emitted while closed', async () => {
    const client = chatClient(() => token('max'), { autoConnect: false });
    expect(client.status.getSnapshot()).toBe('offline');
    const errors: RealtimeError[] = [];
    client.onError((error) => errors.push(error));
    const heard: unknown[] = [];
    client.on('message', (message) => heard.push(message));
    client.emit('message', { text: 'too early' });
    expect(errors).toMatchObject([{ code: 'DISCONNECTED', event: 'message' }]);
    client.connect();
    await statusOf(client, 'connected');
    await client.request('message', { text: 'on time' });
    expect(heard).toEqual([expect.objectContaining({ text: 'on time' })]);
  });

  it('fails with DISCONNECTED, at once, a request still waiting for the connection when closed', async () => {
    const client = chatClient(() => token('nia'));
    // Sent while the first connection is being made: it waits in the send buffer.
    const waiting = client.request('message', { text: 'never sent' }).catch((e: unknown) => e);
    client.close();
    expect(await waiting).toMatchObject({ code: 'DISCONNECTED', event: 'message' });
  });

  it('rejects with DISCONNECTED when closed', async () => {
    const client = chatClient(() => token('kim'));
    await statusOf(client, 'connected');
    client.close();
    await expect(client.request('message', { text: 'x' })).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});

describe('rooms and presence', () => {
  it('joins, keeps one entry per user with a meta per tab, and calls back once per user', async () => {
    const ada = chatClient(() => token('ada2'));
    const lobby = ada.room('lobby', { device: 'laptop' });
    expect(userIds(await lobby.joined)).toEqual(['ada2']);
    const joins = record<PresenceUser>((l) => lobby.onJoin(l));
    const updates = record<PresenceUser>((l) => lobby.onUpdate(l));
    const leaves = record<PresenceUser>((l) => lobby.onLeave(l));

    const bobPhone = chatClient(() => token('bob2')).room('lobby', { device: 'phone' });
    await bobPhone.joined;
    const bobTablet = chatClient(() => token('bob2')).room('lobby', { device: 'tablet' });
    await bobTablet.joined;
    await when(lobby.users.subscribe, (users) => users.find((u) => u.userId === 'bob2')?.metas.length === 2);
    expect(userIds(joins)).toEqual(['bob2']);
    // Both tabs' joins may land in one presence:diff window (one join with both metas) or in two (a join, then an update).
    const bobSeen = [...joins, ...updates].map((u) => u.metas.map((m) => m.device));
    expect(bobSeen.at(-1)).toEqual(['phone', 'tablet']);
    expect(userIds(updates).every((id) => id === 'bob2')).toBe(true);

    await bobPhone.leave();
    await when(lobby.users.subscribe, (users) => users.find((u) => u.userId === 'bob2')?.metas.length === 1);
    expect(leaves).toEqual([]);
    await bobTablet.leave();
    await when(lobby.users.subscribe, (users) => userIds(users).join() === 'ada2');
    expect(userIds(leaves)).toEqual(['bob2']);
    expect(userIds(joins)).toEqual(['bob2']);
  });

  it('refuses a room canJoin refuses, with a typed error', async () => {
    const client = chatClient(() => token('mo'));
    await expect(client.room('staff-only').joined).rejects.toMatchObject({ code: 'FORBIDDEN', event: 'joinRoom' });
  });

  it('delivers the room\'s messages to its members', async () => {
    const sender = chatClient(() => token('ned')).room<string>('news');
    const reader = chatClient(() => token('ola')).room<string>('news');
    await Promise.all([sender.joined, reader.joined]);
    const received = new Promise((resolve) => reader.onMessage(resolve));
    expect(await sender.send('extra')).toMatchObject({ status: 'ok' });
    expect(await received).toMatchObject({ room: 'news', from: { userId: 'ned' }, message: 'extra' });
  });

  it('rejoins its rooms after a reconnect and rebuilds presence without joining anyone twice', async () => {
    const watcher = chatClient(() => token('pia'));
    const room = watcher.room('after');
    await room.joined;
    const other = chatClient(() => token('quin')).room('after');
    await other.joined;
    await when(room.users.subscribe, (users) => users.length === 2);
    const joins = record<PresenceUser>((l) => room.onJoin(l));
    const leaves = record<PresenceUser>((l) => room.onLeave(l));

    watcher.emit('testDrop');
    await statusOf(watcher, 'reconnecting');
    await statusOf(watcher, 'connected');
    // The server sees the watcher back in the room, and the watcher sees both users, once each.
    await when(room.users.subscribe, (users) => users.length === 2 && users.every((u) => u.metas.length === 1));
    expect(userIds(room.users.getSnapshot())).toEqual(['pia', 'quin']);
    const other2 = chatClient(() => token('rae')).room('after');
    await other2.joined;
    await when(room.users.subscribe, (users) => users.length === 3);
    expect(userIds(joins)).toEqual(['rae']);
    expect(leaves).toEqual([]);
  });
});
