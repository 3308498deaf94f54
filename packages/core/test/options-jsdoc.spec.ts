import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { realtimeOptionGroup } from '../src/options/resolve-realtime-options.js';
import { recoveryOptionGroup } from '../src/options/socket-io-options.js';
import { authOptionGroup } from '../src/options/resolve-auth-options.js';
import { redisOptionGroup } from '../src/options/resolve-redis-options.js';
import { presenceOptionGroup } from '../src/options/resolve-presence-options.js';
import { rateLimitOptionGroup } from '../src/options/resolve-rate-limit-options.js';
import { limitsOptionGroup } from '../src/options/resolve-limits-options.js';
import { drainOptionGroup } from '../src/options/resolve-drain-options.js';
import { observabilityOptionGroup } from '../src/options/resolve-observability-options.js';
import { literal, type DocumentedOption } from './support/option-tables.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '../src');

/** Each option group and the user-facing interface whose JSDoc editors show for it. */
const interfaces: [string, { specs: Record<string, DocumentedOption> }, string][] = [
  ['options/realtime-module-options.interface.ts', realtimeOptionGroup, 'RealtimeModuleOptions'],
  ['options/realtime-module-options.interface.ts', recoveryOptionGroup, 'RealtimeConnectionStateRecovery'],
  ['options/auth-options.interface.ts', authOptionGroup, 'RealtimeAuthOptions'],
  ['options/redis-options.interface.ts', redisOptionGroup, 'RealtimeRedisOptions'],
  ['options/presence-options.interface.ts', presenceOptionGroup, 'RealtimePresenceOptions'],
  ['options/rate-limit-options.interface.ts', rateLimitOptionGroup, 'RealtimeRateLimitOptions'],
  ['options/limits-options.interface.ts', limitsOptionGroup, 'RealtimeLimitsOptions'],
  ['options/drain-options.interface.ts', drainOptionGroup, 'RealtimeDrainOptions'],
  ['options/observability-options.interface.ts', observabilityOptionGroup, 'RealtimeObservabilityOptions'],
];

/** The `@default` text of each optional property of an interface, as an editor shows it. */
function jsDocDefaults(file: string, name: string): Map<string, string | undefined> {
  const source = ts.createSourceFile(file, readFileSync(join(src, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === name);
  if (!declaration) throw new Error(`No interface ${name} in ${file}`);
  const defaults = new Map<string, string | undefined>();
  for (const member of declaration.members) {
    if (!ts.isPropertySignature(member) || !member.questionToken) continue;
    const tag = ts.getJSDocTags(member).find((candidate) => candidate.tagName.text === 'default');
    defaults.set(member.name.getText(source), tag ? (ts.getTextOfJSDocComment(tag.comment) ?? '') : undefined);
  }
  return defaults;
}

/**
 * The `@default` an editor shows must say what the declaration does: the hover text and the
 * option group are written apart, so this is what keeps them from drifting.
 */
describe.each(interfaces)('%s %s', (file, group, name) => {
  const defaults = jsDocDefaults(file, name);

  it.each([...defaults.keys()])('%s has a @default that matches its declaration', (key) => {
    const text = defaults.get(key);
    expect(text, `@default missing on ${name}.${key}`).toBeDefined();
    const option = group.specs[key]!;
    const plain = literal(option.default);
    if (plain !== undefined) expect(text).toMatch(new RegExp(`^\`?${escape(plain)}\`?(\\s|$)`));
    else if (option.default === undefined && option.defaultFrom === undefined && option.doc.default === undefined) {
      expect(text).toMatch(/^undefined(\s|$)/);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
