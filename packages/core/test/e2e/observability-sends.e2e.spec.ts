import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeEmitter, RealtimeIoAdapter, RealtimeModule, RealtimeService } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, connectAs, until, waitUntilMeshed } from '../support/cluster.js';
import { ClusterRoomsGateway } from '../support/cluster-gateways.js';
import { eventually, InMemoryOpenTelemetry } from '../support/otel-sdk.js';
import { MeteredNativeGateway } from '../support/telemetry-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

/** Two instances on one Redis, observability on, with a native WebSocket path beside Socket.IO. */
async function startObservedInstances(redisUrl: string): Promise<RealtimeTestingApp[]> {
  const instances: RealtimeTestingApp[] = [];
  for (let i = 0; i < 2; i++) {
    instances.push(
      await createRealtimeTestingApp(
        {
          imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: { url: redisUrl, keyPrefix: 'traced' }, observability: { enabled: true } })],
          providers: [ClusterRoomsGateway, MeteredNativeGateway],
        },
        { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
      ),
    );
  }
  return instances;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('messages sent, and sends traced from an HTTP request to the instance that delivers them', () => {
  let otel: InMemoryOpenTelemetry;
  let redis: RedisTestServer;
  let instances: RealtimeTestingApp[];

  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    redis = await RedisTestServer.start();
    instances = await startObservedInstances(redis.url);
    await waitUntilMeshed(instances);
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    await redis?.stop();
    await otel?.uninstall();
  });

  it('counts acks, emits and broadcasts by namespace and transport', async () => {
    const sent = (kind: string) => otel.value('realtime.messages.sent', { 'realtime.namespace': '/rooms', 'realtime.transport': 'socket.io', 'realtime.kind': kind });
    const [acks, emits, broadcasts] = [await sent('ack'), await sent('emit'), await sent('broadcast')];
    const socket = await connectAs(instances[0]!, 'counted');
    expect(await socket.emitWithAck('join', 'counting')).toBe('joined');
    expect(await socket.emitWithAck('shout', { room: 'counting', text: 'hi' })).toBe('sent');
    await eventually(() => sent('ack'), (n) => n === acks + 2, 'the two acks');
    expect(await sent('broadcast')).toBe(broadcasts + 1); // the shout, once, however many hear it
    // An error without an ack (the handler fails on a null payload) goes to the socket alone, as `exception`.
    const exception = new Promise((resolve) => socket.once('exception', resolve));
    socket.emit('shout', null);
    await exception;
    await eventually(() => sent('emit'), (n) => n === emits + 1, 'the exception emitted');

    const native = await WsTestClient.open(`${instances[0]!.url.replace('http', 'ws')}/metered`, { headers: { Authorization: `Bearer ${sign({ sub: 'nat' })}` } });
    try {
      expect(await native.request('echo', 1)).toBe(1);
      const nativeAcks = { 'realtime.namespace': '/metered', 'realtime.transport': 'websocket', 'realtime.kind': 'ack' };
      await eventually(() => otel.value('realtime.messages.sent', nativeAcks), (n) => n === 1, 'the native reply');
    } finally {
      native.close();
    }
  });

  it('POST → toUser → delivered on the other instance: one trace, send span a child of the request, each delivery a child of the send', async () => {
    const listener = await connectAs(instances[1]!, 'ada');
    const heard = collect(listener, 'notification');
    const service = instances[0]!.app.get(RealtimeService);
    const request = trace.getTracer('app').startActiveSpan('POST /notifications', (span) => {
      service.toUser('ada').emit('notification', { text: 'ready' });
      span.end();
      return span;
    });
    await until(() => heard.length === 1, 5000, 'the notification on the other instance');

    const send = otel.librarySpans().find((span) => span.name === 'realtime.send' && parentOf(span) === request.spanContext().spanId);
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(send?.attributes).toEqual({ 'realtime.event': 'notification', 'realtime.target': 'user' });
    const deliveries = await eventually(
      () => otel.librarySpans().filter((span) => span.name === 'realtime.deliver' && parentOf(span) === send!.spanContext().spanId),
      (found) => found.length > 0,
      'the delivery to ada',
    );
    // One delivery: where ada is connected (the sender's instance reached nobody, so it has no span).
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.kind).toBe(SpanKind.CONSUMER);
    expect(deliveries[0]!.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(deliveries[0]!.attributes).toEqual({ 'realtime.namespace': '/rooms', 'realtime.transport': 'socket.io', 'realtime.recipients': 1 });
    listener.close();
  });

  it("reaches a user's native clients on the other instance in the same trace", async () => {
    const native = await WsTestClient.open(`${instances[1]!.url.replace('http', 'ws')}/metered`, { headers: { Authorization: `Bearer ${sign({ sub: 'nia' })}` } });
    try {
      const frame = native.next('notification');
      const request = trace.getTracer('app').startActiveSpan('POST /notifications', (span) => {
        instances[0]!.app.get(RealtimeService).toUser('nia').emit('notification', { text: 'native' });
        span.end();
        return span;
      });
      expect((await frame).data).toEqual({ text: 'native' });
      const send = otel.librarySpans().find((span) => span.name === 'realtime.send' && parentOf(span) === request.spanContext().spanId)!;
      const delivery = await eventually(
        () => otel.librarySpans().find((span) => span.name === 'realtime.deliver' && parentOf(span) === send.spanContext().spanId && span.attributes['realtime.transport'] === 'websocket' && span.attributes['realtime.recipients'] === 1),
        Boolean,
        "the native delivery",
      );
      expect(delivery!.spanContext().traceId).toBe(request.spanContext().traceId);
    } finally {
      native.close();
    }
  });

  it("a gateway's own broadcast (server.to(room).emit()) in a handler: a send span, child of the message's, delivered in its trace on both instances", async () => {
    const [speaker, here, there] = [await connectAs(instances[0]!, 'gus'), await connectAs(instances[0]!, 'hal'), await connectAs(instances[1]!, 'ivy')];
    for (const socket of [speaker, here, there]) expect(await socket.emitWithAck('join', 'traced-room')).toBe('joined');
    const heard = [collect(speaker, 'shouted'), collect(here, 'shouted'), collect(there, 'shouted')];
    const earlier = new Set(otel.librarySpans());
    expect(await speaker.emitWithAck('shout', { room: 'traced-room', text: 'hello' })).toBe('sent');
    await until(() => heard.every((messages) => messages.length === 1), 5000, 'the shout, heard by all three');

    const message = await eventually(() => otel.librarySpans().find((span) => span.name === '/rooms shout' && !earlier.has(span)), Boolean, 'the message span');
    const sends = otel.librarySpans().filter((span) => span.name === 'realtime.send' && parentOf(span) === message!.spanContext().spanId);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.kind).toBe(SpanKind.PRODUCER);
    expect(sends[0]!.attributes).toEqual({ 'realtime.event': 'shouted', 'realtime.target': 'room', 'realtime.namespace': '/rooms' });
    const deliveries = await eventually(
      () => otel.librarySpans().filter((span) => span.name === 'realtime.deliver' && parentOf(span) === sends[0]!.spanContext().spanId),
      (found) => found.length === 2,
      'a delivery on each instance',
    );
    // The speaker's instance reached the speaker and hal; the other, ivy.
    expect(deliveries.map((span) => span.attributes['realtime.recipients']).sort()).toEqual([1, 2]);
    for (const delivery of deliveries) expect(delivery.spanContext().traceId).toBe(message!.spanContext().traceId);
    for (const socket of [speaker, here, there]) socket.close();
  });

  it('a broadcast operator the app keeps traces each of its emits on its own', async () => {
    const listener = await connectAs(instances[1]!, 'jon');
    const heard = collect(listener, 'tick');
    const namespace = instances[0]!.app.get(ClusterRoomsGateway).namespace;
    const operator = namespace.to('user:jon');
    const jobs = ['first', 'second'].map((name) =>
      trace.getTracer('app').startActiveSpan(`job ${name}`, (span) => {
        operator.emit('tick', name);
        span.end();
        return { name, job: span };
      }),
    );
    await until(() => heard.length === 2, 5000, 'both ticks');
    for (const { name, job } of jobs) {
      const send = otel.librarySpans().find((span) => span.name === 'realtime.send' && parentOf(span) === job.spanContext().spanId);
      expect(send?.attributes['realtime.target']).toBe('room');
      await eventually(
        () => otel.librarySpans().find((span) => span.name === 'realtime.deliver' && parentOf(span) === send!.spanContext().spanId),
        Boolean,
        `the delivery of the ${name} tick`,
      );
    }
    listener.close();
  });

  it('a RealtimeEmitter with observability on (a worker) starts the trace its deliveries continue', async () => {
    const listener = await connectAs(instances[1]!, 'eve');
    const heard = collect(listener, 'job:done');
    const emitter = await RealtimeEmitter.create({ redis: { url: redis.url, keyPrefix: 'traced' }, namespaces: ['/rooms'], observability: { enabled: true } });
    try {
      const job = trace.getTracer('worker').startActiveSpan('export job', (span) => {
        emitter.toRoom('user:eve').emit('job:done', { id: 7 });
        span.end();
        return span;
      });
      await until(() => heard.length === 1, 5000, 'the event from the worker');
      const send = otel.librarySpans().find((span) => span.name === 'realtime.send' && parentOf(span) === job.spanContext().spanId);
      expect(send?.attributes).toEqual({ 'realtime.event': 'job:done', 'realtime.target': 'room' });
      await eventually(
        () => otel.librarySpans().find((span) => span.name === 'realtime.deliver' && parentOf(span) === send!.spanContext().spanId && span.attributes['realtime.recipients'] === 1),
        Boolean,
        'the delivery of the worker’s event',
      );
    } finally {
      await emitter.close();
      listener.close();
    }
  });
});
