export { RealtimeModule } from './realtime.module.js';
export { REALTIME_OPTIONS } from './realtime.constants.js';
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
export { RealtimeConfigError } from './options/realtime-config.error.js';
export { resolveRealtimeOptions } from './options/resolve-realtime-options.js';
export { RealtimeIoAdapter } from './adapter/realtime-io.adapter.js';
export type { RealtimeIoAdapterOptions } from './adapter/realtime-io.adapter.js';
export type { NativeWsGatewayAdapter } from './adapter/native-ws-gateway-adapter.js';
export { WsJwtGuard } from './auth/ws-jwt.guard.js';
export { Public, IS_PUBLIC_KEY } from './auth/public.decorator.js';
export { WsAuthUser } from './auth/ws-auth-user.decorator.js';
export { AUTH_EXPIRED_EVENT, AUTH_EXPIRING_EVENT, AUTH_REFRESH_EVENT } from './auth/token-lifetime.js';
export type { AuthFailureReason } from './auth/auth-failure.js';
export type { SocketAuthState } from './auth/socket-auth-state.js';
export type {
  HandshakeInfo,
  JwtAlgorithm,
  JwtClaims,
  RealtimeAuthOptions,
  RealtimeUser,
  ResolvedAuthOptions,
  TokenSource,
  ValidateUser,
} from './auth/auth-options.interface.js';
export { RealtimeException } from './errors/realtime.exception.js';
export { REALTIME_ERROR_CODES } from './errors/realtime-error-code.js';
export type { RealtimeErrorCode } from './errors/realtime-error-code.js';
export type { RealtimeErrorPayload } from './errors/realtime-error-payload.js';
export { WsException } from '@nestjs/websockets';
export { RealtimeExceptionFilter } from './errors/realtime-exception.filter.js';
export { RealtimeValidationPipe, type RealtimeValidationPipeOptions } from './errors/realtime-validation.pipe.js';
export type { ValidationErrorDetails } from './errors/realtime-validation.pipe.js';
export { EXCEPTION_EVENT } from './errors/deliver-error.js';
export { CONNECTION_EVENT } from './errors/apply-error-contract.js';
export { AuthFailure } from './auth/auth-failure.js';
export { RealtimeService, DISCONNECTED_EVENT } from './service/realtime.service.js';
export type { RealtimeScope, RealtimeSocketInfo, RealtimeTarget } from './service/realtime.service.js';
export { createRedisAdapter } from './redis/create-redis-adapter.js';
export type { RealtimeRedisAdapter, SocketIoAdapterFactory } from './redis/create-redis-adapter.js';
export type { RealtimeRedisOptions, RedisAdapterMode, RedisClientLike, ResolvedRedisOptions } from './redis/redis-options.interface.js';
export { RealtimeEmitter } from './service/realtime-emitter.js';
export type { RealtimeEmitterOptions } from './service/realtime-emitter.js';
export { PresenceService } from './presence/presence.service.js';
export { PresenceStore } from './presence/presence.store.js';
export type { PresenceEntry, ReapedLeave } from './presence/presence.store.js';
export { MemoryPresenceStore } from './presence/memory-presence.store.js';
export { RedisPresenceStore } from './presence/redis-presence.store.js';
export { PRESENCE_JOIN_EVENT, PRESENCE_LEAVE_EVENT, PRESENCE_STATE_EVENT, PRESENCE_UPDATE_EVENT } from './presence/presence.events.js';
export type {
  PresenceCount,
  PresenceMeta,
  PresenceMetaInput,
  PresenceScope,
  PresenceStoreKind,
  PresenceUser,
  RealtimePresenceOptions,
  ResolvedPresenceOptions,
} from './presence/presence.interfaces.js';
export { RealtimeGateway } from './gateways/realtime.gateway.js';
export { RoomsGateway, ROOM_MESSAGE_EVENT } from './gateways/rooms.gateway.js';
export { checkRoomName } from './gateways/room-name.js';
export { RateLimit } from './rate-limit/rate-limit.decorator.js';
export { DRAINING_EVENT } from './drain/realtime-drain.js';
export { RealtimeHealthIndicator } from './health/realtime-health.indicator.js';
export type { RealtimeHealthDetails, RealtimeHealthResult } from './health/realtime-health.indicator.js';
export type { RealtimeDrainOptions, ResolvedDrainOptions } from './drain/drain-options.interface.js';
export { RATE_LIMITED_REASON } from './rate-limit/refuse-rate-limited.js';
export type { RateLimitBudget, RealtimeRateLimitOptions, ResolvedRateLimitOptions } from './rate-limit/rate-limit-options.interface.js';
export type { OverConnectionLimit, RealtimeLimitsOptions, ResolvedLimitsOptions } from './limits/limits-options.interface.js';
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
