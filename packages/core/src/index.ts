export { RealtimeModule } from './realtime.module.js';
// The wire protocol (contract): event names, refusal reasons, error codes.
export {
  AUTH_EXPIRED_EVENT,
  AUTH_EXPIRING_EVENT,
  AUTH_REFRESH_EVENT,
  CONNECTION_EVENT,
  DISCONNECTED_EVENT,
  DRAINING_EVENT,
  EXCEPTION_EVENT,
  PING_EVENT,
  PRESENCE_DIFF_EVENT,
  PRESENCE_JOIN_EVENT,
  PRESENCE_LEAVE_EVENT,
  PRESENCE_STATE_EVENT,
  PRESENCE_UPDATE_EVENT,
  RATE_LIMITED_REASON,
  REALTIME_ERROR_CODES,
  ROOM_MESSAGE_EVENT,
} from './protocol/index.js';
export type { AuthFailureReason, RealtimeErrorCode, RealtimeErrorPayload } from './protocol/index.js';
export { REALTIME_OPTIONS } from './options/realtime-options.token.js';
export type {
  RealtimeModuleAsyncOptions,
  RealtimeModuleExtras,
  RealtimeModuleRootOptions,
} from './realtime.module-definition.js';
export type {
  RealtimeConnectionStateRecovery,
  RealtimeCorsOptions,
  RealtimeModuleOptions,
  RealtimeParser,
  RealtimeTransport,
  ResolvedRealtimeOptions,
} from './options/realtime-module-options.interface.js';
export { RealtimeConfigError } from './config/realtime-config.error.js';
export { resolveRealtimeOptions } from './options/resolve-realtime-options.js';
export { RealtimeIoAdapter } from './adapter/realtime-io.adapter.js';
export type { RealtimeIoAdapterOptions } from './adapter/realtime-io.adapter.js';
export type { NativeWsGatewayAdapter } from './transport/native-ws-gateway-adapter.js';
export { WsJwtGuard } from './auth/ws-jwt.guard.js';
export { Public, IS_PUBLIC_KEY } from './auth/public.decorator.js';
export { WsAuthUser } from './auth/ws-auth-user.decorator.js';
export type { SocketAuthState } from './connection/identity.js';
export type {
  HandshakeInfo,
  JwtAlgorithm,
  JwtClaims,
  RealtimeAuthOptions,
  RealtimeUser,
  ResolvedAuthOptions,
  TokenSource,
  ValidateUser,
} from './options/auth-options.interface.js';
export { RealtimeException } from './errors/realtime.exception.js';
export { WsException } from '@nestjs/websockets';
export { RealtimeExceptionFilter } from './errors/realtime-exception.filter.js';
export { RealtimeValidationPipe, type RealtimeValidationPipeOptions } from './validation/realtime-validation.pipe.js';
export type { ValidationErrorDetails } from './errors/validation-error-details.js';
export { AuthFailure } from './auth/auth-failure.js';
export { RealtimeService } from './service/realtime.service.js';
export type { RealtimeScope, RealtimeSocketInfo, RealtimeTarget } from './service/realtime.service.js';
export { createRedisAdapter } from './redis/create-redis-adapter.js';
export type { RealtimeRedisAdapter, SocketIoAdapterFactory } from './redis/create-redis-adapter.js';
export type { RealtimeRedisClusterOptions, RealtimeRedisOptions, RedisAdapterMode, RedisClientLike, ResolvedRedisOptions } from './options/redis-options.interface.js';
export { RealtimeEmitter } from './service/realtime-emitter.js';
export type { RealtimeEmitterOptions } from './service/realtime-emitter.js';
export { PresenceService } from './presence/presence.service.js';
export { InvalidPresenceCursorError, PresenceStore } from './presence/presence.store.js';
export type { PresenceEntry, PresenceStoreCount, PresenceStorePage, ReapedLeave } from './presence/presence.store.js';
export type { BigRoomBand } from './presence/presence-mode.js';
export { MemoryPresenceStore } from './presence/memory-presence.store.js';
export { RedisPresenceStore } from './presence/redis-presence.store.js';
export type {
  PresenceCount,
  PresenceDiff,
  PresenceJoinOptions,
  PresenceMeta,
  PresenceMetaInput,
  PresenceMode,
  PresenceModeOverride,
  PresencePage,
  PresencePageOptions,
  PresenceScope,
  PresenceUser,
} from './presence/presence.interfaces.js';
export type { PresenceStoreKind, RealtimePresenceOptions, ResolvedPresenceOptions } from './options/presence-options.interface.js';
export { RealtimeGateway } from './gateways/realtime.gateway.js';
export { RoomsGateway } from './gateways/rooms.gateway.js';
export { checkRoomName } from './gateways/room-name.js';
export { RateLimit } from './rate-limit/rate-limit.decorator.js';
export { RealtimeHealthIndicator } from './health/realtime-health.indicator.js';
export type { RealtimeHealthDetails, RealtimeHealthResult } from './health/realtime-health.indicator.js';
export type { RealtimeDrainOptions, ResolvedDrainOptions } from './options/drain-options.interface.js';
export type { RateLimitBudget, RealtimeRateLimitOptions, ResolvedRateLimitOptions } from './options/rate-limit-options.interface.js';
export type { RealtimeObservabilityOptions, ResolvedObservabilityOptions } from './options/observability-options.interface.js';
export type { ConnectionLimitScope, OverConnectionLimit, RealtimeLimitsOptions, ResolvedLimitsOptions } from './options/limits-options.interface.js';
export type { RealtimeTrustProxy, TrustedHop } from './proxy/trust-proxy.js';
export { contractTarget } from './contract/realtime-contract.js';
export type {
  ContractGateway,
  ContractHandler,
  ContractMessageDecorator,
  ContractTarget,
  EventName,
  EventPayload,
  HandlerResult,
  RealtimeContract,
  RequestName,
  RequestPayload,
  RequestResult,
} from './contract/realtime-contract.js';
export { ContractMessage } from './contract/contract-message.decorator.js';
