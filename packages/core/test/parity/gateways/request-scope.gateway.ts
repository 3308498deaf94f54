// Ported from nestjs/nest integration/websockets/src/request-scope.gateway.ts.
import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { REQUEST_CONTEXT_ID } from '@nestjs/core/router/request/request-constants.js';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

type TrackableSocket = {
  emit: (event: string, data: unknown) => unknown;
  id?: string;
  listeners?(event: string): unknown[];
  eventNames?(): (string | symbol)[];
  listenersAny?(): unknown[];
};

const listenerCount = (client: TrackableSocket, event: string) => client.listeners?.(event).length ?? 0;

export interface DisconnectState {
  stateListeners: number;
  disconnectListeners: number;
  hasRequestContextIdDuringHook: boolean;
  /** Read after the hook settles: the context is only released then. */
  hasRequestContextId: () => boolean;
  /** Not upstream: every event the socket still listens to, and its catch-all listeners. */
  eventNames: string[];
  anyListeners: number;
}

/** What the gateway saw of the socket in its `handleDisconnect`. */
@Injectable()
export class SocketLifecycleTracker {
  private latest: DisconnectState | undefined;
  private waiting: ((state: DisconnectState) => void) | undefined;

  reset(): void {
    this.latest = undefined;
  }

  recordDisconnect(client: TrackableSocket): void {
    this.latest = {
      stateListeners: listenerCount(client, 'state'),
      disconnectListeners: listenerCount(client, 'disconnect'),
      hasRequestContextIdDuringHook: REQUEST_CONTEXT_ID in client,
      hasRequestContextId: () => REQUEST_CONTEXT_ID in client,
      eventNames: (client.eventNames?.() ?? []).map(String),
      anyListeners: client.listenersAny?.().length ?? 0,
    };
    this.waiting?.(this.latest);
  }

  /** The state recorded by the next (or the last) `handleDisconnect`. */
  disconnectState(): Promise<DisconnectState> {
    if (this.latest) return Promise.resolve(this.latest);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/** One instance per connection: counts the calls it served and remembers its client. */
@Injectable({ scope: Scope.REQUEST })
export class ConnectionStateService {
  private static nextId = 0;
  private readonly instanceId = ++ConnectionStateService.nextId;
  private sequence = 0;

  constructor(@Inject(REQUEST) private readonly client: { id?: string }) {}

  snapshot(client: { id?: string }, source: 'connection' | 'message') {
    return {
      instanceId: this.instanceId,
      sequence: ++this.sequence,
      source,
      injectedClientId: this.client.id,
      connectedClientId: client.id,
      matchesClient: this.client === client,
    };
  }
}

@WebSocketGateway()
export class RequestScopeGateway {
  constructor(
    @Inject(ConnectionStateService) private readonly connectionState: ConnectionStateService,
    @Inject(SocketLifecycleTracker) private readonly tracker: SocketLifecycleTracker,
  ) {}

  handleConnection(@ConnectedSocket() client: TrackableSocket) {
    client.emit('connectedState', this.connectionState.snapshot(client, 'connection'));
  }

  async handleDisconnect(@ConnectedSocket() client: TrackableSocket) {
    await new Promise((resolve) => setImmediate(resolve));
    this.tracker.recordDisconnect(client);
  }

  @SubscribeMessage('state')
  onState(@ConnectedSocket() client: TrackableSocket) {
    return { event: 'state', data: this.connectionState.snapshot(client, 'message') };
  }
}
