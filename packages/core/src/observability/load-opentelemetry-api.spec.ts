import { describe, expect, it } from 'vitest';
import { importIfInstalled, loadOpenTelemetryApi, loadOpenTelemetryApiIfInstalled } from './load-opentelemetry-api.js';

describe('loading the optional @opentelemetry/api', () => {
  it('is undefined, without an error, when the package is not installed', async () => {
    // A variable specifier: a real import of a package that is not there.
    const missing: string = '@nestjs-realtime/not-installed';
    await expect(importIfInstalled(() => import(missing))).resolves.toBeUndefined();
  });

  it('does not hide another failure of an installed package', async () => {
    const failure = new SyntaxError('Unexpected token');
    await expect(importIfInstalled(() => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('loads the installed package, either way', async () => {
    const api = await loadOpenTelemetryApiIfInstalled();
    expect(typeof api?.metrics.getMeter).toBe('function');
    expect(await loadOpenTelemetryApi()).toBe(api);
  });
});
