import { Logger } from '@nestjs/common';
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  ObservableResult,
  Span,
  Tracer,
  UpDownCounter,
} from '@opentelemetry/api';
import type { RealtimeConnection, ConnectionTransport } from '../connection/realtime-connection.js';
import type { ResolvedObservabilityOptions } from '../options/observability-options.interface.js';
import { loadOpenTelemetryApi, loadOpenTelemetryApiIfInstalled, type OpenTelemetryApi } from './load-opentelemetry-api.js';
import { MessageObservation, type MessageResult } from './message-observation.js';
import { messageSeriesIndex, type MessageSeries, type OutcomeSeries } from './message-series.js';
import { MeterCounts } from './meter-counts.js';
import type { SentCount, SentKind } from './sent-messages.js';
import type { SeriesIndex } from './series-index.js';
import { observeNamespaceAdapter, observeSocketPackets, type SocketIoObserverHooks } from './socket-io-observer.js';
import { traceDelivery, traceSend, type SendTarget } from './send-tracing.js';
import { messagesInFlight } from './messages-in-flight.js';
import { refusalReasonOf, type RefusalLike } from './refusal-reason.js';
import type { Namespace, Socket } from 'socket.io';
import type { GaugePoint, MetricCounter, MetricHistogram } from './metric-instruments.js';
import { ATTRIBUTE, DURATION_BUCKETS, HANDSHAKE_SPAN, INSTRUMENTATION_SCOPE, METRIC, UNKNOWN_EVENT, type MetricName } from './telemetry-names.js';

/** An instrument's description and unit (UCUM: `s`, `{connection}`…). */
export interface InstrumentOptions {
  description: string;
  unit: string;
}

/** Runs `send` in a `realtime.send` span when there is telemetry (see `traceSend`), else alone. */
export function sendTraced(telemetry: RealtimeTelemetry | null | undefined, target: SendTarget, send: (traceparent: string | undefined) => void): void {
  if (telemetry) telemetry.traceSend(target, send);
  else send(undefined);
}


interface Instruments {
  connections: UpDownCounter;
  handshakes: Counter;
  messageDuration: Histogram;
  presenceJoins: Counter;
  presenceLeaves: Counter;
}

const NO_SDK = 'observability.enabled is true but no OpenTelemetry SDK is registered: register it before NestFactory.create().';
const NO_METER_PROVIDER =
  'observability.enabled is true and observability.traces false, but no OpenTelemetry meter provider is registered: register it before NestFactory.create().';

const SOCKET_IO = 'socket.io';
const WEBSOCKET = 'websocket';

/** The value of `realtime.transport`. */
function transportName(transport: ConnectionTransport): string {
  return transport === 'ws' ? WEBSOCKET : SOCKET_IO;
}

/**
 * The library's OpenTelemetry instruments and tracer. It exists only when observability is on
 * and an SDK is registered at boot (`create` resolves `null` otherwise): the pipelines test one
 * reference per message and do nothing else, so without an SDK observability costs nothing. With
 * `traces: false` it has no tracer: no spans, and sends carry no `traceparent`.
 */
export class RealtimeTelemetry {
  private static readonly logger = new Logger('RealtimeObservability');

  /**
   * The telemetry for these options, or `null` when nothing is to be recorded: observability off,
   * `@opentelemetry/api` not installed (`'auto'`), or no SDK registered for what is asked.
   */
  static async create(options: ResolvedObservabilityOptions): Promise<RealtimeTelemetry | null> {
    const { enabled, traces } = options;
    if (enabled === false) return null;
    const api = enabled === 'auto' ? await loadOpenTelemetryApiIfInstalled() : await loadOpenTelemetryApi();
    if (!api) return null;
    // The API hands out its no-op meter and a proxy tracer until an SDK registers providers; both
    // are known objects, so "no SDK" is decided once here rather than paid for on every message.
    const meter = api.metrics.getMeter(INSTRUMENTATION_SCOPE);
    const metered = meter !== api.createNoopMeter();
    const tracer = traces ? api.trace.getTracer(INSTRUMENTATION_SCOPE) : undefined;
    const traced = tracer !== undefined && !(tracer instanceof api.ProxyTracer);
    if (!metered && !traced) {
      // 'auto' is the default: an app without an SDK hears nothing about it.
      if (enabled === true) this.logger.warn(traces ? NO_SDK : NO_METER_PROVIDER);
      return null;
    }
    return new RealtimeTelemetry(api, metered ? meter : undefined, traced ? tracer : undefined, options.roomNames);
  }

