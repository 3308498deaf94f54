import { connectionOf } from '../connection/connection-registry.js';
import { RealtimeConnection } from '../connection/realtime-connection.js';
import type { MessageObservation } from './message-observation.js';

// A handful per connection at most, added and removed per message, and none while observability is off.
const inFlight = new WeakMap<RealtimeConnection, MessageObservation[]>();

/**
 * The observed messages a connection is handling, so that code far from the pipeline (the
 * exception filter inside Nest's callbacks, the rate limit) can record a failure on the right one.
 */
export const messagesInFlight = {
  started(connection: RealtimeConnection, observation: MessageObservation): void {
    const observed = inFlight.get(connection);
    if (observed) observed.push(observation);
    else inFlight.set(connection, [observation]);
  },

  ended(connection: RealtimeConnection, observation: MessageObservation): void {
    const observed = inFlight.get(connection);
    const index = observed ? observed.indexOf(observation) : -1;
    if (index >= 0) observed!.splice(index, 1);
  },

  /**
   * The message an answer to `event` belongs to, on `client` (a connection, or the Socket.IO socket
   * or native WebSocket behind one): the one whose ack it is when there is an ack, otherwise the
   * oldest ack-less message of that event not yet answered with an error.
   */
  find(client: object, event: string, ack: unknown): MessageObservation | undefined {
    const connection = client instanceof RealtimeConnection ? client : connectionOf(client);
    const observed = connection && inFlight.get(connection);
    if (!observed?.length) return undefined;
    if (typeof ack === 'function') return observed.find((observation) => observation.ack === ack);
    return observed.find((observation) => observation.ack === undefined && observation.event === event && observation.succeeding);
  },
};
