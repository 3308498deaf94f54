import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** Prometheus' text exposition format: what a scrape expects the answer to say it is. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricsRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Registers the OpenTelemetry metrics SDK with a Prometheus reader, and returns the handler that
 * main.ts serves on GET /metrics: the app's own port, not a second one (the exporter's server on
 * 9464 is never started). Called before NestFactory.create(): RealtimeModule looks for the SDK
 * when it starts, and one registered later is not seen.
 *
 * The reader is pulled: each scrape collects the cumulative totals, nothing runs in between.
 * The answer is serialized here rather than by the exporter's getMetricsRequestHandler(), which
 * answers a failed collection with 200 and the error's text: a scraper must see the failure (500),
 * and the error belongs in the server log, not in the response.
 */
export function registerPrometheusMetrics(): MetricsRequestHandler {
  const logger = new Logger('Metrics');
  const reader = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  const serializer = new PrometheusSerializer();

  return (_request, response) => {
    reader.collect().then(
      ({ resourceMetrics, errors }) => {
        // Some instruments failed to report: serve the others, say so in the log.
        for (const error of errors) logger.error('A metric could not be collected', error instanceof Error ? error.stack : undefined);
        response.setHeader('content-type', PROMETHEUS_TEXT);
        response.end(serializer.serialize(resourceMetrics));
      },
      (error: unknown) => {
        logger.error('Metrics could not be collected', error instanceof Error ? error.stack : undefined);
        response.statusCode = 500;
        response.end();
      },
    );
  };
}