  private readonly instruments: Instruments | undefined;
  /** Per-message counts: the meter's (see `MeterCounts`), or for span attributes alone without metrics. */
  private readonly series: SeriesIndex<MessageSeries>;
  private readonly sent?: SeriesIndex<SentCount>;
  /** Undoes the collection-time callbacks (`onApplicationShutdown`). */
  private readonly stopObserving: (() => void)[] = [];
  /**
   * The children of dynamic namespaces, each recorded under its parent's pattern: their names are
   * the clients' choice (`/room-1`, `/room-2`… made on first connection, before authentication),
   * so as metric attributes they would make a series per name a client can invent.
   */
  private readonly dynamicScopes = new Map<string, string>();

  private constructor(
    private readonly api: OpenTelemetryApi,
    private readonly meter: Meter | undefined,
    private readonly tracer: Tracer | undefined,
    private readonly roomNames: boolean,
  ) {
    if (!meter) {
      this.series = messageSeriesIndex();
      return;
    }
    this.instruments = instrumentsOf(meter);
    const counts = MeterCounts.of(meter);
    this.series = counts.messages;
    this.sent = counts.sent;
  }

  /**
   * The app has closed: its state is no longer reported (a later app reports its own). Not at
   * `onModuleDestroy`, which Nest runs before the drain: the drain's gauges report while it runs.
   */
  onApplicationShutdown(): void {
    for (const stop of this.stopObserving.splice(0)) stop();
  }

  /** Whether metrics are recorded (an SDK's meter provider is registered). */
  get metered(): boolean {
    return this.meter !== undefined;
  }

  /**
   * A gauge read when the SDK collects, for state a feature keeps anyway (presence sizes, drain,
   * Redis): nothing is paid between collections. `read` returns one point per attribute set.
   */
  gauge(name: MetricName, options: InstrumentOptions, read: () => Iterable<GaugePoint>): void {
    const meter = this.meter;
    if (!meter) return;
    const gauge = meter.createObservableGauge(name, options);
    const callback = (result: ObservableResult) => {
      for (const [value, attributes] of read()) result.observe(value, attributes);
    };
    gauge.addCallback(callback);
    this.stopObserving.push(() => gauge.removeCallback(callback));
  }

  /** A counter a feature adds to (`undefined` without metrics). */
  counter(name: MetricName, options: InstrumentOptions): MetricCounter | undefined {
    return this.meter?.createCounter(name, options);
  }

  /** A histogram a feature records into (`undefined` without metrics). */
  histogram(name: MetricName, options: InstrumentOptions & { buckets?: number[] }): MetricHistogram | undefined {
    const { buckets, ...rest } = options;
    return this.meter?.createHistogram(name, buckets ? { ...rest, advice: { explicitBucketBoundaries: buckets } } : rest);
  }

  /** A handshake accepted: the connection is counted until its `close()`. */
  connectionOpened(connection: RealtimeConnection): void {
    const instruments = this.instruments;
    if (!instruments) return;
    if (connection.transport === 'socket.io') observeSocketPackets(connection.client as unknown as Socket, this.socketIoHooks);
    else connection.countSent = (kind) => this.countSent(WEBSOCKET, connection.scope, kind);
    const attributes = { [ATTRIBUTE.namespace]: this.metricNamespace(connection.scope), [ATTRIBUTE.transport]: transportName(connection.transport) };
    instruments.handshakes.add(1, { ...attributes, [ATTRIBUTE.outcome]: 'accepted' });
    instruments.connections.add(1, attributes);
    connection.uncount = () => instruments.connections.add(-1, attributes);
  }

