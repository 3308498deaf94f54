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

type IsVoidResult<R> = 0 extends 1 & R ? false : [R] extends [void] ? true : false;

/**
 * The requests that get an answer. A handler that returns nothing sends no ack: such a request
 * could only time out, so it is sent with `emit`.
 */
export type AnsweredRequestName<C> = { [E in RequestName<C>]: IsVoidResult<RequestResult<C, E>> extends true ? never : E }[RequestName<C>];

/** What a client may listen to: the contract's events and the protocol's own (`P`). */
export type ListenedEvents<C, P> = { [E in EventName<C>]: EventPayload<C, E> } & P;

type IsAny<T> = 0 extends 1 & T ? true : false;
type Frame<N, D> = { event: N; data: D };

/**
 * The frame that answers a request on a native WebSocket gateway. Its handler returns
 * `{ event, data }`: a contract shared with such a gateway declares that frame as the result
 * (then `ContractGateway` checks the handler), and the client resolves with its `data`. A result
 * that is not a frame is taken as the `data` of a frame named like the request.
 */
export type NativeReply<C, E extends RequestName<C>> =
  IsAny<RequestResult<C, E>> extends true
    ? Frame<E, any>
    : [RequestResult<C, E>] extends [never]
      ? Frame<E, never>
      : RequestResult<C, E> extends { event: infer N extends string; data: infer D }
        ? Frame<N, D>
        : Frame<E, RequestResult<C, E>>;
