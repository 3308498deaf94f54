import type { Observable } from 'rxjs';
import type { RealtimeTarget } from '../service/realtime.service.js';

/**
 * A namespace's contract: one TypeScript type, written once in a file the gateway and its
 * clients (`@nestjs-realtime/client`) share, e.g.
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
 * `requests` are what clients send (the payload, and what the handler returns: the ack);
 * `events` what the server emits. The shape is checked structurally, so the contract file
 * imports nothing, and `@nestjs-realtime/client` reads the same type.
 */
export interface RealtimeContract {
  requests?: object;
  events?: object;
}

type RequestsOf<C> = C extends { requests: infer R } ? R : {};
type EventsOf<C> = C extends { events: infer E } ? E : {};

/** The names of the requests a contract allows. */
export type RequestName<C> = keyof RequestsOf<C> & string;
/** A request's payload. */
export type RequestPayload<C, E extends RequestName<C>> = RequestsOf<C>[E] extends { payload: infer P } ? P : undefined;
/** What a request's handler returns (the ack carries it). */
export type RequestResult<C, E extends RequestName<C>> = RequestsOf<C>[E] extends { result: infer R } ? R : unknown;
/** The names of the events a contract's server emits. */
export type EventName<C> = keyof EventsOf<C> & string;
/** An event's payload. */
export type EventPayload<C, E extends EventName<C>> = EventsOf<C>[E];

/** What a handler may return for a result `R`: the value, a promise of it, or an Observable of them (streamed). */
export type HandlerResult<R> = R | Promise<R> | Observable<R>;

/** A handler of request `E`: the payload first (`@MessageBody()`), then whatever else it takes. */
export type ContractHandler<C, E extends RequestName<C>> = (payload: RequestPayload<C, E>, ...context: any[]) => HandlerResult<RequestResult<C, E>>;

/**
 * What a gateway must implement to serve a contract: for every request, a method named like the
 * event, taking the payload first and returning the result. With
 * `class ChatGateway implements ContractGateway<ChatContract>`, a missing handler, a wrong payload
 * or result type is a compile error; `ContractMessage<ChatContract>()` catches a misspelled event.
 */
export type ContractGateway<C> = { [E in RequestName<C>]: ContractHandler<C, E> };

/**
 * `@SubscribeMessage()` checked against a contract: the event must be one of its requests and the
 * method must fit it (payload first, result as declared).
 *
 * ```ts
 * const Handles = ContractMessage<ChatContract>();
 * class ChatGateway implements ContractGateway<ChatContract> {
 *   @Handles('message')
 *   message(@MessageBody() body: { text: string }) { return { status: 'ok' as const, at: new Date().toISOString() }; }
 * }
 * ```
 */
export type ContractMessageDecorator<C> = <E extends RequestName<C>>(
  event: E,
) => <M extends ContractHandler<C, E>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/** Where a contract's events go (`RealtimeService.toRoom()`, `toUser()`, a gateway's helpers), typed by it. */
export interface ContractTarget<C> {
  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void;
}

/**
 * The same target, its events typed by the contract: `contractTarget<ChatContract>(this.toRoom(room)).emit('message', …)`
 * checks the event name and payload at compile time.
 */
export function contractTarget<C>(target: RealtimeTarget): ContractTarget<C> {
  return target;
}
