import { fork, type ChildProcess } from 'node:child_process';
import type { ChildEvent, RpcResponse } from './ipc.js';
import { addOwnPid, removeOwnPid } from './machine-load.js';

/** Every child this run started and has not reaped yet, with the signal that stops it; killed on any kind of exit. */
const live = new Map<ChildProcess, NodeJS.Signals>();
let hooksInstalled = false;

/**
 * Kills every live child at once: SIGKILL (nothing to flush, the OS frees the ports), or the
 * child's own stop signal when it must clean up after itself (the Redis keeper reaps redis-server).
 */
export function killAllChildren(): void {
  for (const [child, signal] of live) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

/** Kills the children on normal exit, errors, Ctrl-C and SIGTERM. Children also exit when the IPC channel closes. */
export function installCleanupHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every child process\n`);
      killAllChildren();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: uncaught ${error.stack ?? error}\n`);
    killAllChildren();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`bench: unhandled rejection ${error instanceof Error ? error.stack : String(error)}\n`);
    killAllChildren();
    process.exit(1);
  });
}

export interface ForkOptions {
  /** A short name for messages, e.g. `server c` or `generator`. */
  name: string;
  env?: Record<string, string>;
  execArgv?: string[];
  /** Forward the child's stdout/stderr to ours as they come (otherwise only their tail on failure). */
  verbose?: boolean;
  /**
   * How to stop it. SIGKILL by default; SIGTERM for a child that owns another process and must
   * stop it first (it gets 3 s, then SIGKILL).
   * @default 'SIGKILL'
   */
  stopSignal?: NodeJS.Signals;
}

/** A child's failure; `unsupported` says the target cannot run this configuration (e.g. an option the library lacks). */
export class ChildError extends Error {
  constructor(
    message: string,
    readonly unsupported?: string,
  ) {
    super(message);
  }
}

/** A forked Node child that answers RPC calls (see `serveRpc`). */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private readonly waiters: { kind: string; resolve(event: ChildEvent): void; reject(error: Error): void }[] = [];
  private output = '';
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
    private readonly stopSignal: NodeJS.Signals,
  ) {
    process.on('message', (message: RpcResponse | ChildEvent) => this.onMessage(message));
    process.once('exit', (code, signal) => {
      this.exited = true;
      live.delete(process);
      removeOwnPid(process.pid);
      const error = new Error(`${name} exited (${signal ?? `code ${code}`})${this.tail()}`);
      for (const { reject, timer } of this.pending.values()) {
        clearTimeout(timer);
        reject(error);
      }
      this.pending.clear();
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    });
  }

  static fork(modulePath: string, options: ForkOptions): Child {
    installCleanupHooks();
    const child = fork(modulePath, [], {
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      execArgv: options.execArgv ?? [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const stopSignal = options.stopSignal ?? 'SIGKILL';
    live.set(child, stopSignal);
    addOwnPid(child.pid);
    const handle = new Child(options.name, child, stopSignal);
    const collect = (chunk: Buffer) => {
      handle.output = (handle.output + chunk.toString()).slice(-4000);
      if (options.verbose) process.stderr.write(`[${options.name}] ${chunk}`);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return handle;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves with the next event of this kind (e.g. `ready`); rejects on an `error` event or exit. */
  waitFor(kind: string, timeoutMs = 30_000): Promise<ChildEvent> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running${this.tail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`${this.name}: no "${kind}" within ${timeoutMs} ms${this.tail()}`));
      }, timeoutMs);
      const waiter = {
        kind,
        resolve: (event: ChildEvent) => {
          clearTimeout(timer);
          resolve(event);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Calls `method` in the child; rejects with the child's error (and its output tail). */
  call<T = unknown>(method: string, args: unknown[] = [], timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running${this.tail()}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method}() did not answer within ${timeoutMs} ms${this.tail()}`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.process.send({ kind: 'rpc', id, method, args });
    });
  }

  /** Stops the child (see `stopSignal`) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill(this.stopSignal);
    if (this.stopSignal !== 'SIGKILL') {
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
      return;
    }
    await gone;
  }

  private onMessage(message: RpcResponse | ChildEvent): void {
    if (message.kind === 'rpc-result') {
      const response = message as RpcResponse;
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      clearTimeout(pending.timer);
      if (response.ok) pending.resolve(response.value);
      else pending.reject(new Error(`${this.name}: ${response.error}`));
      return;
    }
    const event = message as ChildEvent;
    if (event.kind === 'error') {
      const error = new ChildError(`${this.name}: ${String(event.message)}`, event.unsupported as string | undefined);
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      return;
    }
    const index = this.waiters.findIndex((waiter) => waiter.kind === event.kind);
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(event);
  }

  private tail(): string {
    const text = this.output.trim();
    return text ? `\n--- last output of ${this.name} ---\n${text.split('\n').slice(-15).join('\n')}` : '';
  }
}
