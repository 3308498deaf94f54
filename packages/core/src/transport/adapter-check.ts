import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA } from '@nestjs/websockets/constants.js';

/** Marks the library's adapters, whichever copy of the package the app loaded. */
export const REALTIME_ADAPTER = Symbol.for('@nestjs-realtime/core:adapter');

/**
 * Fails the boot when the app has gateways but serves them with an adapter other than the
 * library's (`app.useWebSocketAdapter(...)` forgotten in `main.ts`): Nest would fall back to its
 * own `IoAdapter`, and every connection would skip handshake authentication, the origin
 * allowlist and every limit, silently.
 */
@Injectable()
export class RealtimeAdapterCheck implements OnApplicationBootstrap {
  constructor(
    private readonly config: ApplicationConfig,
    private readonly modules: ModulesContainer,
  ) {}

  onApplicationBootstrap(): void {
    // Nest has connected the gateways by now; an app context without a server has no adapter.
    const adapter = this.config.getIoAdapter() as (object & { [REALTIME_ADAPTER]?: boolean }) | null | undefined;
    if (!adapter || adapter[REALTIME_ADAPTER]) return;
    const gateways = this.gatewayNames();
    if (gateways.length === 0) return;
    throw new Error(
      `RealtimeModule is imported, but the gateways ${gateways.join(', ')} are served by ${adapter.constructor.name}: ` +
        'their connections would skip handshake authentication, the origin allowlist and every limit. ' +
        `Add this line to main.ts, before app.listen(): ${adapterLine(adapter)}.`,
    );
  }

  private gatewayNames(): string[] {
    const names = new Set<string>();
    for (const module of this.modules.values()) {
      for (const { metatype } of module.providers.values()) {
        if (typeof metatype === 'function' && Reflect.getMetadata(GATEWAY_METADATA, metatype)) names.add(metatype.name);
      }
    }
    return [...names];
  }
}

/**
 * The library's adapter in place of the one installed. Nest's `WsAdapter` (or a subclass) serves
 * native WebSocket clients, which `RealtimeIoAdapter` would turn away: it has a registry of `ws`
 * servers and no Socket.IO server factory. Anything else is taken for a Socket.IO adapter.
 */
function adapterLine(adapter: object): string {
  const nativeWs = 'wsServersRegistry' in adapter && !('createIOServer' in adapter);
  return nativeWs
    ? "app.useWebSocketAdapter(new RealtimeWsAdapter(app)); (RealtimeWsAdapter from '@nestjs-realtime/core/ws')"
    : "app.useWebSocketAdapter(new RealtimeIoAdapter(app)); (RealtimeIoAdapter from '@nestjs-realtime/core')";
}
