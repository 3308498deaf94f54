import { Store, type ConnectionStatus, type ReadableStore } from './connection-status.js';
import { Listeners } from './listeners.js';
import type { RealtimeError } from './realtime-error.js';

/**
 * What both clients show of their connection, whatever the transport: the status store, the
 * last refusal or loss, and the errors that answer no request.
 */
export abstract class ConnectionState {
  protected readonly statusStore: Store<ConnectionStatus>;
  protected error?: RealtimeError;
  private readonly errors = new Listeners<RealtimeError>();

  constructor(initialStatus: ConnectionStatus) {
    this.statusStore = new Store(initialStatus);
  }

  /** The connection's status, for a UI to render (`connecting`, `connected`, `reconnecting`, `offline`, `refused`). */
  get status(): ReadableStore<ConnectionStatus> {
    return this.statusStore;
  }

  /** Why the connection was last refused or lost, when it was. */
  get lastError(): RealtimeError | undefined {
    return this.error;
  }

  /**
   * Errors that answer no request: refusals of messages sent with `emit` (`exception`), a refresh
   * the server refused, a token provider that failed.
   */
  onError(listener: (error: RealtimeError) => void): () => void {
    return this.errors.add(listener);
  }

  /** Closed by the app or refused by the server: nothing is sent until `connect()`. */
  protected isClosed(): boolean {
    const status = this.statusStore.getSnapshot();
    return status === 'offline' || status === 'refused';
  }

  protected readonly report = (error: RealtimeError): void => this.errors.emit(error);
}
