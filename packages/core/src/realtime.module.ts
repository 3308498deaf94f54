import { Module } from '@nestjs/common';
import { ConfigurableRealtimeModule, RAW_REALTIME_OPTIONS } from './realtime.module-definition.js';
import { REALTIME_OPTIONS } from './realtime.constants.js';
import { resolveRealtimeOptions } from './options/resolve-realtime-options.js';
import type { RealtimeModuleOptions } from './options/realtime-module-options.interface.js';

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
  ],
  exports: [REALTIME_OPTIONS],
})
export class RealtimeModule extends ConfigurableRealtimeModule {}
