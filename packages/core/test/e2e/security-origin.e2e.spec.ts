import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { engineRequest, openPacket } from '../support/http-probe.js';
import { SECRET, sign } from '../support/tokens.js';

const APP = 'https://app.example.com';
// What a <script> tag on a sibling subdomain sends: the SameSite=Lax cookie, fetch metadata, no Origin.
const SCRIPT_TAG_FROM_SIBLING = { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'script' };

describe('origin allowlist with cookie tokens (security review, finding 1)', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => rt?.close());

  const boot = async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ cors: { origin: [APP], credentials: true }, auth: { secret: SECRET, tokenSources: ['cookie'] } })],
      providers: [RootEchoGateway],
    });
    return rt;
  };
  const cookie = () => ({ Cookie: `access_token=${sign({ sub: 'victim' })}` });

  it('refuses the JSONP handshake a <script> tag on a sibling origin makes with the visitor\'s cookie', async () => {
    const app = await boot();
    const res = await engineRequest(app.url, '/socket.io', { j: '0' }, { ...cookie(), ...SCRIPT_TAG_FROM_SIBLING });
    expect(res.status).toBe(403);
    expect(res.body).not.toMatch(/sid/);
  });

  it('never serves JSONP, even to a client that sends no fetch metadata', async () => {
    const app = await boot();
    const res = await engineRequest(app.url, '/socket.io', { j: '0' }, cookie());
    expect(res.status).toBe(403);
    expect(res.body).not.toMatch(/sid/);
  });

  it('counts a request without Origin as a non-browser one only when it carries no fetch metadata', async () => {
    const app = await boot();
    // A browser request whose origin it does not show: refused.
    expect((await engineRequest(app.url, '/socket.io', {}, { ...cookie(), ...SCRIPT_TAG_FROM_SIBLING })).status).toBe(403);
    expect((await engineRequest(app.url, '/socket.io', {}, { ...cookie(), 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(403);
    // The app's own page (browsers omit Origin on same-origin GETs, and say so): admitted.
    expect((await engineRequest(app.url, '/socket.io', {}, { ...cookie(), 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' })).status).toBe(200);
    // A server or a mobile app: admitted, as allowRequestsWithoutOrigin says.
    expect((await engineRequest(app.url, '/socket.io', {}, cookie())).status).toBe(200);
    // An allowlisted page: admitted.
    expect((await engineRequest(app.url, '/socket.io', {}, { ...cookie(), Origin: APP, 'Sec-Fetch-Site': 'same-site' })).status).toBe(200);
  });

  it('holds the requests of an open session to the same check: a session id is no way around it', async () => {
    const app = await boot();
    const { sid } = openPacket(await engineRequest(app.url, '/socket.io', {}, { ...cookie(), Origin: APP }));

    // Polling and posting into the session from a page on another origin, or a script tag: refused.
    const evilPoll = await engineRequest(app.url, '/socket.io', { sid }, { ...cookie(), Origin: 'https://evil.example' });
    expect(evilPoll.status).toBe(400);
    const evilPost = await engineRequest(app.url, '/socket.io', { sid }, { ...cookie(), Origin: 'https://evil.example' }, '40');
    expect(evilPost.status).toBe(400);
    expect((await engineRequest(app.url, '/socket.io', { sid, j: '1' }, { ...cookie(), ...SCRIPT_TAG_FROM_SIBLING })).status).toBe(400);

    // Upgrading the session to a WebSocket from another origin: refused before the socket opens.
    const upgrade = new WebSocket(`${app.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, {
      headers: { ...cookie(), Origin: 'https://evil.example' },
    });
    const outcome = await new Promise((resolve) => {
      upgrade.once('open', () => resolve('opened'));
      upgrade.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      upgrade.once('error', () => resolve('refused'));
    });
    expect(outcome).not.toBe('opened');
    upgrade.terminate();

    // The allowlisted page keeps its session: it connects its namespace and is answered.
    const connect = await engineRequest(app.url, '/socket.io', { sid }, { ...cookie(), Origin: APP }, '40');
    expect(connect.status).toBe(200);
    const answer = await engineRequest(app.url, '/socket.io', { sid }, { ...cookie(), Origin: APP });
    expect(answer.body).toMatch(/^40\{"sid"/);
  });
});

describe('cookie warning at boot (security review, finding 2)', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    vi.restoreAllMocks();
  });

  const warningsFor = async (cors: RealtimeModuleOptions['cors']): Promise<string[]> => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ cors, auth: { secret: SECRET, tokenSources: ['auth', 'cookie'] } })],
      providers: [RootEchoGateway],
    });
    const lines = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('cookies'));
    await rt.close();
    rt = undefined;
    warn.mockRestore();
    return lines;
  };

  it.each([
    ['origin: true (reflects every origin)', { origin: true }, /reflects every origin/],
    ['a RegExp that admits any origin', { origin: /.*/ }, /pattern \/\.\*\/ that admits any origin/],
    ['an origin function', { origin: (_o: string | undefined, cb: (e: Error | null, ok?: boolean) => void) => cb(null, true) }, /cors\.origin function/],
    ['a cors delegate function', ((_req: unknown, cb: (e: Error | null, o?: object) => void) => cb(null, { origin: true })) as never, /cors delegate function/],
    ['an array that contains true', { origin: [APP, true] }, /reflects every origin/],
  ])('warns when cors is %s', async (_name, cors, expected) => {
    expect(await warningsFor(cors as RealtimeModuleOptions['cors'])).toEqual([expect.stringMatching(expected)]);
  });

  it('stays quiet for an allowlist of origins and of patterns that admit only them', async () => {
    expect(await warningsFor({ origin: [APP, /^https:\/\/[a-z]+\.example\.com$/] })).toEqual([]);
  });
});