  /** A handshake refused at any stage; `scope` is unknown before the namespace is (an Engine.IO session's request). */
  handshakeRefused(transport: ConnectionTransport, scope: string | undefined, refusal: RefusalLike): void {
    this.instruments?.handshakes.add(1, this.refusalAttributes(transport, scope, refusal));
    if (!this.tracer || scope !== undefined) return;
    // A request refused before any namespace: its span is the refusal alone.
    this.endHandshakeSpan(this.tracer.startSpan(HANDSHAKE_SPAN, this.handshakeSpanOptions(transport, undefined)), transport, undefined, refusal);
  }

  /** Runs the authentication stage of a handshake in its span. */
  async traceHandshake<T extends { refusal: RefusalLike } | object>(transport: ConnectionTransport, scope: string, authenticate: () => Promise<T>): Promise<T> {
    const tracer = this.tracer;
    if (!tracer) return authenticate();
    const span = tracer.startSpan(HANDSHAKE_SPAN, this.handshakeSpanOptions(transport, scope));
    const outcome = await this.api.context.with(this.api.trace.setSpan(this.api.context.active(), span), authenticate);
    this.endHandshakeSpan(span, transport, scope, 'refusal' in outcome ? outcome.refusal : undefined);
    return outcome;
  }

  /**
   * Starts observing a message; `handled` says whether a handler serves `event` (otherwise it is
   * recorded as `unknown`: the client's string never becomes an attribute).
   */
  observeMessage(connection: RealtimeConnection, event: string, handled: boolean, ack: unknown): MessageObservation {
    const series = this.series.get(transportName(connection.transport), this.metricNamespace(connection.scope), handled ? event : UNKNOWN_EVENT);
    const span = this.tracer?.startSpan(series.spanName, { kind: this.api.SpanKind.SERVER, attributes: series.attributes });
    const observation = new MessageObservation(connection, event, ack, series, span, this.messageEnded);
    messagesInFlight.started(connection, observation);
    return observation;
  }

  /** Runs `handle` in the message span's context (spans the handler starts are its children). */
  runInSpan(observation: MessageObservation, handle: () => void): void {
    const span = observation.span as Span | undefined;
    if (!span) return handle();
    const { context, trace } = this.api;
    context.with(trace.setSpan(context.active(), span), handle);
  }

  private readonly messageEnded = (observation: MessageObservation, result: MessageResult): void => {
    messagesInFlight.ended(observation.connection, observation);
    const outcome = (observation.series as MessageSeries).outcome(result.outcome);
    outcome.received++;
    this.instruments?.messageDuration.record(result.seconds, outcome.attributes);
    const span = observation.span as Span | undefined;
    if (span) this.endMessageSpan(span, outcome, result);
  };

