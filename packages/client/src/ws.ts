/**
 * `@nestjs-realtime/client/ws`: the native WebSocket client and what its API names, without
 * `RealtimeClient`. Nothing here imports `socket.io-client`, so a page or device that only talks to
 * native gateways neither installs nor ships it (bundlers keep a module's bare import of a package
 * that does not declare itself free of side effects, as `socket.io-client` does not).
 */
export { RealtimeWsClient } from './realtime-ws-client.js';
export type { RealtimeWsClientOptions, WebSocketConstructor, WebSocketLike, WsRequestOptions } from './realtime-ws-client.js';
export { RealtimeError } from './realtime-error.js';
export type { Clock } from './clock.js';
export type { TokenProvider } from './token-provider.js';
export type { ConnectionStatus, ReadableStore } from './connection-status.js';
export type { EventName, EventPayload, NativeReply, RealtimeContract, RequestName, RequestPayload, RequestResult, UntypedContract } from './contract.js';
export * from './protocol.js';
