/**
 * Per-series state of the library's counters, by (transport, namespace, key): found with three map
 * lookups and no string building, on paths that run per message.
 */
export class SeriesIndex<T> {
  // transport → namespace → key
  private readonly index = new Map<string, Map<string, Map<string, T>>>();

  constructor(private readonly make: (transport: string, scope: string, key: string) => T) {}

  get(transport: string, scope: string, key: string): T {
    let scopes = this.index.get(transport);
    if (!scopes) this.index.set(transport, (scopes = new Map()));
    let keys = scopes.get(scope);
    if (!keys) scopes.set(scope, (keys = new Map()));
    let series = keys.get(key);
    if (series === undefined) keys.set(key, (series = this.make(transport, scope, key)));
    return series;
  }

  *all(): IterableIterator<T> {
    for (const scopes of this.index.values()) for (const keys of scopes.values()) yield* keys.values();
  }
}
