import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';

/**
 * What `RealtimeIoAdapter` needs of the native WebSocket adapter it serves `transport: 'ws'`
 * gateways with: `RealtimeWsAdapter` from `@nestjs-realtime/core/ws`. Typed here so the main
 * entry does not depend on `@nestjs/platform-ws`.
 */
export interface NativeWsGatewayAdapter {
  create(port: number, options?: Record<string, unknown>): unknown;
  bindClientConnect(server: unknown, callback: (...args: unknown[]) => unknown): void;
  bindClientDisconnect(client: unknown, callback: (...args: unknown[]) => unknown): void;
  bindMessageHandlers(client: unknown, handlers: MessageMappingProperties[], transform: (result: unknown) => Observable<unknown>): void;
  close(server: unknown): Promise<void>;
  dispose(): Promise<void>;
  /** Leaves upgrade requests on other paths to the Socket.IO servers on the same HTTP server. */
  shareHttpServer(): void;
}
