import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'ws/index': 'src/ws/index.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  // tsup runs decorators through SWC, which only emits `design:paramtypes` (needed for Nest's
  // constructor injection by type) when @swc/core is installed and this tsconfig enables it.
  tsconfig: 'tsconfig.build.json',
  // The wire protocol is a private workspace package shared with the client: bundled in (its
  // types through tsconfig.build.json's `paths`).
  noExternal: ['@nestjs-realtime/protocol'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: false,
});
