import type { Clock } from './clock.js';
import { EXCEPTION } from './protocol.js';
import { fromPayload, isErrorPayload, timeoutError, type RealtimeError } from './realtime-error.js';

/** A request waiting for its answer. */
export interface PendingReply {
  /** The request's event: an `exception` about it answers it. */
  readonly event: string;
  /** The event of the frame that answers it. */
  readonly replyEvent: string;
  readonly reply: Promise<unknown>;
  /** Settled: answered, failed or timed out (its frame, if still unsent, must not go out). */
  readonly settled: boolean;
  /** The connection its frame went out on: losing that connection fails it. */
  sentOn?: object;
}

interface Entry extends PendingReply {
  settled: boolean;
  timer?: unknown;
  resolve(data: unknown): void;
  reject(error: RealtimeError): void;
}

/**
 * Matches the frames of the native protocol to the requests they answer. The protocol has no
 * correlation ids: a handler answers with a frame named like its `event` (or another name it
 * picks), and an error comes as `exception` naming the request's event. So the oldest request
 * waiting for a frame's name takes it, first in first out, which holds as long as the server
 * answers one connection's messages of one event in the order they came (Nest handles them in
 * order; an async handler that finishes later than the next one breaks it).
 */
export class ReplyQueue {
  private entries: Entry[] = [];

  constructor(private readonly clock: Clock) {}

  /** Waits for the answer to `event`: the next `replyEvent` frame, or an `exception` about `event`. */
  wait(event: string, replyEvent: string, timeoutMs: number): PendingReply {
    let settle!: Pick<Entry, 'resolve' | 'reject'>;
    const reply = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    const entry: Entry = {
      event,
      replyEvent,
      reply,
      settled: false,
      resolve: (data) => this.finish(entry, () => settle.resolve(data)),
      reject: (error) => this.finish(entry, () => settle.reject(error)),
    };
    entry.timer = this.clock.setTimeout(() => entry.reject(timeoutError(event, timeoutMs)), timeoutMs);
    this.entries.push(entry);
    return entry;
  }

  /** Settles the oldest request `{ event, data }` answers; false when it answers none. */
  settle(event: string, data: unknown): boolean {
    if (event === EXCEPTION) {
      if (!isErrorPayload(data)) return false;
      const entry = this.entries.find((candidate) => candidate.event === data.event);
      entry?.reject(fromPayload(data));
      return entry !== undefined;
    }
    const entry = this.entries.find((candidate) => candidate.replyEvent === event);
    entry?.resolve(data);
    return entry !== undefined;
  }

  /** Fails the requests sent on a connection that is gone: their answers will never come. */
  failSentOn(connection: object, error: (event: string) => RealtimeError): void {
    for (const entry of this.entries.filter((candidate) => candidate.sentOn === connection)) entry.reject(error(entry.event));
  }

  /** Fails every waiting request. */
  failAll(error: (event: string) => RealtimeError): void {
    for (const entry of [...this.entries]) entry.reject(error(entry.event));
  }

  private finish(entry: Entry, settle: () => void): void {
    if (entry.settled) return;
    entry.settled = true;
    this.clock.clearTimeout(entry.timer);
    this.entries = this.entries.filter((candidate) => candidate !== entry);
    settle();
  }
}
