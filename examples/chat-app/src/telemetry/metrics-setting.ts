/**
 * Whether the example records and serves metrics: OTEL_METRICS unset or `on` (the default), or
 * `off`. main.ts reads it to register the SDK and serve GET /metrics, realtime.config.ts to set
 * `observability.enabled`; off, the library does no observability work at all. Anything else
 * stops the app at boot, like the app's other malformed settings.
 */
export function metricsEnabled(otelMetrics: string | undefined): boolean {
  if (otelMetrics === undefined || otelMetrics === '' || otelMetrics === 'on') return true;
  if (otelMetrics === 'off') return false;
  throw new Error('OTEL_METRICS must be "on" or "off"');
}
