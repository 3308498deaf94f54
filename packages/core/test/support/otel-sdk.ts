import { context, metrics, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { INSTRUMENTATION_SCOPE } from '../../src/observability/telemetry-names.js';

/** A reader the test collects from when it wants, rather than on a timer. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One recorded point of a metric: its attributes and its value (a sum, or a histogram's count). */
export interface RecordedPoint {
  attributes: Attributes;
  value: number;
}

/**
 * A real OpenTelemetry SDK (metrics, traces, async context) registered globally, as an app
 * registers it in `main.ts` before `NestFactory.create`; `uninstall()` puts the API back to its no-op self.
 */
export class InMemoryOpenTelemetry {
  private readonly reader = new CollectingReader();
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly exporter = new InMemorySpanExporter();
  private readonly tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.exporter)] });
  private readonly contextManager = new AsyncLocalStorageContextManager();

  static install(): InMemoryOpenTelemetry {
    const sdk = new InMemoryOpenTelemetry();
    context.setGlobalContextManager(sdk.contextManager.enable());
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    return sdk;
  }

  async uninstall(): Promise<void> {
    metrics.disable();
    trace.disable();
    context.disable();
    await Promise.all([this.meterProvider.shutdown(), this.tracerProvider.shutdown()]);
  }

  /** Every metric the library recorded so far (cumulative). */
  async metrics(): Promise<MetricData[]> {
    const { resourceMetrics } = await this.reader.collect();
    return resourceMetrics.scopeMetrics.filter((scope) => scope.scope.name === INSTRUMENTATION_SCOPE).flatMap((scope) => scope.metrics);
  }

  /** The points of one metric. */
  async points(name: string): Promise<RecordedPoint[]> {
    const metric = (await this.metrics()).find((candidate) => candidate.descriptor.name === name);
    return metric ? pointsOf(metric) : [];
  }

  /** The points of every metric, by name, from one collection: gauges read together agree with one another. */
  async allPoints(): Promise<Map<string, RecordedPoint[]>> {
    return new Map((await this.metrics()).map((metric) => [metric.descriptor.name, pointsOf(metric)]));
  }

  /** The value of the metric's point whose attributes include `attributes` (0 when there is none). */
  async value(name: string, attributes: Attributes): Promise<number> {
    const point = (await this.points(name)).find((candidate) => Object.entries(attributes).every(([key, value]) => candidate.attributes[key] === value));
    return point?.value ?? 0;
  }

  /** The library's finished spans, and the app's. */
  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  librarySpans(): ReadableSpan[] {
    return this.spans().filter((span) => span.instrumentationScope.name === INSTRUMENTATION_SCOPE);
  }
}

function pointsOf(metric: MetricData): RecordedPoint[] {
  return (metric.dataPoints as DataPoint<unknown>[]).map(({ attributes, value }) => ({
    attributes,
    value: typeof value === 'number' ? value : (value as { count: number }).count,
  }));
}

/** Waits until `read()` returns something `accept` takes: metrics are recorded once the handler settled, after the client got its answer. */
export async function eventually<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
