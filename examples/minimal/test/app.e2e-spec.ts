import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';

describe('chat (e2e)', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    process.env.JWT_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
    // The whole app, with RealtimeIoAdapter as in main.ts, on a free port.
    rt = await createRealtimeTestingApp({ imports: [AppModule] });
  });
  afterAll(() => rt?.close());

  it('refuses a connection without a token', async () => {
    await expect(rt.connect({ namespace: 'chat' })).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED', reason: 'missing_token' },
    });
  });

  it('acks a message to a joined room, and the room gets it', async () => {
    // `user` signs a token for that user with the app's JWT_SECRET.
    const ada = await rt.connect({ namespace: 'chat', user: { id: 'ada', name: 'Ada' } });
    const bob = await rt.connect({ namespace: 'chat', user: { id: 'bob', name: 'Bob' } });
    await ada.emitWithAck('joinRoom', { room: 'general' });
    await bob.emitWithAck('joinRoom', { room: 'general' });

    const received = waitForEvent(bob, 'message');
    const ack = await ada.emitWithAck('message', { room: 'general', text: 'hi' });

    expect(ack).toEqual({ status: 'ok', at: expect.any(String) });
    expect(await received).toEqual({ room: 'general', from: 'Ada', text: 'hi', at: ack.at });
  });

  it('answers invalid input with BAD_REQUEST and the fields at fault', async () => {
    const ada = await rt.connect({ namespace: 'chat', user: { id: 'ada', name: 'Ada' } });
    await ada.emitWithAck('joinRoom', { room: 'general' });

    expect(await ada.emitWithAck('message', { room: 'general', text: '', admin: true })).toMatchObject({
      status: 'error',
      code: 'BAD_REQUEST',
      details: {
        fields: { text: ['text must be longer than or equal to 1 characters'], admin: ['property admin should not exist'] },
      },
    });
  });

  it('refuses a message to a room the client has not joined', async () => {
    const ada = await rt.connect({ namespace: 'chat', user: { id: 'ada', name: 'Ada' } });
    expect(await ada.emitWithAck('message', { room: 'elsewhere', text: 'hi' })).toMatchObject({
      status: 'error',
      code: 'FORBIDDEN',
      details: { room: 'elsewhere' },
    });
  });

  it('signs a user in with POST /auth/login, whose token connects', async () => {
    const response = await fetch(`${rt.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Carol' }),
    });
    const { token } = (await response.json()) as { token: string };

    const carol = await rt.connect({ namespace: 'chat', token });
    await carol.emitWithAck('joinRoom', { room: 'general' });
    const received = waitForEvent(carol, 'message');
    await carol.emitWithAck('message', { room: 'general', text: 'hello' });
    expect(await received).toMatchObject({ from: 'Carol', text: 'hello' });
  });

  it('answers a flood with RATE_LIMITED once the 20 messages of the second are spent', async () => {
    const flo = await rt.connect({ namespace: 'chat', user: { id: 'flo', name: 'Flo' } });
    await flo.emitWithAck('joinRoom', { room: 'flood' });
    const acks = await Promise.all(Array.from({ length: 25 }, () => flo.emitWithAck('message', { room: 'flood', text: 'x' })));
    const refused = acks.filter((ack) => ack.code === 'RATE_LIMITED');
    const sent = acks.filter((ack) => ack.status === 'ok');
    // The join took one of the 20; the bucket refills a little while the burst is under way.
    expect(refused.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(20);
    expect(sent.length + refused.length).toBe(25);
    expect(refused[0]).toMatchObject({ status: 'error', code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
  });

  it('refuses a login name that is not a short word with 400', async () => {
    for (const name of ['', '<script>', 'x'.repeat(33), 42]) {
      const response = await fetch(`${rt.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(response.status).toBe(400);
    }
  });
});
