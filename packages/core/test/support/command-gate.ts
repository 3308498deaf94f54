import { createClient } from 'redis';
import type { AnyRedisClient } from '../../src/redis/redis-client.js';

/** A command as Redis gets it: `['ZADD', key, …]`, or `['EVAL', script, ...keys, ...args]`. */
export type SentCommand = string[];

interface Hold {
  match: (command: SentCommand) => boolean;
  caught: (command: SentCommand) => void;
  released: Promise<void>;
}

/**
 * A real node-redis connection whose commands the test can hold back one at a time, as a slow
 * Redis would: the held command reaches Redis only once the test releases it, so a test can run
 * other operations in exactly that window. Everything else goes straight through.
 */
export class CommandGate {
  /** Every command sent through the gate, held ones included, in order. */
  readonly sent: SentCommand[] = [];
  /** The client to give the code under test. */
  readonly client: AnyRedisClient;
  private readonly holds: Hold[] = [];

  private constructor(readonly connection: ReturnType<typeof createClient>) {
    const send = (command: SentCommand, run: () => Promise<unknown>) => this.send(command, run);
    this.client = new Proxy(connection, {
      get(target, property) {
        if (property === 'eval') {
          return (script: string, options: { keys: string[]; arguments: string[] }) =>
            send(['EVAL', script, ...options.keys, ...options.arguments], () => target.eval(script, options));
        }
        if (property === 'sendCommand') return (args: string[]) => send(args, () => target.sendCommand(args));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as unknown as AnyRedisClient;
  }

  /** Connects to `url`. */
  static async connect(url: string): Promise<CommandGate> {
    const connection = createClient({ url });
    connection.on('error', () => undefined); // a test that cuts the connection sees it through isReady
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

  async close(): Promise<void> {
    if (this.connection.isOpen) await this.connection.close();
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