  private endMessageSpan(span: Span, outcome: OutcomeSeries, { requestId, error }: MessageResult): void {
    // The span has the series' other attributes since it started.
    const { attributes } = outcome;
    span.setAttribute(ATTRIBUTE.outcome, attributes[ATTRIBUTE.outcome]!);
    const errorType = attributes[ATTRIBUTE.errorType];
    if (errorType) span.setAttribute(ATTRIBUTE.errorType, errorType);
    if (requestId) span.setAttribute(ATTRIBUTE.requestId, requestId);
    if (error) {
      span.recordException(error);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error.message });
    }
    span.end();
  }

  /** Counts a message sent on `scope` (a namespace, or a native gateway's path). */
  private countSent(transport: string, scope: string, kind: SentKind): void {
    this.sent!.get(transport, this.metricNamespace(scope), kind).count++;
  }

  private readonly socketIoHooks: SocketIoObserverHooks = {
    broadcast: (namespace, toOneSocket) => this.countSent(SOCKET_IO, namespace, toOneSocket ? 'emit' : 'broadcast'),
    packet: (namespace, kind) => this.countSent(SOCKET_IO, namespace, kind),
    deliver: (traceparent, namespace, deliver) => this.traceDelivery(traceparent, SOCKET_IO, namespace, deliver),
    send: (namespace, event, to, send) => this.traceSend({ namespace, event, to }, send),
  };

  /**
   * Counts and traces what a Socket.IO namespace broadcasts, and traces its deliveries; a child of
   * a dynamic namespace is recorded under `parentLabel`, its parent's pattern.
   */
  observeNamespace(namespace: Namespace, parentLabel?: string): void {
    if (parentLabel !== undefined) this.recordUnder(namespace, parentLabel);
    observeNamespaceAdapter(namespace, this.socketIoHooks);
  }

  /** Records a dynamic namespace's child under its parent's pattern, until Socket.IO closes it (`cleanupEmptyChildNamespaces`). */
  private recordUnder(child: Namespace, parentLabel: string): void {
    const name = child.name;
    this.dynamicScopes.set(name, parentLabel);
    const adapter = child.adapter as unknown as { close(): unknown };
    const close = adapter.close.bind(adapter);
    adapter.close = () => {
      this.dynamicScopes.delete(name);
      return close();
    };
  }

  /** The `realtime.namespace` of a metric: the namespace, or a dynamic child's parent pattern. */
  metricNamespace(scope: string): string {
    return this.dynamicScopes.get(scope) ?? scope;
  }

  /** See `traceSend` in send-tracing.ts; without a tracer, `send` runs alone. */
  traceSend(target: SendTarget, send: (traceparent: string | undefined) => void): void {
    if (this.tracer) traceSend(this.api, this.tracer, target, send);
    else send(undefined);
  }

  /** See `traceDelivery` in send-tracing.ts; without a tracer, or a parent, it only delivers. */
  traceDelivery(traceparent: unknown, transport: string, scope: string | undefined, deliver: () => number): void {
    if (this.tracer) traceDelivery(this.api, this.tracer, { traceparent, transport, scope }, deliver);
    else deliver();
  }


  presenceJoined(namespace: string, room: string): void {
    this.instruments?.presenceJoins.add(1, this.roomAttributes(namespace, room));
  }

  presenceLeft(namespace: string, room: string): void {
    this.instruments?.presenceLeaves.add(1, this.roomAttributes(namespace, room));
  }

  private roomAttributes(namespace: string, room: string): Attributes {
    const scope = this.metricNamespace(namespace);
    return this.roomNames ? { [ATTRIBUTE.namespace]: scope, [ATTRIBUTE.room]: room } : { [ATTRIBUTE.namespace]: scope };
  }

  private refusalAttributes(transport: ConnectionTransport, scope: string | undefined, refusal: RefusalLike): Attributes {
    const attributes: Attributes = { [ATTRIBUTE.transport]: transportName(transport), [ATTRIBUTE.outcome]: 'refused', [ATTRIBUTE.errorType]: refusal.code };
    if (scope !== undefined) attributes[ATTRIBUTE.namespace] = this.metricNamespace(scope);
    const reason = refusalReasonOf(refusal);
    if (reason) attributes[ATTRIBUTE.reason] = reason;
    return attributes;
  }

  private handshakeSpanOptions(transport: ConnectionTransport, scope: string | undefined) {
    const attributes: Attributes = { [ATTRIBUTE.transport]: transportName(transport) };
    if (scope !== undefined) attributes[ATTRIBUTE.namespace] = scope;
    return { kind: this.api.SpanKind.SERVER, attributes };
  }

  private endHandshakeSpan(span: Span, transport: ConnectionTransport, scope: string | undefined, refusal: RefusalLike | undefined): void {
    if (refusal) {
      span.setAttributes(this.refusalAttributes(transport, scope, refusal));
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: refusal.message });
    } else {
      span.setAttribute(ATTRIBUTE.outcome, 'accepted');
    }
    span.end();
  }
}

function instrumentsOf(meter: Meter): Instruments {
  return {
    connections: meter.createUpDownCounter(METRIC.connections, { description: 'Open connections (Socket.IO namespace sockets and native WebSockets).', unit: '{connection}' }),
    handshakes: meter.createCounter(METRIC.handshakes, { description: 'Handshakes, accepted or refused.', unit: '{handshake}' }),
    messageDuration: meter.createHistogram(METRIC.messageDuration, {
      description: 'Time from receiving a message until its handlers settled.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    presenceJoins: meter.createCounter(METRIC.presenceJoins, { description: 'Connections that joined a presence room.', unit: '{join}' }),
    presenceLeaves: meter.createCounter(METRIC.presenceLeaves, { description: 'Connections that left a presence room.', unit: '{leave}' }),
  };
}
