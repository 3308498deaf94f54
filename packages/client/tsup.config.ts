import { defineConfig } from 'tsup';

export default defineConfig({
  // `ws`: the native client alone, so an app without Socket.IO gateways ships no socket.io-client.
  entry: { index: 'src/index.ts', ws: 'src/ws.ts' },
  // Browsers and Node, bundlers and plain `require()`: both formats, from one source. The client
  // holds no identity-bearing singletons (no DI), so two copies in one app do no harm.
  format: ['esm', 'cjs'],
  target: 'es2020',
  platform: 'neutral',
  tsconfig: 'tsconfig.build.json',
  // The wire protocol is a private workspace package shared with the server: bundled in (its types
  // through tsconfig.build.json's `paths`).
  noExternal: ['@nestjs-realtime/protocol'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  // One copy of what both entries share (RealtimeError above all, for `instanceof`), in each format.
  splitting: true,
});
