/** The `@opentelemetry/api` module, loaded only when observability may be on. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

/**
 * Loads the optional peer `@opentelemetry/api`, once, at module init, when `observability.enabled`
 * is `true`: a clear boot error when it is not installed.
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi> {
  const api = await loadOpenTelemetryApiIfInstalled();
  if (!api) throw new Error('observability.enabled needs the @opentelemetry/api package: install it next to @nestjs-realtime/core.');
  return api;
}

/**
 * Loads `@opentelemetry/api`, or `undefined` when it is not installed (`observability.enabled:
 * 'auto'`: most apps have no OpenTelemetry, and they boot without a word about it).
 */
export function loadOpenTelemetryApiIfInstalled(): Promise<OpenTelemetryApi | undefined> {
  return importIfInstalled(() => import('@opentelemetry/api'));
}

/**
 * Runs `load` (a dynamic `import()` of an optional package): `undefined` when the package is not
 * installed. Any other failure of an installed package is not hidden.
 */
export async function importIfInstalled<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // ESM's code, and CommonJS's (a bundler may turn the import() into a require()).
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
