/**
 * The hash tag of a Redis key, as Redis Cluster reads it: what lies between the first `{` and the
 * first `}` after it, when that is not empty. Only the tag is hashed then, so keys with one tag
 * share a slot, which a script touching several keys needs on a cluster (else: CROSSSLOT).
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/**
 * A prefix under which every key shares one hash slot: the prefix itself when it holds a hash tag
 * already, else the prefix wrapped in one (`socket.io:presence` → `{socket.io:presence}`).
 *
 * @throws for a prefix with a `}` but no tag: wrapped, its tag would end early or be empty.
 */
export function hashTaggedPrefix(prefix: string): string {
  if (hashTagOf(prefix) !== undefined) return prefix;
  if (prefix.includes('}')) {
    throw new Error(`The Redis key prefix "${prefix}" holds a "}" but no hash tag: on Redis Cluster, give it a tag of its own, e.g. "{${prefix.replace(/[{}]/g, '')}}".`);
  }
  return `{${prefix}}`;
}
