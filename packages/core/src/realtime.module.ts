import { Module } from '@nestjs/common';
import { ConfigurableRealtimeModule, RAW_REALTIME_OPTIONS } from './realtime.module-definition.js';
import { REALTIME_OPTIONS } from './options/realtime-options.token.js';
import { resolveRealtimeOptions } from './options/resolve-realtime-options.js';
import type { RealtimeModuleOptions, ResolvedRealtimeOptions } from './options/realtime-module-options.interface.js';
import { RealtimeRedisConnection } from './redis/realtime-redis-connection.js';
import { RealtimeServers } from './service/realtime-servers.js';
import { RealtimeService } from './service/realtime.service.js';
import { NativeWsClients } from './connection/native-ws-clients.js';
import { RealtimeRateLimiting } from './rate-limit/realtime-rate-limiting.js';
import { RealtimeDrain } from './drain/realtime-drain.js';
import { RealtimeConnectionLimits } from './limits/realtime-connection-limits.js';
import { RealtimeHealthIndicator } from './health/realtime-health.indicator.js';
import { PresenceService } from './presence/presence.service.js';
import { presenceStoreProvider } from './presence/presence-store.provider.js';
import { PRESENCE_CLOCK, systemPresenceClock } from './presence/presence-clock.js';
import { MessageGate } from './pipeline/message-gate.js';
import { MessagePipeline } from './pipeline/message-pipeline.js';
import { HandshakePipeline } from './handshake/handshake-pipeline.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { TokenLifetime } from './auth/token-lifetime.js';
import { RealtimeRuntime } from './transport/realtime-runtime.js';
import { RealtimeAdapterCheck } from './transport/adapter-check.js';
import { RealtimeBootLog } from './realtime-boot-log.js';
import { RealtimeTelemetry } from './observability/realtime-telemetry.js';
import { RealtimeRedisMetrics } from './observability/redis-metrics.js';

/**
 * The realtime layer. Import it once with `RealtimeModule.forRoot(options)` or
 * `RealtimeModule.forRootAsync({ imports, inject, useFactory | useClass | useExisting, isGlobal })`,
 * and install the adapter in `main.ts`: `app.useWebSocketAdapter(new RealtimeIoAdapter(app))`.
 */
@Module({
  providers: [
    {
      provide: REALTIME_OPTIONS,
      inject: [RAW_REALTIME_OPTIONS],
      useFactory: (options: RealtimeModuleOptions) => resolveRealtimeOptions(options),
    },
    {
      provide: RealtimeRedisConnection,
      inject: [REALTIME_OPTIONS],
      useFactory: (options: ResolvedRealtimeOptions) => RealtimeRedisConnection.open(options.redis),
    },
    RealtimeServers,
    NativeWsClients,
    RealtimeRateLimiting,
    RealtimeDrain,
    RealtimeConnectionLimits,
    RealtimeService,
    presenceStoreProvider,
    { provide: PRESENCE_CLOCK, useValue: systemPresenceClock },
    PresenceService,
    RealtimeHealthIndicator,
    // One verifier for both transports (one JWKS cache); both are null without `auth`.
    {
      provide: TokenVerifier,
      inject: [REALTIME_OPTIONS],
      useFactory: ({ auth }: ResolvedRealtimeOptions) => (auth ? new TokenVerifier(auth) : null),
    },
    {
      provide: TokenLifetime,
      inject: [REALTIME_OPTIONS, TokenVerifier],
      useFactory: ({ auth }: ResolvedRealtimeOptions, verifier: TokenVerifier | null) => (auth && verifier ? new TokenLifetime(verifier, auth) : null),
    },
    // Null when observability is off or no OpenTelemetry SDK is registered at boot.
    {
      provide: RealtimeTelemetry,
      inject: [REALTIME_OPTIONS],
      useFactory: ({ observability }: ResolvedRealtimeOptions) => RealtimeTelemetry.create(observability),
    },
    RealtimeRedisMetrics,
    HandshakePipeline,
    MessageGate,
    MessagePipeline,
    RealtimeRuntime,
    RealtimeAdapterCheck,
    RealtimeBootLog,
  ],
  exports: [REALTIME_OPTIONS, RealtimeService, PresenceService, RealtimeHealthIndicator],
})
export class RealtimeModule extends ConfigurableRealtimeModule {}
