import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

/** What the client may add, minified and gzipped, to an app that already ships socket.io-client. */
const BUDGET_BYTES = 6 * 1024;
/** The same with every export, the native client and the presence paging functions included. */
const EVERY_EXPORT_BUDGET_BYTES = 7 * 1024;

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: { '.': { import: { default: string } } };
};
// The file a bundler picks for `import … from '@nestjs-realtime/client'`.
const esmEntry = join(packageDir, manifest.exports['.'].import.default);

/**
 * The app's own bundle for `source` (an entry importing the client), as a browser app ships it:
 * minified ESM, tree-shaken, socket.io-client left out (the app pays for it with or without the
 * client). Returns its min+gzip size and the files that went into it.
 */
async function bundle(source: string): Promise<{ minified: number; gzipped: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'js', sourcefile: 'app-entry.js' },
    absWorkingDir: packageDir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    external: ['socket.io-client'],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    // Relative to packageDir.
    inputs: Object.keys(result.metafile.inputs),
  };
}

describe('bundle size', () => {
  beforeAll(() => {
    if (!existsSync(esmEntry)) {
      throw new Error(`packages/client/${relative(packageDir, esmEntry)} is missing: run \`pnpm build\` (the root \`pnpm test\` does) before this test.`);
    }
  });

  it(`RealtimeClient adds at most ${BUDGET_BYTES} bytes min+gzip on top of socket.io-client`, async () => {
    const { minified, gzipped, inputs } = await bundle(`import { RealtimeClient } from ${JSON.stringify(esmEntry)};\nexport const client = RealtimeClient;`);
    console.log(`client bundle: ${gzipped} bytes min+gzip (budget ${BUDGET_BYTES}), ${minified} bytes minified`);
    // Only the client's own build went in (its entry and the chunks it shares with /ws): socket.io-client stayed out of the measurement.
    const measured = inputs.filter((input) => input !== 'app-entry.js');
    expect(measured).toContain(relative(packageDir, esmEntry));
    expect(measured.filter((input) => !input.startsWith('dist/'))).toEqual([]);
    expect(gzipped, `the client adds ${gzipped} bytes min+gzip, over its budget of ${BUDGET_BYTES}`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('stays within the budget with every export imported', async () => {
    const { minified, gzipped } = await bundle(`export * from ${JSON.stringify(esmEntry)};`);
    console.log(`client bundle, every export: ${gzipped} bytes min+gzip (budget ${EVERY_EXPORT_BUDGET_BYTES}), ${minified} bytes minified`);
    expect(gzipped, `every export adds ${gzipped} bytes min+gzip, over the budget of ${EVERY_EXPORT_BUDGET_BYTES}`).toBeLessThanOrEqual(EVERY_EXPORT_BUDGET_BYTES);
  });
});
