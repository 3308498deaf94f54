import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // SWC compiles the TypeScript with the decorator metadata Nest's injection and validation read
  // (emitDecoratorMetadata, from tsconfig.json), whatever Vite is installed: Vite 7's esbuild drops it.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    // describe/it/expect without imports, as in specs written for Jest.
    globals: true,
    root: './',
    include: ['test/**/*.e2e-spec.ts'],
  },
});
