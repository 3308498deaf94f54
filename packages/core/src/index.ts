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
  RealtimeTransport,
  ResolvedRealtimeOptions,
} from './options/realtime-module-options.interface.js';
export { RealtimeConfigError } from './options/realtime-config.error.js';
export { resolveRealtimeOptions } from './options/resolve-realtime-options.js';
export { RealtimeIoAdapter } from './adapter/realtime-io.adapter.js';
