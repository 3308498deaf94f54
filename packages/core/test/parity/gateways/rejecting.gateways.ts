// Ported from the gateways nestjs/nest declares inside integration/websockets/e2e/connection-hook-error.spec.ts
// and scoped-connection-hook-error.spec.ts. Factories make a fresh class per app: the error
// contract writes into a gateway class's metadata, which a later row of the same file would see.
import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { WebSocketGateway, WsException } from '@nestjs/websockets';

/** Upstream's gateways have no options; `path` is for the added variants at a path. */
type Options = { path?: string };

export function syncRejectingGateway(options: Options = {}) {
  @WebSocketGateway(options)
  class SyncRejectingGateway {
    handleConnection() {
      throw new WsException('Unauthorized');
    }
  }
  return SyncRejectingGateway;
}

export function asyncRejectingGateway(options: Options = {}) {
  @WebSocketGateway(options)
  class AsyncRejectingGateway {
    async handleConnection() {
      await Promise.resolve();
      throw new WsException('Unauthorized');
    }
  }
  return AsyncRejectingGateway;
}

@Injectable({ scope: Scope.REQUEST })
export class ConnectionState {
  constructor(@Inject(REQUEST) readonly client: object) {}
}

/** Request-scoped (it injects a request-scoped provider); `ConnectionState` must be provided too. */
export function scopedRejectingGateway(options: Options = {}) {
  @WebSocketGateway(options)
  class RejectingGateway {
    constructor(@Inject(ConnectionState) readonly state: ConnectionState) {}

    handleConnection() {
      throw new WsException('Unauthorized');
    }
  }
  return RejectingGateway;
}
