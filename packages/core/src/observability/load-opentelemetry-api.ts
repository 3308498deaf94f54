/** The `@opentelemetry/api` module, loaded only when observability may be on. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

/**
 * Loads the optional peer `@opentelemetry/api`, once, at module init, when `observability.enabled`
 * asks for it: a clear boot error when it is not installed.
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    throw new Error('observability.enabled needs the @opentelemetry/api package: install it next to @nestjs-realtime/core.');
  }
}
