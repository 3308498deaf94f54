// Ported from nestjs/nest integration/websockets/src/error.gateway.ts and ws-error.gateway.ts.
import { SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { throwError } from 'rxjs';

/** `ErrorGateway` (upstream port 8080) / `WsErrorGateway` (8085): push answers an Observable error. */
export function errorGateway(port: number) {
  @WebSocketGateway(port)
  class ErrorGateway {
    @SubscribeMessage('push')
    onPush() {
      return throwError(() => new WsException('test'));
    }
  }
  return ErrorGateway;
}

/**
 * The same gateway as one class for the whole file, on the app's HTTP server: what a process
 * that boots two apps from the same code has (a test runner, an app and its admin twin).
 */
@WebSocketGateway()
export class SharedErrorGateway {
  @SubscribeMessage('push')
  onPush() {
    return throwError(() => new WsException('test'));
  }
}

/** `SharedErrorGateway` for native WebSocket apps, at a path both native adapters serve the same way. */
@WebSocketGateway({ path: '/errors' })
export class SharedWsErrorGateway {
  @SubscribeMessage('push')
  onPush() {
    return throwError(() => new WsException('test'));
  }
}

/** `WsErrorGateway` at a path on the app's HTTP server (not upstream: see ws-error-gateway.spec.ts). */
export function errorGatewayAt(path: string) {
  @WebSocketGateway({ path })
  class WsErrorGateway {
    @SubscribeMessage('push')
    onPush() {
      return throwError(() => new WsException('test'));
    }
  }
  return WsErrorGateway;
}
