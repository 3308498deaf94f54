import { connectClient, freePort } from '@nestjs-realtime/core/testing';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { login, startApp, waitForOutput, type Started } from './support/app-process.js';
import { dashboardProblems, dashboardReferences, readDashboard } from './support/grafana-dashboard.js';
import { nextFrame, openDevice } from './support/native-device.js';
import type { Exposition } from './support/prometheus-text.js';
import { libraryTelemetryNames, prometheusLabel, prometheusName, REDIS_ONLY_METRICS } from './support/redis-only-metrics.js';
import { scrapeUntil, seriesOf, totalOf, type Scrape } from './support/scrape-metrics.js';

/**
 * Messages one connection sends at once: over the example's rate limit (bursts of 20 per
 * connection), and fewer than 10 over it, which would disconnect it (`disconnectAfter`).
 */
const FLOOD = 28;
const CHAT = { realtime_namespace: '/chat', realtime_transport: 'socket.io' };

describe('GET /metrics of the built example app, after real traffic', () => {
  let app: Started;
  let base: string;
  let ada: Socket;
  let flo: Socket;
  let device: WebSocket;
  let flood: { ok: number; refused: number };
  let scrape: Scrape;
  let metrics: Exposition;

  beforeAll(async () => {
    const port = await freePort();
    app = startApp({ PORT: String(port) });
    await waitForOutput(app, /listening on/);
    base = `http://127.0.0.1:${port}`;

    // Socket.IO on /chat: messages that succeed and fail, a presence join and leave.
    ada = await connectClient(base, { namespace: 'chat', auth: { token: await login(base, 'Ada') } });
    for (const text of ['one', 'two', 'three']) expect(await ada.emitWithAck('message', { text })).toMatchObject({ status: 'ok' });
    expect(await ada.emitWithAck('message', { text: '' })).toMatchObject({ status: 'error', code: 'BAD_REQUEST' });
    expect(await ada.emitWithAck('joinRoom', { room: 'private-bob' })).toMatchObject({ status: 'error', code: 'FORBIDDEN' });
    expect(await ada.emitWithAck('joinRoom', { room: 'general' })).toMatchObject({ status: 'ok' });
    expect(await ada.emitWithAck('leaveRoom', { room: 'general' })).toMatchObject({ status: 'ok' });
    // A handshake without a token.
    await expect(connectClient(base, { namespace: 'chat' })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED', reason: 'missing_token' } });
    // A native WebSocket device on /ws.
    device = await openDevice(base, await login(base, 'Dora'));
    const whoami = nextFrame(device, 'whoami');
    device.send(JSON.stringify({ event: 'whoami' }));
    expect(await whoami).toMatchObject({ id: 'dora' });
    // A flood, part of it refused by the rate limit.
    flo = await connectClient(base, { namespace: 'chat', auth: { token: await login(base, 'Flo') } });
    const replies = (await Promise.all(Array.from({ length: FLOOD }, (_, i) => flo.emitWithAck('message', { text: `flood ${i}` })))) as { status: string; code?: string }[];
    flood = { ok: replies.filter((reply) => reply.status === 'ok').length, refused: replies.filter((reply) => reply.code === 'RATE_LIMITED').length };
    expect(flood.refused).toBeGreaterThan(0);
    expect(flood.ok + flood.refused).toBe(FLOOD);

    // Every answer the clients got (7 from Ada, the flood, whoami) and every handshake (4) is counted.
    scrape = await scrapeUntil(
      base,
      (exposition) => totalOf(exposition, 'realtime_messages_received_total') === 7 + FLOOD + 1 && totalOf(exposition, 'realtime_handshakes_total') === 4,
      'every message and handshake of the traffic',
    );
    metrics = scrape.exposition;
  }, 60_000);

  afterAll(() => {
    ada?.close();
    flo?.close();
    device?.close();
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('answers in Prometheus text format, a family for each of the library\'s metrics, all in its scope', () => {
    expect(scrape.status).toBe(200);
    expect(scrape.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Object.fromEntries([...metrics.types].filter(([name]) => name.startsWith('realtime_')))).toEqual({
      realtime_connections: 'gauge',
      realtime_handshakes_total: 'counter',
      realtime_messages_received_total: 'counter',
      realtime_messages_sent_total: 'counter',
      realtime_message_duration: 'histogram',
      realtime_rate_limit_refusals_total: 'counter',
      realtime_presence_joins_total: 'counter',
      realtime_presence_leaves_total: 'counter',
      realtime_presence_rooms: 'gauge',
      realtime_presence_users: 'gauge',
      realtime_presence_connections: 'gauge',
      realtime_presence_store_duration: 'histogram',
      realtime_draining: 'gauge',
      realtime_drain_remaining: 'gauge',
    });
    const library = metrics.samples.filter((sample) => sample.name.startsWith('realtime_'));
    expect(library.every((sample) => sample.labels.otel_scope_name === '@nestjs-realtime/core')).toBe(true);
  });

  it('counts handshakes, accepted and refused with their code and reason, and the connections open by namespace and transport', () => {
    expect(seriesOf(metrics, 'realtime_handshakes_total')).toEqual(
      expect.arrayContaining([
        { labels: { ...CHAT, realtime_outcome: 'accepted' }, value: 2 },
        { labels: { realtime_namespace: '/ws', realtime_transport: 'websocket', realtime_outcome: 'accepted' }, value: 1 },
        { labels: { ...CHAT, realtime_outcome: 'refused', error_type: 'UNAUTHENTICATED', realtime_reason: 'missing_token' }, value: 1 },
      ]),
    );
    expect(seriesOf(metrics, 'realtime_handshakes_total')).toHaveLength(3);
    expect(seriesOf(metrics, 'realtime_connections')).toEqual(
      expect.arrayContaining([
        { labels: CHAT, value: 2 },
        { labels: { realtime_namespace: '/ws', realtime_transport: 'websocket' }, value: 1 },
      ]),
    );
    expect(seriesOf(metrics, 'realtime_connections')).toHaveLength(2);
  });

  it('counts messages by event and outcome, with the error code of those that failed, and times them in a histogram', () => {
    const message = { ...CHAT, realtime_event: 'message' };
    const expected = [
      { labels: { ...message, realtime_outcome: 'ok' }, value: 3 + flood.ok },
      { labels: { ...message, realtime_outcome: 'BAD_REQUEST', error_type: 'BAD_REQUEST' }, value: 1 },
      { labels: { ...message, realtime_outcome: 'rate_limited', error_type: 'RATE_LIMITED' }, value: flood.refused },
      { labels: { ...CHAT, realtime_event: 'joinRoom', realtime_outcome: 'ok' }, value: 1 },
      { labels: { ...CHAT, realtime_event: 'joinRoom', realtime_outcome: 'FORBIDDEN', error_type: 'FORBIDDEN' }, value: 1 },
      { labels: { ...CHAT, realtime_event: 'leaveRoom', realtime_outcome: 'ok' }, value: 1 },
      { labels: { realtime_namespace: '/ws', realtime_transport: 'websocket', realtime_event: 'whoami', realtime_outcome: 'ok' }, value: 1 },
    ];
    expect(seriesOf(metrics, 'realtime_messages_received_total')).toEqual(expect.arrayContaining(expected));
    expect(seriesOf(metrics, 'realtime_messages_received_total')).toHaveLength(expected.length);

    // One histogram per series of the counter, with as many observations.
    expect(seriesOf(metrics, 'realtime_message_duration_count')).toEqual(expect.arrayContaining(expected));
    expect(seriesOf(metrics, 'realtime_message_duration_count')).toHaveLength(expected.length);
    const okBuckets = seriesOf(metrics, 'realtime_message_duration_bucket').filter(({ labels }) => labels.realtime_event === 'message' && labels.realtime_outcome === 'ok');
    const counts = okBuckets.map(({ value }) => value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b)); // cumulative, by `le`
    expect(okBuckets.at(-1)).toEqual({ labels: { ...expected[0]!.labels, le: '+Inf' }, value: 3 + flood.ok });
    // Seconds: the flood's handlers settle well within a minute.
    const seconds = seriesOf(metrics, 'realtime_message_duration_sum').find(({ labels }) => labels.realtime_event === 'message' && labels.realtime_outcome === 'ok')!;
    expect(seconds.value).toBeGreaterThan(0);
    expect(seconds.value).toBeLessThan(60);
  });

  it('counts the messages sent: answers through Socket.IO acks, and the native reply frame', () => {
    const sent = seriesOf(metrics, 'realtime_messages_sent_total');
    expect(sent).toContainEqual({ labels: { realtime_namespace: '/ws', realtime_transport: 'websocket', realtime_kind: 'ack' }, value: 1 });
    const chatAcks = sent.find(({ labels }) => labels.realtime_namespace === '/chat' && labels.realtime_kind === 'ack');
    // At least the answers the clients awaited: three messages, the BAD_REQUEST, two joinRoom, one leaveRoom.
    expect(chatAcks?.value).toBeGreaterThanOrEqual(7);
  });

  it('counts the messages the rate limit refused, and presence joins and leaves', () => {
    expect(seriesOf(metrics, 'realtime_rate_limit_refusals_total')).toEqual([{ labels: { ...CHAT, realtime_event: 'message' }, value: flood.refused }]);
    expect(seriesOf(metrics, 'realtime_presence_joins_total')).toEqual([{ labels: { realtime_namespace: '/chat' }, value: 1 }]);
    expect(seriesOf(metrics, 'realtime_presence_leaves_total')).toEqual([{ labels: { realtime_namespace: '/chat' }, value: 1 }]);
  });

  it('reports presence sizes (Ada left the one room she joined), the presence store calls, and that the app is not draining', () => {
    for (const gauge of ['realtime_presence_rooms', 'realtime_presence_users', 'realtime_presence_connections']) {
      expect(seriesOf(metrics, gauge)).toEqual([{ labels: { realtime_namespace: '/chat' }, value: 0 }]);
    }
    const calls = (operation: string) => seriesOf(metrics, 'realtime_presence_store_duration_count').find(({ labels }) => labels.realtime_operation === operation);
    expect(calls('join')).toEqual({ labels: { realtime_operation: 'join', realtime_store: 'memory' }, value: 1 });
    expect(calls('leave')).toEqual({ labels: { realtime_operation: 'leave', realtime_store: 'memory' }, value: 1 });
    expect(seriesOf(metrics, 'realtime_draining')).toEqual([{ labels: {}, value: 0 }]);
    expect(seriesOf(metrics, 'realtime_drain_remaining')).toEqual([{ labels: {}, value: 0 }]);
  });

  it('serves every metric, label and label value the Grafana dashboard in the docs queries', () => {
    const dashboard = readDashboard();
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const datasources = [...dashboard.panels.flatMap((panel) => [panel.datasource, ...panel.targets.map((target) => target.datasource)]), ...dashboard.templating.list.map((variable) => variable.datasource)];
    expect(datasources.every((datasource) => datasource.type === 'prometheus' && datasource.uid === '${DS_PROMETHEUS}')).toBe(true);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(9);

    // The Redis panel's metrics need Redis, which this app runs without: checked in the next test.
    expect(dashboardProblems(dashboard, metrics, new Set(Object.keys(REDIS_ONLY_METRICS)))).toEqual([]);
  });

  it("names the dashboard's Redis metrics and labels as the library records them (the app runs without Redis)", () => {
    const references = dashboardReferences(readDashboard());
    // Exactly the listed metrics are missing from the scrape, and each of them is on the dashboard.
    const queried = [...new Set(references.flatMap(({ metrics: names }) => names))];
    const unscraped = queried.filter((name) => !metrics.samples.some((sample) => sample.name === name));
    expect(unscraped.sort()).toEqual(Object.keys(REDIS_ONLY_METRICS).sort());

    const library = libraryTelemetryNames();
    const labels = library.attributes.map(prometheusLabel);
    for (const [name, { metric, kind, labels: carried }] of Object.entries(REDIS_ONLY_METRICS)) {
      expect(library.metrics).toContain(metric);
      expect(prometheusName(metric, kind)).toBe(name);
      for (const label of carried) expect(labels).toContain(label);
      // What the dashboard reads of it, it carries.
      const read = references.filter(({ metrics: names }) => names.includes(name)).flatMap(({ labels: used }) => used);
      for (const label of read) expect(carried).toContain(label);
    }
  });

  it('takes a closed connection off the open ones', async () => {
    flo.close();
    const after = await scrapeUntil(base, (exposition) => seriesOf(exposition, 'realtime_connections').some(({ labels, value }) => labels.realtime_namespace === '/chat' && value === 1), 'one /chat connection left');
    expect(seriesOf(after.exposition, 'realtime_connections')).toEqual(expect.arrayContaining([{ labels: CHAT, value: 1 }]));
  });
});

describe('OTEL_METRICS', () => {
  let app: Started | undefined;
  afterEach(() => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('off: no GET /metrics, and the app serves the chat as before', async () => {
    const port = await freePort();
    app = startApp({ PORT: String(port), OTEL_METRICS: 'off' });
    await waitForOutput(app, /listening on/);
    const base = `http://127.0.0.1:${port}`;
    const socket = await connectClient(base, { namespace: 'chat', auth: { token: await login(base, 'Ada') } });
    expect(await socket.emitWithAck('message', { text: 'hello' })).toMatchObject({ status: 'ok' });
    socket.close();
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    // Nor a warning that observability is on without an SDK: it is off.
    expect(app.output()).not.toMatch(/RealtimeObservability/);
  });

  it('anything but on or off stops the app at boot, naming the variable', async () => {
    app = startApp({ PORT: '0', OTEL_METRICS: 'yes' });
    expect((await app.exited).code).toBe(1);
    expect(app.output()).toMatch(/OTEL_METRICS must be "on" or "off"/);
  });
});
