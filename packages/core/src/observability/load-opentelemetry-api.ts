/** The `@opentelemetry/api` module, loaded only when observability may be on. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

/**
 * Loads the optional peer `@opentelemetry/api`, once, at module init: `undefined` when it is not
 * installed and nothing asked for it; a clear boot error when `observability.enabled` is `true`.
 */
export async function loadOpenTelemetryApi(required: boolean): Promise<OpenTelemetryApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    if (!required) return undefined;
    throw new Error('observability.enabled needs the @opentelemetry/api package: install it next to @nestjs-realtime/core.');
  }
}
