export { RealtimeClient } from './realtime-client.js';
export type { RealtimeClientOptions } from './realtime-client.js';
export type { TokenProvider } from './token-provider.js';
export { RealtimeWsClient } from './realtime-ws-client.js';
export type { RealtimeWsClientOptions, WebSocketConstructor, WebSocketLike, WsRequestOptions } from './realtime-ws-client.js';
export type { Clock } from './clock.js';
export { RealtimeRoom } from './realtime-room.js';
export type { RoomMessage, RoomOptions } from './realtime-room.js';
export { RealtimeError } from './realtime-error.js';
export type { ConnectionStatus, ReadableStore } from './connection-status.js';
export type { EventName, EventPayload, NativeReply, RealtimeContract, RequestName, RequestPayload, RequestResult, UntypedContract } from './contract.js';
export { applyDiff, applyJoin, applyLeave, applyUpdate, EMPTY_PRESENCE, endPaging, mergePage, nameInPaging, NEW_PAGING, syncState } from './presence-state.js';
export type { PagingStep, PresenceDiff, PresencePaging, PresenceState, PresenceStep } from './presence-state.js';
export * from './protocol.js';
export type {
  ClientErrorCode,
  PresenceCount,
  PresenceDiffEvent,
  PresenceMeta,
  PresenceMode,
  PresencePage,
  PresenceUser,
  RealtimeErrorCode,
  RealtimeErrorPayload,
  ServerErrorCode,
} from './protocol.js';
