import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeapSnapshot } from './heap-snapshot.js';

const repoDir = fileURLToPath(new URL('../../../', import.meta.url));

/** `node_modules/.pnpm/<pkg>@<version>…/node_modules/<pkg>/x.js` → `node_modules/<pkg>/x.js`, the repository prefix dropped. */
function shortPath(path: string): string {
  const inRepo = path.startsWith(repoDir) ? path.slice(repoDir.length) : path;
  return inRepo.replace(/^(?:.*\/)?node_modules\/\.pnpm\/[^/]+\/node_modules\//, 'node_modules/');
}

/** Constructors too general to say what an object is for. */
const GENERIC = new Set(['Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet']);

/** How a path shows an edge: `.name` for a property, `[]` for an element (indices differ per object), `(name)` for V8's own. */
function edgeLabel(type: string, name: string, viaStorage: boolean): string {
  if (type === 'element' || viaStorage || /^\d+$/.test(name)) return '[]';
  if (name.includes('part of key')) return '(WeakMap value)';
  if (type === 'internal' || type === 'hidden') return `(${name})`;
  return `.${name}`;
}

/**
 * Names the objects of one snapshot the way a reader looks for them: an object by its constructor
 * (a plain `Object` by its first properties), a closure by its name and source line (mapped
 * through the file's source map: `packages/core/src/…`, not `dist/chunk-….js`), a bound
 * function by its target, a closure context by the closure it serves. Backing stores (elements,
 * property arrays, hash tables) are counted with the object that owns them.
 */
export class HeapKinds {
  private readonly keys = new Map<number, string>();
  private readonly owners = new Map<number, number>();
  private readonly maps = new Map<string, SourceMap | null>();

  constructor(private readonly s: HeapSnapshot) {}

  /** The kind of a node, e.g. `Socket`, `Object {id, data}`, `bound onFrame() packages/core/src/ws/x.ts:12`. */
  key(n: number): string {
    let key = this.keys.get(n);
    if (key === undefined) {
      key = this.describe(n);
      this.keys.set(n, key);
    }
    return key;
  }

  /**
   * The node a backing store belongs to (itself for anything else): a store held by exactly one
   * object is part of that object, as DevTools' shallow size of a JS object leaves it out.
   */
  owner(n: number): number {
    const cached = this.owners.get(n);
    if (cached !== undefined) return cached;
    let owner = n;
    if (this.isStorage(n)) {
      const holders = new Set<number>();
      for (const r of this.s.retainersOf(n)) if (r.type !== 'weak' && r.from !== n) holders.add(r.from);
      if (holders.size === 1) {
        const [holder] = holders as Set<number> & [number];
        this.owners.set(n, n); // breaks cycles while resolving
        owner = this.owner(holder);
      }
    }
    this.owners.set(n, owner);
    return owner;
  }

  /** Who holds a node, up to `depth` steps: `Array[1] ← Object {close}.close ← Socket._events`. */
  path(n: number, depth = 3): string {
    const steps: string[] = [];
    let current = n;
    const seen = new Set<number>([n]);
    for (let i = 0; i < depth; i++) {
      const holder = this.holder(current, seen);
      if (!holder) break;
      steps.push(`${this.isAnonymous(holder.from) ? this.plainName(holder.from) : this.key(holder.from)}${holder.edge}`);
      if (!this.isAnonymous(holder.from)) break;
      current = holder.from;
      seen.add(current);
    }
    return steps.join(' ← ') || '(no holder)';
  }

  private holder(n: number, seen: Set<number>): { from: number; edge: string } | undefined {
    let best: { from: number; edge: string; rank: number } | undefined;
    for (const r of this.s.retainersOf(n)) {
      if (r.type === 'weak' || seen.has(r.from)) continue;
      const from = this.owner(r.from);
      if (seen.has(from) || from === n) continue;
      const storage = from !== r.from;
      const edge = edgeLabel(r.type, r.name, storage);
      // Prefer a property of a named object: it says the most.
      const rank = (r.type === 'property' ? 0 : 2) + (this.isAnonymous(from) ? 1 : 0) + (this.s.type(from) === 'synthetic' ? 4 : 0);
      if (!best || rank < best.rank) best = { from, edge, rank };
    }
    return best;
  }

  /** A holder in a path: its constructor only (its own holder is the next step). */
  private plainName(n: number): string {
    const type = this.s.type(n);
    if (type === 'object') return this.s.name(n) === 'system / Context' ? this.key(n) : this.s.name(n);
    return `(${type})`;
  }

  private isStorage(n: number): boolean {
    const type = this.s.type(n);
    const name = this.s.name(n);
    if (type === 'array' || type === 'hidden') return name !== 'system / Context';
    return (type === 'object' || type === 'code') && name.startsWith('system /') && name !== 'system / Context';
  }

  /** Kinds that say little by themselves: the report adds who holds them. */
  isAnonymous(n: number): boolean {
    const type = this.s.type(n);
    const name = this.s.name(n);
    return type === 'array' || type === 'hidden' || type === 'string' || type === 'concatenated string' || type === 'sliced string' ||
      type === 'number' || (type === 'object' && (GENERIC.has(name) || name.startsWith('system /')));
  }

  private describe(n: number): string {
    const type = this.s.type(n);
    const name = this.s.name(n);
    switch (type) {
      case 'closure':
        return this.closure(n);
      case 'object':
        if (name === 'system / Context') return this.context(n);
        if (GENERIC.has(name)) return this.generic(n, name);
        return name;
      case 'string':
      case 'concatenated string':
      case 'sliced string':
        return this.generic(n, '(string)');
      case 'number':
        return '(heap number)';
      case 'native':
        return `(native) ${name}`;
      default:
        return `(${type}) ${name}`.trimEnd();
    }
  }

  /**
   * A container or string says what it is through who holds it: `Object ‹Socket.handshake›`,
   * `Array ‹Map[] ← SocketDispatcher.routes›`. A plain object that no named object holds is named
   * by its properties instead: `Object {id, name, sub}`.
   */
  private generic(n: number, name: string): string {
    const path = this.path(n, 2);
    if (name === 'Object' && !this.heldByNamed(n)) return `Object {${this.propertyNames(n)}}`;
    return `${name} ‹${path}›`;
  }

  private heldByNamed(n: number): boolean {
    const holder = this.holder(n, new Set([n]));
    return holder !== undefined && !this.isAnonymous(holder.from);
  }

  private closure(n: number): string {
    const name = this.s.name(n);
    if (name === 'native_bind') {
      const target = this.s.edge(n, 'bound_function');
      return target === undefined ? 'bound function' : `bound ${this.closure(target)}`;
    }
    return `${name || '(anonymous)'}() ${this.source(n)}`;
  }

  /** A closure's context, or the outer context of one (`previous`), named by the closure it serves. */
  private context(n: number, depth = 0): string {
    for (const r of this.s.retainersOf(n)) {
      if (r.name === 'context' && this.s.type(r.from) === 'closure') return `context of ${this.closure(r.from)}`;
    }
    if (depth < 3) {
      for (const r of this.s.retainersOf(n)) {
        if (r.name === 'previous' && this.s.name(r.from) === 'system / Context') return this.context(r.from, depth + 1).replace(/^(outer )*context/, (m) => `outer ${m}`);
      }
    }
    return 'system / Context';
  }

  /** The first property names in alphabetical order (the same object has the same name in every snapshot). */
  private propertyNames(n: number): string {
    const names = new Set<string>();
    for (const edge of this.s.edgesOf(n)) if (edge.type === 'property' && edge.name !== '__proto__') names.add(edge.name);
    const sorted = [...names].sort();
    return sorted.length > 5 ? `${sorted.slice(0, 5).join(', ')}, …` : sorted.join(', ');
  }

  /** `file:line` of a closure, through the file's source map when it has one. */
  private source(n: number): string {
    const location = this.s.location(n);
    const shared = this.s.edge(n, 'shared');
    const script = shared === undefined ? undefined : (this.s.edge(shared, 'script_or_debug_info') ?? this.s.edge(shared, 'script'));
    const url = script === undefined ? '' : this.s.name(script);
    if (!location || !url) return url ? shortPath(url) : '(unknown source)';
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const map = this.sourceMap(path);
    const entry = map?.findEntry(location.line, location.column);
    if (entry && 'originalSource' in entry && entry.originalSource) {
      const original = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(path), entry.originalSource);
      return `${shortPath(original)}:${entry.originalLine + 1}`;
    }
    return `${shortPath(path)}:${location.line + 1}`;
  }

  private sourceMap(path: string): SourceMap | null {
    let map = this.maps.get(path);
    if (map === undefined) {
      const file = `${path}.map`;
      map = path.startsWith('/') && existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null;
      this.maps.set(path, map);
    }
    return map;
  }
}

