/**
 * A tiny request/response protocol over Node's IPC channel, used between the orchestrator and
 * its children (servers, load generators). Children are forked with `serialization: 'advanced'`
 * so typed arrays (latency samples) cross without JSON.
 */

export interface RpcRequest {
  kind: 'rpc';
  id: number;
  method: string;
  args: unknown[];
}

export interface RpcResponse {
  kind: 'rpc-result';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A one-way message from a child, e.g. `{ kind: 'ready', port }`. */
export interface ChildEvent {
  kind: string;
  [key: string]: unknown;
}

export type RpcHandlers = Record<string, (...args: never[]) => unknown>;

/**
 * Child side: answers the parent's calls with `handlers`, and exits when the parent goes away
 * (the IPC channel closes even when the parent is SIGKILLed), so no child outlives a run.
 */
export function serveRpc(handlers: RpcHandlers): void {
  if (!process.send) throw new Error('This file is a child process of the benchmark: run `pnpm bench` instead.');
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: RpcRequest) => {
    if (message?.kind !== 'rpc') return;
    const handler = handlers[message.method] as ((...args: unknown[]) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`Unknown method ${message.method}`);
        return handler(...message.args);
      })
      .then(
        (value) => send({ kind: 'rpc-result', id: message.id, ok: true, value } satisfies RpcResponse),
        (error: unknown) =>
          send({
            kind: 'rpc-result',
            id: message.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          } satisfies RpcResponse),
      );
  });
}

/** Child side: tells the parent something without being asked. */
export function send(event: ChildEvent | RpcResponse): void {
  process.send?.(event);
}
