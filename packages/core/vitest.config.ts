import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // esbuild (vitest's default transform) drops decorator metadata; SWC keeps it.
  plugins: [swc.vite({ tsconfigFile: './tsconfig.json' })],
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    // Each file in its own process (Vitest's defaults, kept explicit): the observability tests
    // register an OpenTelemetry SDK globally, and observability is on by default when one is, so a
    // registration must not reach the apps other files boot.
    pool: 'forks',
    isolate: true,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
