import { Inject, Injectable, Optional, type INestApplicationContext } from '@nestjs/common';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { RealtimeConnectionLimits } from '../limits/realtime-connection-limits.js';
import { HandshakePipeline } from '../handshake/handshake-pipeline.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { MessagePipeline } from '../pipeline/message-pipeline.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { NativeWsClients } from '../connection/native-ws-clients.js';

/**
 * What the adapters work with, injected by Nest: an adapter is created in `main.ts`, outside the
 * module, so it asks the app for this one provider, once, and receives the rest from it.
 */
@Injectable()
export class RealtimeRuntime {
  constructor(
    @Inject(REALTIME_OPTIONS) readonly options: ResolvedRealtimeOptions,
    readonly handshake: HandshakePipeline,
    readonly messages: MessagePipeline,
    readonly servers: RealtimeServers,
    readonly limits: RealtimeConnectionLimits,
    readonly nativeClients: NativeWsClients,
    readonly redis: RealtimeRedisConnection,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) readonly telemetry?: RealtimeTelemetry | null,
  ) {
    // A user's native clients may be on several paths: their delivery's span names none.
    if (telemetry) nativeClients.traceDeliveriesWith((traceparent, deliver) => telemetry.traceDelivery(traceparent, 'websocket', undefined, deliver));
  }
}

/** The app's runtime, or undefined when `RealtimeModule` is not imported. */
export function findRealtimeRuntime(app: INestApplicationContext): RealtimeRuntime | undefined {
  try {
    return app.get(RealtimeRuntime, { strict: false });
  } catch {
    return undefined;
  }
}

/** The error an adapter throws when a gateway needs the module and there is none. */
export function missingModuleError(adapterName: string): Error {
  return new Error(
    `${adapterName} found no RealtimeModule options: import RealtimeModule.forRoot() or RealtimeModule.forRootAsync() in your application module.`,
  );
}
