import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'ws/index': 'src/ws/index.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  // tsup runs decorators through SWC, which only emits `design:paramtypes` (needed for Nest's
  // constructor injection by type) when @swc/core is installed and this tsconfig enables it.
  tsconfig: 'tsconfig.build.json',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: false,
});
