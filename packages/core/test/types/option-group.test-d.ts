/**
 * Type tests, checked by `pnpm typecheck`: each `@ts-expect-error` must stay an error, or the
 * build fails; the rest must compile.
 */
import type { JwtService } from '@nestjs/jwt';
import { expectTypeOf } from 'vitest';
import { defineOptionGroup } from '../../src/config/option-group.js';
import type {
  JwtAlgorithm,
  OverConnectionLimit,
  ConnectionLimitScope,
  PresenceStoreKind,
  RateLimitBudget,
  RealtimeConnectionStateRecovery,
  RealtimeCorsOptions,
  RealtimeParser,
  RealtimeTransport,
  RedisAdapterMode,
  RealtimeRedisClusterOptions,
  RedisClientLike,
  ResolvedAuthOptions,
  ResolvedDrainOptions,
  ResolvedLimitsOptions,
  ResolvedPresenceOptions,
  ResolvedRateLimitOptions,
  ResolvedRealtimeOptions,
  ResolvedRedisOptions,
  TokenSource,
  TrustedHop,
  ValidateUser,
} from '../../src/index.js';
import type { ResolvedObservabilityOptions } from '../../src/options/observability-options.interface.js';

interface ExampleOptions {
  mode?: 'fast' | 'safe';
  points: number;
}
const doc = { type: '', text: '' };
const check = (value: unknown) => value as never;

// A declaration covers the interface exactly, with defaults of its types and `required` where it has no `?`.
defineOptionGroup<ExampleOptions>()({ mode: { default: 'fast', check, doc }, points: { required: true, check, doc } }, { expected: '' });
// @ts-expect-error an option of the interface is missing
defineOptionGroup<ExampleOptions>()({ mode: { check, doc } }, { expected: '' });
// @ts-expect-error an option the interface does not have
defineOptionGroup<ExampleOptions>()({ mode: { check, doc }, points: { required: true, check, doc }, extra: { check, doc } }, { expected: '' });
// @ts-expect-error a default the interface does not allow
defineOptionGroup<ExampleOptions>()({ mode: { default: 'slow', check, doc }, points: { required: true, check, doc } }, { expected: '' });
// @ts-expect-error a required option declared as optional
defineOptionGroup<ExampleOptions>()({ mode: { check, doc }, points: { check, doc } }, { expected: '' });
// @ts-expect-error an optional option declared as required
defineOptionGroup<ExampleOptions>()({ mode: { required: true, check, doc }, points: { required: true, check, doc } }, { expected: '' });

// The resolved types are what each check returns; an option with no default may stay unset.
expectTypeOf<ResolvedDrainOptions>().toEqualTypeOf<{ timeoutMs: number; batchSize: number; reconnectDelayMs: number }>();
expectTypeOf<ResolvedPresenceOptions>().toEqualTypeOf<{
  ttlMs: number;
  pageSize: number;
  diffWindowMs: number;
  countsWindowMs: number;
  bigRoomUsers: number;
  bigRoomExitUsers: number;
  store?: PresenceStoreKind | undefined;
}>();
expectTypeOf<ResolvedRateLimitOptions>().toEqualTypeOf<{
  points: number;
  durationMs: number;
  disconnectAfter: number;
  perUser?: RateLimitBudget | undefined;
}>();
expectTypeOf<ResolvedLimitsOptions>().toEqualTypeOf<{
  overConnectionLimit: OverConnectionLimit;
  connectionLimitScope: ConnectionLimitScope;
  handshakeLimitScope: ConnectionLimitScope;
  maxRoomsPerSocket: number;
  maxHandshakeAuthBytes: number;
  maxPayloadDepth: number;
  maxPayloadNodes: number;
  maxConnectionsPerUser?: number | undefined;
  handshakesPerIp?: RateLimitBudget | undefined;
}>();
expectTypeOf<ResolvedRedisOptions>().toEqualTypeOf<{
  adapter: RedisAdapterMode;
  keyPrefix: string;
  requestsTimeout: number;
  connectTimeoutMs: number;
  onUnavailable: 'fail' | 'degrade';
  url?: string | undefined;
  cluster?: RealtimeRedisClusterOptions | undefined;
  client?: RedisClientLike | undefined;
}>();
expectTypeOf<ResolvedAuthOptions>().toEqualTypeOf<{
  jwksCacheMs: number;
  tokenSources: TokenSource[];
  cookieName: string;
  validate: ValidateUser;
  required: boolean;
  publicNamespaces: string[];
  expiringNoticeMs: number;
  refreshGraceMs: number;
  secret?: string | Buffer | undefined;
  publicKey?: string | Buffer | undefined;
  jwksUri?: string | undefined;
  jwtService?: JwtService | undefined;
  algorithms?: JwtAlgorithm[] | undefined;
  issuer?: string | string[] | undefined;
  audience?: string | RegExp | (string | RegExp)[] | undefined;
}>();
expectTypeOf<ResolvedRealtimeOptions>().toEqualTypeOf<{
  allowRequestsWithoutOrigin: boolean;
  path: string;
  transports: RealtimeTransport[];
  maxHttpBufferSize: number;
  pingInterval: number;
  pingTimeout: number;
  connectTimeout: number;
  connectionStateRecovery: Required<RealtimeConnectionStateRecovery> | false;
  parser: RealtimeParser;
  serveClient: boolean;
  applyErrorContract: boolean;
  presence: ResolvedPresenceOptions;
  drain: ResolvedDrainOptions;
  limits: ResolvedLimitsOptions;
  observability: ResolvedObservabilityOptions;
  trustProxy: TrustedHop;
  userRoomPrefix: string;
  cors?: RealtimeCorsOptions | undefined;
  auth?: ResolvedAuthOptions | undefined;
  redis?: ResolvedRedisOptions | undefined;
  rateLimit?: ResolvedRateLimitOptions | undefined;
}>();
