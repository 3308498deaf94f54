import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What an app's bundler ships for `import { names } from entry`: minified ESM for browsers, with
 * the packages it pulls in, and which source files put code in it.
 */
async function bundle(names: string, entry: string): Promise<{ code: string; gzipBytes: number; files: string[] }> {
  const result = await build({
    stdin: { contents: `export { ${names} } from '${entry}';`, resolveDir: root, loader: 'ts' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const [output] = Object.values(result.metafile.outputs);
  const files = Object.entries(output!.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([file]) => file);
  return { code, gzipBytes: gzipSync(code).length, files };
}

describe('what an app ships', () => {
  it('leaves the native client out of an app that imports only RealtimeClient', async () => {
    const { code, files } = await bundle('RealtimeClient', './src/index.ts');
    expect(files).toContain('src/realtime-client.ts');
    expect(files).not.toContain('src/realtime-ws-client.ts');
    expect(files).not.toContain('src/reply-queue.ts');
    expect(code).not.toContain('unexpected-response');
  });

  it('ships the native client from the /ws entry without socket.io-client, small', async () => {
    const { files, gzipBytes } = await bundle('RealtimeWsClient', './src/ws.ts');
    expect(files).toContain('src/realtime-ws-client.ts');
    expect(files).not.toContain('src/realtime-client.ts');
    expect(files.filter((file) => file.includes('node_modules'))).toEqual([]);
    // A budget, so that growing it is a decision: about 3.2 KB gzipped when it was written.
    expect(gzipBytes).toBeLessThan(4096);
  });
});
