import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    testTimeout: 120_000,
    // Packing both packages and one npm install of the consumers' dependencies.
    hookTimeout: 300_000,
  },
});
