/**
 * The `/notifications` namespace's contract: no requests, one event. `NotificationsController`
 * emits it through `contractTarget<NotificationsContract>()`, the browser UI listens to it through
 * `RealtimeClient<NotificationsContract>`. It imports nothing, so both sides can share it.
 */
export interface NotificationsContract {
  events: {
    /** Sent to every connection of the user `POST /notifications/:userId` names. */
    notification: { from: string; text: string; at: string; via: string };
  };
}
