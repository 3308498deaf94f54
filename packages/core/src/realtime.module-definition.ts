import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RealtimeModuleOptions } from './options/realtime-module-options.interface.js';

/** Extra `forRoot`/`forRootAsync` options that shape the module itself rather than the servers. */
export interface RealtimeModuleExtras {
  /**
   * Register the module globally so that every module can inject its providers.
   * @default false
   */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableRealtimeModule,
  // The raw, unvalidated options; only the REALTIME_OPTIONS factory reads them.
  MODULE_OPTIONS_TOKEN: RAW_REALTIME_OPTIONS,
  OPTIONS_TYPE: REALTIME_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REALTIME_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RealtimeModuleOptions>({ moduleName: 'Realtime' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createRealtimeOptions')
  .setExtras<RealtimeModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `RealtimeModule.forRoot()` takes: the options plus `isGlobal`. */
export type RealtimeModuleRootOptions = typeof REALTIME_OPTIONS_TYPE;

/** What `RealtimeModule.forRootAsync()` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, `isGlobal`. */
export type RealtimeModuleAsyncOptions = typeof REALTIME_ASYNC_OPTIONS_TYPE;
