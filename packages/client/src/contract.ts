/**
 * A namespace's contract: one TypeScript type, written once and shared by the gateway and its
 * clients, e.g.
 *
 * ```ts
 * export interface ChatContract {
 *   requests: {
 *     message: { payload: { text: string }; result: { status: 'ok'; at: string } };
 *   };
 *   events: {
 *     message: { from: string; text: string; at: string };
 *   };
 * }
 * ```
 *
 * `requests` are what the client sends (each with the payload and what the handler returns,
 * which the ack carries); `events` are what the server emits (each with its payload). The shape
 * is checked structurally: the contract file needs no import.
 */
export interface RealtimeContract {
  requests?: object;
  events?: object;
}

/** What a client without a contract may send and receive: anything. */
export interface UntypedContract {
  requests: Record<string, { payload: any; result: any }>;
  events: Record<string, any>;
}

type RequestsOf<C> = C extends { requests: infer R } ? R : {};
type EventsOf<C> = C extends { events: infer E } ? E : {};

/** The names of the requests a contract allows. */
export type RequestName<C> = keyof RequestsOf<C> & string;
/** A request's payload. */
export type RequestPayload<C, E extends RequestName<C>> = RequestsOf<C>[E] extends { payload: infer P } ? P : undefined;
/** What a request's ack carries: the handler's result. */
export type RequestResult<C, E extends RequestName<C>> = RequestsOf<C>[E] extends { result: infer R } ? R : unknown;
/** The names of the events a contract's server emits. */
export type EventName<C> = keyof EventsOf<C> & string;
/** An event's payload. */
export type EventPayload<C, E extends EventName<C>> = EventsOf<C>[E];

/** A request's arguments: the payload, optional when the contract allows `undefined`. */
export type PayloadArgs<P> = undefined extends P ? [payload?: P] : [payload: P];

/** What a client may listen to: the contract's events and the protocol's own (`P`). */
export type ListenedEvents<C, P> = { [E in EventName<C>]: EventPayload<C, E> } & P;
