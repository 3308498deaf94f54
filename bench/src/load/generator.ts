/**
 * A load generator process: the orchestrator forks one (or more) per measurement and drives it
 * over IPC: setup(pattern, params), then rounds of start() → mark() → collect() → pause().
 */
import { send, serveRpc } from '../lib/ipc.js';
import { BigRoomLoad } from './big-room.load.js';
import { EchoLoad } from './echo.load.js';
import { FloodLoad } from './flood.load.js';
import { FanoutLoad } from './fanout.load.js';
import { HandshakeLoad } from './handshake.load.js';
import { IdleLoad } from './idle.load.js';
import type { LoadPattern } from './load-pattern.js';
import { RoomsLoad } from './rooms.load.js';

/** Every load pattern a workload can ask for, by name. */
export const PATTERNS = {
  bigRoom: () => new BigRoomLoad(),
  echo: () => new EchoLoad(),
  flood: () => new FloodLoad(),
  fanout: () => new FanoutLoad(),
  handshake: () => new HandshakeLoad(),
  idle: () => new IdleLoad(),
  rooms: () => new RoomsLoad(),
} satisfies Record<string, () => LoadPattern>;

export type PatternName = keyof typeof PATTERNS;

let current: LoadPattern | undefined;

function pattern(): LoadPattern {
  if (!current) throw new Error('setup() first');
  return current;
}

serveRpc({
  setup: async (name: PatternName, params: unknown) => {
    current = PATTERNS[name]();
    return current.setup(params);
  },
  start: () => pattern().start(),
  mark: () => pattern().mark(),
  collect: () => pattern().collect(),
  pause: () => pattern().pause(),
  stop: () => pattern().stop(),
  /** A pattern-specific step, e.g. IdleLoad.connect(). */
  invoke: (method: string, ...args: unknown[]) => {
    const target = pattern() as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (typeof target[method] !== 'function') throw new Error(`The pattern has no method ${method}`);
    return target[method]!(...args);
  },
});
send({ kind: 'ready' });
