import { Logger } from '@nestjs/common';

/**
 * The few operations the library needs from a Redis client, over node-redis (v5+) and ioredis.
 * Both are optional peers, hence the structural typing.
 */
interface NodeRedisClient {
  isOpen: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  isReady?: boolean;
  connect(): Promise<unknown>;
  duplicate(): NodeRedisClient;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<unknown> | void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface IoRedisClient {
  status: string;
  call(command: string, ...args: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  options: object;
  connect(): Promise<unknown>;
  duplicate(): IoRedisClient;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export type AnyRedisClient = NodeRedisClient | IoRedisClient;

const logger = new Logger('RealtimeRedis');

export function isIoRedis(client: object): client is IoRedisClient {
  return typeof (client as IoRedisClient).status === 'string' && 'options' in client;
}

/** `redis://user:secret@host` → `redis://user:***@host`: URLs end up in logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** A client for `url`: node-redis when it is installed, else ioredis. Not connected yet. */
export async function createClientFromUrl(url: string, connectTimeoutMs: number): Promise<AnyRedisClient> {
  const nodeRedis = await import('redis').catch(() => undefined);
  if (nodeRedis) {
    return nodeRedis.createClient({ url, socket: { connectTimeout: connectTimeoutMs } }) as unknown as NodeRedisClient;
  }
  const ioredis = await import('ioredis').catch(() => undefined);
  if (ioredis) {
    const Redis = ioredis.Redis as unknown as new (url: string, options: object) => IoRedisClient;
    return new Redis(url, { lazyConnect: true, connectTimeout: connectTimeoutMs, maxRetriesPerRequest: null });
  }
  throw new Error('redis.url needs a Redis client package: install "redis" (node-redis v5+) or "ioredis".');
}

/**
 * Logs a client's connection problems once per outage instead of once per retry, and its
 * recovery, which it also tells `onRestored`. Without an `error` listener a failing client would
 * crash the process.
 */
export function watchClient(client: AnyRedisClient, label: string, onRestored?: () => void): void {
  let failing: string | undefined;
  client.on('error', (error) => {
    const message = (error as Error)?.message ?? String(error);
    if (message === failing) return;
    failing = message;
    logger.error(`Redis ${label}: ${message}`);
  });
  client.on('ready', () => {
    if (failing === undefined) return;
    failing = undefined;
    logger.log(`Redis ${label}: connection restored`);
    onRestored?.();
  });
}

/** Connects (if needed) and resolves once the client is ready, or rejects after `timeoutMs`. */
export async function connectWithin(client: AnyRedisClient, timeoutMs: number, label: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${label} is unavailable: no connection within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([ready(client), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function ready(client: AnyRedisClient): Promise<unknown> {
  if (!isIoRedis(client)) return client.isOpen ? Promise.resolve() : client.connect();
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'wait') return client.connect();
  return new Promise((resolve) => client.once('ready', resolve));
}

/** Sends one command and returns Redis' raw reply (arrays stay flat), with either client. */
export function command(client: AnyRedisClient, args: string[]): Promise<unknown> {
  const [name, ...rest] = args;
  return isIoRedis(client) ? client.call(name!, ...rest) : client.sendCommand(args);
}

/** Runs a Lua script atomically, with either client. */
export function evalScript(client: AnyRedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
  return isIoRedis(client) ? client.eval(script, keys.length, ...keys, ...args) : client.eval(script, { keys, arguments: args });
}

/** How many connections are subscribed to `channel` (PUBSUB NUMSUB). */
export async function subscriberCount(client: AnyRedisClient, channel: string): Promise<number> {
  const reply = await command(client, ['PUBSUB', 'NUMSUB', channel]);
  return Number((reply as unknown[])[1] ?? 0);
}

/** Whether the client is connected and ready for commands right now. */
export function isClientReady(client: AnyRedisClient): boolean {
  return isIoRedis(client) ? client.status === 'ready' : client.isReady === true;
}

/** Closes a client the library owns: politely when it can, at once when it cannot. */
export async function closeClient(client: AnyRedisClient): Promise<void> {
  try {
    if (isIoRedis(client)) {
      if (client.status === 'ready') await withDeadline(client.quit(), 1000);
      else dropClient(client);
      return;
    }
    if (client.isOpen && client.isReady !== false) await withDeadline((client.close ?? client.quit)!.call(client), 1000);
    else dropClient(client);
  } catch {
    // The connection is broken already: drop it.
    dropClient(client);
  }
}

/**
 * Closes a client at once, rejecting what it had queued. A client that is closed already is left
 * as it is (node-redis throws when destroyed twice).
 */
export function dropClient(client: AnyRedisClient): void {
  if (isIoRedis(client)) {
    if (client.status !== 'end') client.disconnect();
    return;
  }
  if (client.isOpen) (client.destroy ?? client.disconnect)?.call(client);
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('close timed out')), ms);
    }),
  ]);
}
