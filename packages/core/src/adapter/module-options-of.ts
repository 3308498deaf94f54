import type { INestApplicationContext } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../realtime.constants.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';

/** The app's validated `RealtimeModule` options, or undefined when the module is not imported. */
export function findRealtimeOptions(app: INestApplicationContext): ResolvedRealtimeOptions | undefined {
  try {
    return app.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS, { strict: false });
  } catch {
    return undefined;
  }
}

/** The error an adapter throws when a gateway needs the module options and there are none. */
export function missingModuleError(adapterName: string): Error {
  return new Error(
    `${adapterName} found no RealtimeModule options: import RealtimeModule.forRoot() or RealtimeModule.forRootAsync() in your application module.`,
  );
}
