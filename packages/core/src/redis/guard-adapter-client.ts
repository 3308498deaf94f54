import type { LostCommandsReport } from './lost-commands-log.js';

/**
 * What the Socket.IO Redis adapters (`@socket.io/redis-adapter` pubsub and sharded,
 * `@socket.io/redis-streams-adapter`) call without handling the promise they get back, in
 * node-redis (camelCase) and ioredis (lowercase) spelling: publishes, (un)subscribes, and the
 * streams adapter's recovery-session SET.
 */
const FIRE_AND_FORGET: ReadonlySet<PropertyKey> = new Set([
  'publish', 'sPublish', 'spublish', 'set',
  'subscribe', 'pSubscribe', 'psubscribe', 'sSubscribe', 'ssubscribe',
  'unsubscribe', 'pUnsubscribe', 'punsubscribe', 'sUnsubscribe', 'sunsubscribe',
]);

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The streams adapter connects each duplicate it makes (`await copy.connect()`) inside a promise
 * it never handles: a connect that fails (Redis gone, or the module closing the copy while it
 * still connects) would end the process with an unhandled rejection, and leave the adapter's
 * reader never started. A guarded `connect()` reports the failure and resolves instead: the
 * connection keeps retrying by itself (unless closed), and what the adapter sends on it waits in
 * its queue until then.
 */
const CONNECT = 'connect';

/** Given each duplicate made through a guarded client; what it returns is guarded and handed out. */
export type AdoptDuplicate = <D extends object>(duplicate: D) => D;

/**
 * The client as a Socket.IO Redis adapter should see it: a Proxy whose fire-and-forget commands
 * report a failure to `log` instead of leaving a rejected promise nobody handles (which ends the
 * process), and whose `duplicate()` returns clients guarded the same way (the streams adapter
 * duplicates its client by itself). The client is not touched: no method is replaced on it, and a
 * client the user passed in behaves for the user exactly as before.
 *
 * Everything else reads through to the client, unchanged and unbound, so the adapters still tell
 * the client kinds apart as they do (`typeof client.sSubscribe === 'function'` for node-redis,
 * `client.constructor.name === 'Cluster'` for an ioredis cluster, `client.options.lazyConnect`),
 * and methods run with the Proxy as `this`: node-redis reaches its private state through
 * `this._self`, ioredis through plain properties, both of which read (and write) through.
 *
 * The guarded command returns the client's own promise, so a caller that does await it (the
 * sharded adapter's publish) still sees the rejection.
 *
 * @param adoptDuplicate given each duplicate made through the Proxy (the module tracks those the
 *   streams adapter makes, to close them); what it returns is guarded and handed out.
 */
export function guardAdapterClient<T extends object>(client: T, log: LostCommandsReport, adoptDuplicate: AdoptDuplicate = (duplicate) => duplicate): T {
  // Stable identities: the same guarded function on every read while the client's method is the same.
  const guarded = new Map<PropertyKey, { original: AnyFunction; guarded: AnyFunction }>();
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const isDuplicate = property === 'duplicate';
      if (!isDuplicate && property !== CONNECT && !FIRE_AND_FORGET.has(property)) return value;
      const cached = guarded.get(property);
      if (cached?.original === value) return cached.guarded;
      const original = value as AnyFunction;
      const wrapper = isDuplicate
        ? guardDuplicate(original, log, adoptDuplicate)
        : property === CONNECT
          ? guardConnect(original, log)
          : guardCommand(String(property), original, log);
      guarded.set(property, { original, guarded: wrapper });
      return wrapper;
    },
  });
}

function guardCommand(name: string, command: AnyFunction, log: LostCommandsReport): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const result = Reflect.apply(command, this, args);
    if (isThenable(result)) result.then(() => log.succeeded(), (error: unknown) => log.failed(name, error));
    return result;
  };
}

function guardConnect(connect: AnyFunction, log: LostCommandsReport): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const result = Reflect.apply(connect, this, args);
    if (!isThenable(result)) return result;
    return Promise.resolve(result).catch((error: unknown) => log.failed(CONNECT, error));
  };
}

function guardDuplicate(duplicate: AnyFunction, log: LostCommandsReport, adoptDuplicate: AdoptDuplicate): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const copy = Reflect.apply(duplicate, this, args) as object;
    return guardAdapterClient(adoptDuplicate(copy), log, adoptDuplicate);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
