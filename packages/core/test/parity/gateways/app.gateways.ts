// Ported from nestjs/nest integration/websockets/src/{app,server,namespace,core,example-path,ws-path,ws-path2}.gateway.ts.
// Upstream fixes the ports (8080, 8090) in the decorators; these factories take a free port
// instead, and make a fresh class per app so no test sees metadata another test's app wrote.
import { UseFilters, UseInterceptors, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { throwError } from 'rxjs';
import { vi, type Mock } from 'vitest';
import { RequestFilter } from './request.filter.js';
import { RequestInterceptor } from './request.interceptor.js';

type Client = { pattern?: string };

/** `ApplicationGateway`'s handlers, for a gateway on its own port (upstream) or at a path. */
class ApplicationHandlers {
  @SubscribeMessage('push')
  onPush(@MessageBody() data: unknown) {
    return { event: 'pop', data };
  }

  @UseInterceptors(RequestInterceptor)
  @SubscribeMessage('getClient')
  getPathCalled(client: Client, data: object) {
    return { event: 'popClient', data: { ...data, path: client.pattern } };
  }

  @UseFilters(RequestFilter)
  @SubscribeMessage('getClientWithError')
  getPathCalledWithError() {
    return throwError(() => new WsException('This is an error'));
  }
}

/** `ApplicationGateway`: its own port; push → pop, getClient (interceptor), getClientWithError (filter). */
export function applicationGateway(port: number) {
  @WebSocketGateway(port)
  class ApplicationGateway extends ApplicationHandlers {}
  return ApplicationGateway;
}

/** `ApplicationGateway`'s handlers on the app's HTTP server at `path` (not upstream: see ws-gateway.spec.ts). */
export function applicationGatewayAt(path: string) {
  @WebSocketGateway({ path })
  class ApplicationGateway extends ApplicationHandlers {}
  return ApplicationGateway;
}

/** `ServerGateway`: on the app's HTTP server; push → pop, getClient, a spied onApplicationShutdown. */
export function serverGateway() {
  @WebSocketGateway()
  class ServerGateway implements OnApplicationShutdown {
    @SubscribeMessage('push')
    onPush(_client: unknown, data: unknown) {
      return { event: 'pop', data };
    }

    @UseInterceptors(RequestInterceptor)
    @SubscribeMessage('getClient')
    getPathCalled(client: Client, data: object) {
      return { event: 'popClient', data: { ...data, path: client.pattern } };
    }

    onApplicationShutdown: Mock<() => void> = vi.fn();
  }
  return ServerGateway;
}

/** `NamespaceGateway`: namespace `test` on the given port; push → pop. */
export function namespaceGateway(port: number) {
  @WebSocketGateway(port, { namespace: 'test' })
  class NamespaceGateway {
    @SubscribeMessage('push')
    onPush(_client: unknown, data: unknown) {
      return { event: 'pop', data };
    }
  }
  return NamespaceGateway;
}

/** `CoreGateway`: its own (second) port; push → pop. */
export function coreGateway(port: number) {
  @WebSocketGateway(port)
  class CoreGateway {
    @SubscribeMessage('push')
    onPush(@ConnectedSocket() _client: unknown, @MessageBody() data: unknown) {
      return { event: 'pop', data };
    }
  }
  return CoreGateway;
}

/** `ExamplePathGateway` / `WsPathGateway` / `WsPathGateway2`: on the app's HTTP server at `path`; push → pop. */
export function pathGateway(path: string) {
  @WebSocketGateway({ path })
  class PathGateway {
    @SubscribeMessage('push')
    onPush(_client: unknown, data: unknown) {
      return { event: 'pop', data };
    }
  }
  return PathGateway;
}
