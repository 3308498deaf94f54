/**
 * The `/chat` namespace's contract: what clients send (`requests`: payload, and what the ack
 * carries) and what the server emits (`events`). `ChatGateway` implements it, so a handler that
 * drifts from it fails the typecheck; the browser UI (`client/main.ts`) is typed by it through
 * `RealtimeClient<ChatContract>`. It imports nothing, so both sides can share it.
 */
export interface ChatContract {
  requests: {
    /**
     * Joins a room (with this connection's metadata, e.g. `{ device }`); answers with the first page
     * of who is in it and the count. `presenceEvents: true` keeps the lists coming in a big room.
     */
    joinRoom: {
      payload: { room: string; meta?: Record<string, unknown>; presenceEvents?: boolean };
      result: { status: 'ok' } & ChatPresencePage;
    };
    leaveRoom: { payload: { room: string }; result: { status: 'ok'; room: string } };
    /** Text to a room this connection is in (1 to 2000 characters); the room gets `msgToRoom`. */
    msgToRoom: { payload: { room: string; message: string }; result: { status: 'ok'; at: string } };
    /** One page of who is in a room this connection is in: the first, or the one at a page's `next`. */
    roomPresence: { payload: { room: string; cursor?: string }; result: { status: 'ok' } & ChatPresencePage };
    /** Text to everyone in the chat (1 to 500 characters); everyone gets `message`. */
    message: { payload: { text: string }; result: { status: 'ok'; at: string } };
  };
  events: {
    /** A room's message, to every connection in the room. */
    msgToRoom: { room: string; from: { userId: string; connectionId: string }; message: string; at: string };
    /** A lobby message, to every connection in the chat. */
    message: { from: string; name: string; socket: string; text: string; at: string };
  };
}

/** One page of a room's presence: up to `presence.pageSize` users, the count, the mode, and the next page's cursor. */
export interface ChatPresencePage {
  room: string;
  users: ChatPresenceUser[];
  count: { users: number; connections: number };
  /** `counts` in a big room: `users` of a join is then empty. */
  mode: 'full' | 'counts';
  next: string | null;
}

/** A user in a room: one entry per user, one meta per connection (tab, device) with what it joined with. */
export interface ChatPresenceUser {
  userId: string;
  metas: { connectionId: string; joinedAt: number; [field: string]: unknown }[];
}
