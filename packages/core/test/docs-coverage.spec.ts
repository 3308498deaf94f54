import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { authOptionGroup } from '../src/auth/resolve-auth-options.js';
import { realtimeOptionGroup } from '../src/options/resolve-realtime-options.js';
import { presenceOptionGroup } from '../src/presence/resolve-presence-options.js';
import { redisOptionGroup } from '../src/redis/resolve-redis-options.js';
import { rateLimitOptionGroup } from '../src/rate-limit/resolve-rate-limit-options.js';
import { drainOptionGroup } from '../src/drain/resolve-drain-options.js';
import { limitsOptionGroup } from '../src/limits/resolve-limits-options.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../docs');

/** The options the validator accepts are the options the Configuration page documents, in both languages. */
describe.each(['guide/configuration.md', 'zh-CN/guide/configuration.md'])('%s', (page) => {
  const text = readFileSync(join(docs, page), 'utf8');
  const documented = (name: string) => text.includes(`| \`${name}\``);

  it.each([
    ['module', realtimeOptionGroup.keys, ''],
    ['auth', authOptionGroup.keys, 'auth.'],
    ['redis', redisOptionGroup.keys, 'redis.'],
    ['presence', presenceOptionGroup.keys, 'presence.'],
    ['rateLimit', rateLimitOptionGroup.keys, 'rateLimit.'],
    ['drain', drainOptionGroup.keys, 'drain.'],
    ['limits', limitsOptionGroup.keys, 'limits.'],
  ] as const)('documents every %s option in a table row', (_group, options, prefix) => {
    const missing = options.filter((name) => !documented(`${prefix}${name}`));
    expect(missing).toEqual([]);
  });

  it('documents isGlobal', () => {
    expect(text).toContain('`isGlobal`');
  });
});

/** Every runtime export of the package and its subpaths has a row in the API reference. */
describe.each(['guide/api.md', 'zh-CN/guide/api.md'])('%s', (page) => {
  const text = readFileSync(join(docs, page), 'utf8');

  it.each([
    ['@nestjs-realtime/core', () => import('../src/index.js')],
    ['@nestjs-realtime/core/testing', () => import('../src/testing/index.js')],
    ['@nestjs-realtime/core/ws', () => import('../src/ws/index.js')],
  ] as const)('lists every export of %s', async (_entry, load) => {
    const missing = Object.keys(await load()).filter((name) => !text.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
