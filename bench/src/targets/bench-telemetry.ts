/**
 * The OpenTelemetry SDK a (c) server registers for the observability rows, as the docs tell users
 * to (before `NestFactory.create()`): metrics read periodically and spans batched, both exported to
 * a sink that drops them, so the rows measure what recording costs the server and not a backend.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';

const SUCCESS = { code: 0 } as const;

const dropMetrics: PushMetricExporter = {
  export: (_metrics, done) => done(SUCCESS),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

const dropSpans: SpanExporter = {
  export: (_spans, done) => done(SUCCESS),
  shutdown: async () => undefined,
};

/**
 * Registers metrics, and with `traces` a tracer and the async context it needs, globally; call
 * before the app is created. `sampleRatio` samples that share of traces (as production setups do)
 * instead of every one; `contextInUse` enters the async context once, as a traced request would.
 */
export function registerBenchTelemetry({ traces, sampleRatio, contextInUse }: { traces: boolean; sampleRatio?: number; contextInUse?: boolean }): void {
  metrics.setGlobalMeterProvider(
    new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 1000 })] }),
  );
  if (!traces) return;
  const sampler = sampleRatio === undefined ? undefined : new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) });
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)], ...(sampler ? { sampler } : {}) }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // The first context entered turns on the async-context tracking that every promise pays for
  // afterwards; in an app, the first traced HTTP request does.
  if (contextInUse) context.with(context.active(), () => undefined);
}
