// Ported from the gateways nestjs/nest declares inside integration/websockets/e2e/scoped-disconnect-context.spec.ts.
// A factory makes fresh classes per app (see rejecting.gateways.ts).
import { Inject, Injectable, Scope } from '@nestjs/common';
import { ContextIdFactory, ModuleRef } from '@nestjs/core';
import { WebSocketGateway } from '@nestjs/websockets';

@Injectable({ scope: Scope.REQUEST })
export class SharedState {}

/** Lets a test hold the slow gateway's handleDisconnect while the fast one finishes. */
@Injectable()
export class DisconnectTracker {
  client: Record<PropertyKey, unknown> | undefined;
  sameState = false;
  startSlow!: () => void;
  finishFast!: () => void;
  finishSlow!: () => void;
  release!: () => void;
  readonly slowStarted = new Promise<void>((resolve) => (this.startSlow = resolve));
  readonly fastFinished = new Promise<void>((resolve) => (this.finishFast = resolve));
  readonly slowFinished = new Promise<void>((resolve) => (this.finishSlow = resolve));
  readonly gate = new Promise<void>((resolve) => (this.release = resolve));
}

type Client = { emit: (event: string, data?: unknown) => unknown } & Record<PropertyKey, unknown>;

export function disconnectContextGateways() {
  @WebSocketGateway()
  class FastGateway {
    constructor(
      @Inject(SharedState) readonly state: SharedState,
      @Inject(DisconnectTracker) readonly tracker: DisconnectTracker,
    ) {}

    handleConnection(client: Client) {
      client.emit('fastReady');
    }

    handleDisconnect() {
      this.tracker.finishFast();
    }
  }

  @WebSocketGateway()
  class SlowGateway {
    constructor(
      @Inject(SharedState) readonly state: SharedState,
      @Inject(DisconnectTracker) readonly tracker: DisconnectTracker,
      @Inject(ModuleRef) readonly moduleRef: ModuleRef,
    ) {}

    handleConnection(client: Client) {
      this.tracker.client = client;
      client.emit('slowReady');
    }

    async handleDisconnect(client: Client) {
      this.tracker.startSlow();
      await this.tracker.gate;
      const resolved = await this.moduleRef.resolve(SharedState, ContextIdFactory.getByRequest(client), { strict: false });
      this.tracker.sameState = resolved === this.state;
      this.tracker.finishSlow();
    }
  }
  return [FastGateway, SlowGateway];
}
