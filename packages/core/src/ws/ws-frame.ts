import { RealtimeException } from '../errors/realtime.exception.js';

/** A message of the native WebSocket protocol: one JSON text frame `{ "event": string, "data"?: any }`. */
export interface WsFrame {
  event: string;
  data: unknown;
}

/** Turns a raw frame into a message (Nest's `WsAdapter` message parser signature). */
export type WsMessageParser = (data: string | Buffer | ArrayBuffer | Buffer[]) => { event: string; data: unknown } | void;

const FORMAT = 'Frames must be JSON objects of the form { "event": string, "data"?: any }';

/**
 * The message a frame carries, or the contract error (`BAD_REQUEST`) the client gets back: a
 * malformed frame is the client's mistake, not a reason to drop it silently or to close.
 * `undefined` when the app's own parser returned nothing for it: as with Nest's `WsAdapter`, that
 * is how an app's parser drops a frame (a keep-alive, a frame of another protocol). The default
 * JSON parser never returns nothing, and its `null` is a malformed frame like any other.
 */
export function parseFrame(raw: Buffer | ArrayBuffer | Buffer[], parser: WsMessageParser, appParser: boolean): WsFrame | RealtimeException | undefined {
  let message: unknown;
  try {
    message = parser(raw);
  } catch {
    // The app's parser may read any format: only the default one is about JSON.
    return new RealtimeException('BAD_REQUEST', appParser ? 'The frame could not be parsed' : `${FORMAT}: this one is not valid JSON`);
  }
  if (appParser && (message === undefined || message === null)) return undefined;
  const event = (message as Partial<WsFrame> | null | undefined)?.event;
  if (typeof event !== 'string' || event === '') {
    return new RealtimeException('BAD_REQUEST', `${FORMAT}: "event" is missing`);
  }
  return { event, data: (message as WsFrame).data };
}
