import { Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { ConnectRefusedError, createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RealtimeTelemetry } from '../../src/observability/realtime-telemetry.js';
import { eventually, InMemoryOpenTelemetry } from '../support/otel-sdk.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { MeteredGateway, MeteredNativeGateway } from '../support/telemetry-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { ManualClock } from '../support/manual-clock.js';
import { PRESENCE_CLOCK } from '../../src/presence/presence-clock.js';

// Presence diff windows close when the test says.
const presenceClock = new ManualClock();

const boot = (observability?: RealtimeModuleOptions['observability']) =>
  createRealtimeTestingApp(
    {
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...(observability ? { observability } : {}) })],
      providers: [MeteredGateway, MeteredNativeGateway, ChatRoomsGateway],
    },
    {
      adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }),
      overrides: (builder) => builder.overrideProvider(PRESENCE_CLOCK).useValue(presenceClock),
    },
  );

const METERED = { 'realtime.namespace': '/metered', 'realtime.transport': 'socket.io' };

describe('with an OpenTelemetry SDK registered before the app boots', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  const natives: WsTestClient[] = [];
  const connect = (namespace: string, id: string) => rt.connect({ namespace, user: { id } });
  const openNative = () =>
    WsTestClient.open(`${rt.url.replace('http', 'ws')}/metered`, { headers: { Authorization: `Bearer ${sign({ sub: 'nat' })}` } }).then((client) => {
      natives.push(client);
      return client;
    });

  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot({ enabled: true });
  });
  afterEach(() => {
    for (const client of natives.splice(0)) client.close();
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('counts an accepted handshake and the open connection, until it closes', async () => {
    const before = await otel.value('realtime.connections', METERED);
    const socket = await connect('metered', 'ada');
    await eventually(() => otel.value('realtime.connections', METERED), (n) => n === before + 1, 'the connection counted');
    expect(await otel.value('realtime.handshakes', { ...METERED, 'realtime.outcome': 'accepted' })).toBeGreaterThanOrEqual(1);
    const accepted = otel.librarySpans().find((span) => span.name === 'realtime.handshake' && span.attributes['realtime.outcome'] === 'accepted');
    expect(accepted?.attributes).toMatchObject({ 'realtime.namespace': '/metered', 'realtime.transport': 'socket.io' });

    socket.close();
    await eventually(() => otel.value('realtime.connections', METERED), (n) => n === before, 'the connection counted out');
  });

  it('counts a refused handshake with its error type and reason, and ends its span with an error', async () => {
    const refused = { ...METERED, 'realtime.outcome': 'refused', 'error.type': 'UNAUTHENTICATED', 'realtime.reason': 'missing_token' };
    await expect(rt.connect({ namespace: 'metered' })).rejects.toBeInstanceOf(ConnectRefusedError);
    await eventually(() => otel.value('realtime.handshakes', refused), (n) => n === 1, 'the refusal counted');
    const span = otel.librarySpans().find((candidate) => candidate.attributes['realtime.reason'] === 'missing_token');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject(refused);
  });

  it('records an answered message: count, duration and a SERVER span named after namespace and event', async () => {
    const socket = await connect('metered', 'ada');
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    const ok = { ...METERED, 'realtime.event': 'echo', 'realtime.outcome': 'ok' };
    await eventually(() => otel.value('realtime.messages.received', ok), (n) => n === 1, 'the message counted');
    expect(await otel.value('realtime.message.duration', ok)).toBe(1);
    const span = otel.librarySpans().find((candidate) => candidate.name === '/metered echo');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject(ok);
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('records an INTERNAL error with its requestId; the span records it without the internal message', async () => {
    const socket = await connect('metered', 'ada');
    const answer = (await socket.emitWithAck('boom', null)) as { code: string; requestId: string };
    expect(answer.code).toBe('INTERNAL');
    const failed = { ...METERED, 'realtime.event': 'boom', 'realtime.outcome': 'INTERNAL', 'error.type': 'INTERNAL' };
    await eventually(() => otel.value('realtime.messages.received', failed), (n) => n === 1, 'the failure counted');
    const span = await eventually(() => otel.librarySpans().find((candidate) => candidate.name === '/metered boom'), Boolean, 'the span');
    expect(span!.attributes).toMatchObject({ ...failed, 'realtime.request_id': answer.requestId });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
    expect(JSON.stringify([span!.attributes, span!.events, span!.status])).not.toContain('hunter2');
  });

  it('records a failure on the message it answers, when another message of the same event is still in flight', async () => {
    const socket = await connect('metered', 'ada');
    const held = socket.emitWithAck('held', 'hold');
    const failed = (await socket.emitWithAck('held', 'fail')) as { code: string; requestId: string };
    expect(failed.code).toBe('INTERNAL');
    expect(await socket.emitWithAck('held', 'release')).toBe('released');
    expect(await held).toBe('held');
    const spans = await eventually(() => otel.librarySpans().filter((span) => span.name === '/metered held'), (found) => found.length === 3, 'the three spans');
    const errors = spans.filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attributes['realtime.request_id']).toBe(failed.requestId);
    // The failing message ended first; the held one, which was older, ended last and succeeded.
    const ends = spans.map((span) => span.endTime[0] * 1e9 + span.endTime[1]);
    expect(ends.indexOf(Math.min(...ends))).toBe(spans.indexOf(errors[0]!));
    expect(await otel.value('realtime.messages.received', { ...METERED, 'realtime.event': 'held', 'realtime.outcome': 'ok' })).toBe(2);
  });

  it('records a failure answered without an ack (a native `exception` frame) on its message', async () => {
    const client = await openNative();
    const exception = client.next('exception');
    client.send('boom', null);
    const { data } = (await exception) as { data: { code: string; requestId: string } };
    expect(data.code).toBe('INTERNAL');
    const failed = { 'realtime.namespace': '/metered', 'realtime.transport': 'websocket', 'realtime.event': 'boom', 'realtime.outcome': 'INTERNAL' };
    await eventually(() => otel.value('realtime.messages.received', failed), (n) => n === 1, 'the native failure counted');
    const span = otel.librarySpans().find((candidate) => candidate.name === '/metered boom' && candidate.attributes['realtime.transport'] === 'websocket');
    expect(span?.attributes['realtime.request_id']).toBe(data.requestId);
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('runs the handler inside the message span: a span the handler makes is its child', async () => {
    const socket = await connect('metered', 'ada');
    expect(await socket.emitWithAck('traced', null)).toBe('done');
    const message = await eventually(() => otel.librarySpans().find((span) => span.name === '/metered traced'), Boolean, 'the message span');
    const child = otel.spans().find((span) => span.name === 'app work');
    expect(child?.parentSpanContext?.spanId).toBe(message!.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(message!.spanContext().traceId);
  });

  it('records a message refused by the rate limit as rate_limited, and counts the refusal', async () => {
    const socket = await connect('metered', 'rita');
    expect(await socket.emitWithAck('scarce', null)).toBe('ok');
    expect(await socket.emitWithAck('scarce', null)).toMatchObject({ code: 'RATE_LIMITED' });
    const event = { ...METERED, 'realtime.event': 'scarce' };
    await eventually(() => otel.value('realtime.rate_limit.refusals', event), (n) => n === 1, 'the refusal counted');
    // error.type is the code the client got.
    expect(await otel.value('realtime.messages.received', { ...event, 'realtime.outcome': 'rate_limited', 'error.type': 'RATE_LIMITED' })).toBe(1);
    expect(await otel.value('realtime.messages.received', { ...event, 'realtime.outcome': 'ok' })).toBe(1);
  });

  it("records an event no handler serves as `unknown`, never the client's string", async () => {
    const socket = await connect('metered', 'ada');
    expect(await socket.emitWithAck('drop table users', null)).toMatchObject({ code: 'NOT_FOUND' });
    const unknown = { ...METERED, 'realtime.event': 'unknown', 'realtime.outcome': 'NOT_FOUND' };
    await eventually(() => otel.value('realtime.messages.received', unknown), (n) => n === 1, 'the unknown event counted');
    const recorded = JSON.stringify([await otel.metrics(), otel.spans().map((span) => [span.name, span.attributes])]);
    expect(recorded).not.toContain('drop table');
  });

  it("observes the library's own auth:refresh until the token was verified", async () => {
    const socket = await connect('metered', 'ada');
    expect(await socket.emitWithAck('auth:refresh', { token: sign({ sub: 'ada' }) })).toMatchObject({ status: 'ok' });
    expect(await socket.emitWithAck('auth:refresh', { token: sign({ sub: 'eve' }) })).toMatchObject({ code: 'FORBIDDEN' });
    const refresh = { ...METERED, 'realtime.event': 'auth:refresh' };
    await eventually(() => otel.value('realtime.messages.received', { ...refresh, 'realtime.outcome': 'FORBIDDEN' }), (n) => n === 1, 'the refused refresh');
    expect(await otel.value('realtime.messages.received', { ...refresh, 'realtime.outcome': 'ok' })).toBe(1);
  });

  it('counts presence joins and leaves through RoomsGateway, without room names by default', async () => {
    const socket = await connect('chat', 'pam');
    await socket.emitWithAck('joinRoom', { room: 'lobby' });
    await eventually(() => otel.value('realtime.presence.joins', { 'realtime.namespace': '/chat' }), (n) => n === 1, 'the join counted');
    await socket.emitWithAck('leaveRoom', { room: 'lobby' });
    await eventually(() => otel.value('realtime.presence.leaves', { 'realtime.namespace': '/chat' }), (n) => n === 1, 'the leave counted');
    // A disconnect leaves the rooms the connection is still in.
    await socket.emitWithAck('joinRoom', { room: 'lobby' });
    socket.close();
    await eventually(() => otel.value('realtime.presence.leaves', { 'realtime.namespace': '/chat' }), (n) => n === 2, 'the disconnect counted');
    const points = [...(await otel.points('realtime.presence.joins')), ...(await otel.points('realtime.presence.leaves'))];
    expect(points.every((point) => !('realtime.room' in point.attributes))).toBe(true);
  });

  it('counts a presence:diff as one broadcast, however many joins it carries', async () => {
    const sent = (kind: string) => otel.value('realtime.messages.sent', { 'realtime.namespace': '/chat', 'realtime.transport': 'socket.io', 'realtime.kind': kind });
    const watcher = await connect('chat', 'watcher');
    const diffs: unknown[] = [];
    watcher.on('presence:diff', (diff: unknown) => diffs.push(diff));
    await watcher.emitWithAck('joinRoom', { room: 'counted' });
    presenceClock.advance(50); // closes every open window, earlier tests' too
    await eventually(() => diffs.length, (n) => n === 1, "the watcher's own diff");
    const broadcasts = await sent('broadcast');

    for (const id of ['j1', 'j2', 'j3']) expect(await (await connect('chat', id)).emitWithAck('joinRoom', { room: 'counted' })).toMatchObject({ status: 'ok' });
    presenceClock.advance(50);
    await eventually(() => diffs.length, (n) => n === 2, 'the diff of the three joins');
    expect(await sent('broadcast')).toBe(broadcasts + 1);
  });

  it('records native WebSocket connections and messages with transport websocket', async () => {
    const native = { 'realtime.namespace': '/metered', 'realtime.transport': 'websocket' };
    const client = await openNative();
    await eventually(() => otel.value('realtime.connections', native), (n) => n === 1, 'the native connection counted');
    expect(await client.request('echo', 7)).toBe(7);
    const ok = { ...native, 'realtime.event': 'echo', 'realtime.outcome': 'ok' };
    await eventually(() => otel.value('realtime.messages.received', ok), (n) => n === 1, 'the native message counted');
    expect(otel.librarySpans().find((span) => span.name === '/metered echo' && span.attributes['realtime.transport'] === 'websocket')).toBeDefined();
    client.close();
    await eventually(() => otel.value('realtime.connections', native), (n) => n === 0, 'the native connection counted out');
  });
});

describe('room names as attributes', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot({ enabled: true, roomNames: true });
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('records the room with roomNames: true', async () => {
    const socket = await rt.connect({ namespace: 'chat', user: { id: 'pam' } });
    await socket.emitWithAck('joinRoom', { room: 'lobby' });
    await eventually(() => otel.value('realtime.presence.joins', { 'realtime.namespace': '/chat', 'realtime.room': 'lobby' }), (n) => n === 1, 'the join');
  });
});

describe('on by default: no observability option, an SDK registered before the app boots', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot();
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('records the handshake and the message: metrics and spans', async () => {
    expect(rt.app.get(RealtimeTelemetry)).not.toBeNull();
    const socket = await rt.connect({ namespace: 'metered', user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    const ok = { ...METERED, 'realtime.event': 'echo', 'realtime.outcome': 'ok' };
    await eventually(() => otel.value('realtime.messages.received', ok), (n) => n === 1, 'the message counted');
    expect(await otel.value('realtime.handshakes', { ...METERED, 'realtime.outcome': 'accepted' })).toBe(1);
    expect(await otel.value('realtime.connections', METERED)).toBe(1);
    const names = otel.librarySpans().map((span) => span.name);
    expect(names).toContain('realtime.handshake');
    expect(names).toContain('/metered echo');
  });
});

describe('with enabled: false', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot({ enabled: false });
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('records nothing, though an SDK is registered', async () => {
    expect(rt.app.get(RealtimeTelemetry)).toBeNull();
    const socket = await rt.connect({ namespace: 'metered', user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    await expect(rt.connect({ namespace: 'metered' })).rejects.toBeInstanceOf(ConnectRefusedError);
    expect(await otel.metrics()).toEqual([]);
    expect(otel.librarySpans()).toEqual([]);
  });
});

describe('with traces: false, metrics and traces registered', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot({ traces: false });
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('records the metrics and no span; a span the handler makes has no message span to be a child of', async () => {
    const socket = await rt.connect({ namespace: 'metered', user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    expect(await socket.emitWithAck('traced', null)).toBe('done');
    await expect(rt.connect({ namespace: 'metered' })).rejects.toBeInstanceOf(ConnectRefusedError);
    const ok = { ...METERED, 'realtime.event': 'echo', 'realtime.outcome': 'ok' };
    await eventually(() => otel.value('realtime.messages.received', ok), (n) => n === 1, 'the message counted');
    await eventually(() => otel.value('realtime.messages.received', { ...METERED, 'realtime.event': 'traced', 'realtime.outcome': 'ok' }), (n) => n === 1, 'the traced message counted');
    expect(await otel.value('realtime.handshakes', { ...METERED, 'realtime.outcome': 'accepted' })).toBe(1);
    expect(await otel.value('realtime.handshakes', { ...METERED, 'realtime.outcome': 'refused' })).toBe(1);
    expect(otel.librarySpans()).toEqual([]);
    const appWork = otel.spans().find((span) => span.name === 'app work');
    expect(appWork).toBeDefined();
    expect(appWork!.parentSpanContext).toBeUndefined();
  });
});

/** Every Logger call of the app, whatever its level, silenced and kept. */
function recordLogs() {
  return LEVELS.map((level) => vi.spyOn(Logger.prototype, level).mockImplementation(() => undefined));
}
const LEVELS = ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const;
const mentionsObservability = (spies: ReturnType<typeof recordLogs>) =>
  spies.flatMap((spy) => spy.mock.calls).filter((call) => /observability|opentelemetry|sdk/i.test(JSON.stringify(call)));

describe('on by default without an OpenTelemetry SDK', () => {
  let rt: RealtimeTestingApp;
  let otel: InMemoryOpenTelemetry | undefined;
  let logs: ReturnType<typeof recordLogs>;
  beforeAll(async () => {
    logs = recordLogs();
    rt = await boot();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await rt?.close();
    await otel?.uninstall();
  });

  it('sets nothing up and says nothing about it: the app has no OpenTelemetry, as most apps', async () => {
    expect(rt.app.get(RealtimeTelemetry)).toBeNull();
    expect(mentionsObservability(logs)).toEqual([]);
    expect(logs[1]!.mock.calls).toEqual([]); // no warning of any kind at boot
    otel = InMemoryOpenTelemetry.install();
    const socket = await rt.connect({ namespace: 'metered', user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    expect(await otel.metrics()).toEqual([]);
    expect(otel.librarySpans()).toEqual([]);
  });
});

describe('enabled without an OpenTelemetry SDK', () => {
  let rt: RealtimeTestingApp;
  let otel: InMemoryOpenTelemetry | undefined;
  let logs: ReturnType<typeof recordLogs>;
  beforeAll(async () => {
    logs = recordLogs();
    rt = await boot({ enabled: true });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await rt?.close();
    await otel?.uninstall();
  });

  it('warns at boot that no SDK is registered', () => {
    expect(logs[1]!.mock.calls).toEqual([[expect.stringContaining('observability.enabled is true but no OpenTelemetry SDK is registered')]]);
  });

  it('does no observability work: messages and handshakes work, and an SDK registered after boot sees nothing', async () => {
    expect(rt.app.get(RealtimeTelemetry)).toBeNull();
    otel = InMemoryOpenTelemetry.install();
    const socket = await rt.connect({ namespace: 'metered', user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    expect(await socket.emitWithAck('boom', null)).toMatchObject({ code: 'INTERNAL' });
    expect(await otel.metrics()).toEqual([]);
    expect(otel.librarySpans()).toEqual([]);
  });
});

describe('enabled, traces: false, with only a tracer provider registered', () => {
  let rt: RealtimeTestingApp;
  let logs: ReturnType<typeof recordLogs>;
  let provider: BasicTracerProvider;
  beforeAll(async () => {
    provider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(provider);
    logs = recordLogs();
    rt = await boot({ enabled: true, traces: false });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await rt?.close();
    trace.disable();
    await provider?.shutdown();
  });

  it('has nothing to record, and says why', () => {
    expect(rt.app.get(RealtimeTelemetry)).toBeNull();
    expect(logs[1]!.mock.calls).toEqual([[expect.stringContaining('no OpenTelemetry meter provider is registered')]]);
  });
});
