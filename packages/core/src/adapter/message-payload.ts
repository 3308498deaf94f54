import type { AckCallback } from '../connection/realtime-connection.js';

/** One message as a Nest handler receives it: its `data` and the client's `ack`, if any. */
export interface MessagePayload {
  data: unknown;
  ack: AckCallback | undefined;
}

/**
 * Nest's `IoAdapter.mapPayload`, applied to a listener's arguments, so handlers see exactly what
 * they would under Nest's adapter: a trailing function is the ack; one argument before it is the
 * data itself, several are an array, none is `undefined`.
 */
export function mapPayload(args: unknown[]): MessagePayload {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as AckCallback) : undefined;
  const size = ack ? args.length - 1 : args.length;
  const data = size === 0 ? undefined : size === 1 ? args[0] : ack ? args.slice(0, size) : args;
  return { data, ack };
}
