import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import type { AnyRedisClient } from '../../src/redis/redis-client.js';

/** A command as Redis gets it: `['ZADD', key, …]`, or `['EVAL', script, ...keys, ...args]`. */
export type SentCommand = string[];

/** The Redis client packages the library supports. */
export type RedisClientKind = 'node-redis' | 'ioredis';

interface Hold {
  match: (command: SentCommand) => boolean;
  caught: (command: SentCommand) => void;
  released: Promise<void>;
}

type NodeRedis = ReturnType<typeof createClient>;

/**
 * A real Redis connection (node-redis or ioredis) whose commands the test can hold back one at a
 * time, as a slow Redis would: the held command reaches Redis only once the test releases it, so
 * a test can run other operations in exactly that window. Everything else goes straight through,
 * in order.
 */
export class CommandGate {
  /** Every command sent through the gate, held ones included, in order. */
  readonly sent: SentCommand[] = [];
  /** The client to give the code under test. */
  readonly client: AnyRedisClient;
  private readonly holds: Hold[] = [];

  private constructor(private readonly connection: NodeRedis | IORedis) {
    const send = (command: SentCommand, run: () => Promise<unknown>) => this.send(command, run);
    const intercepted: Record<string, unknown> =
      connection instanceof IORedis
        ? {
            eval: (script: string, keyCount: number, ...keysAndArgs: string[]) =>
              send(['EVAL', script, ...keysAndArgs], () => connection.eval(script, keyCount, ...keysAndArgs)),
            call: (name: string, ...args: string[]) => send([name, ...args], () => connection.call(name, ...args)),
          }
        : {
            eval: (script: string, options: { keys: string[]; arguments: string[] }) =>
              send(['EVAL', script, ...options.keys, ...options.arguments], () => connection.eval(script, options)),
            sendCommand: (args: string[]) => send(args, () => connection.sendCommand(args)),
          };
    this.client = new Proxy(connection, {
      get(target, property) {
        if (typeof property === 'string' && property in intercepted) return intercepted[property];
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as unknown as AnyRedisClient;
  }

  /** Connects to `url` with the given client package. */
  static async connect(url: string, kind: RedisClientKind = 'node-redis'): Promise<CommandGate> {
    if (kind === 'ioredis') {
      const connection = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: null });
      connection.on('error', () => undefined); // a test that cuts the connection sees it through the client's state
      await connection.connect();
      return new CommandGate(connection);
    }
    const connection = createClient({ url });
    connection.on('error', () => undefined);
    await connection.connect();
    return new CommandGate(connection);
  }

  /**
   * Holds the next command that matches until `release()`; `caught` resolves with it once it is
   * held (the code under test is then waiting on it).
   */
  hold(match: (command: SentCommand) => boolean): { caught: Promise<SentCommand>; release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let caught!: (command: SentCommand) => void;
    const isCaught = new Promise<SentCommand>((resolve) => (caught = resolve));
    this.holds.push({ match, caught, released });
    return { caught: isCaught, release };
  }

  /** How many commands named `name` were sent. */
  count(name: string): number {
    return this.sent.filter(([sent]) => sent!.toUpperCase() === name.toUpperCase()).length;
  }

  /** Resolves once the connection has dropped. */
  whenDropped(): Promise<void> {
    return new Promise((resolve) => {
      if (this.connection instanceof IORedis) this.connection.once('close', () => resolve());
      else this.connection.once('error', () => resolve());
    });
  }

  /** Resolves once the connection is ready for commands again. */
  whenReady(): Promise<void> {
    return new Promise((resolve) => this.connection.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.connection instanceof IORedis) {
      if (this.connection.status === 'ready') await this.connection.quit();
      else this.connection.disconnect();
    } else if (this.connection.isOpen) {
      await this.connection.close();
    }
  }

  private async send(command: SentCommand, run: () => Promise<unknown>): Promise<unknown> {
    this.sent.push(command);
    const index = this.holds.findIndex((hold) => hold.match(command));
    if (index !== -1) {
      const [hold] = this.holds.splice(index, 1);
      hold!.caught(command);
      await hold!.released;
    }
    return run();
  }
}
