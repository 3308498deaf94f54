/**
 * The `/chat` namespace's contract: what clients send (`requests`: payload, and what the ack
 * carries) and what the server emits (`events`). `ChatGateway` implements it, so a handler that
 * drifts from it fails the typecheck; the browser UI (`client/main.ts`) is typed by it through
 * `RealtimeClient<ChatContract>`. It imports nothing, so both sides can share it.
 */
export interface ChatContract {
  requests: {
    /** Joins a room (with this connection's metadata, e.g. `{ device }`); answers with who is in it. */
    joinRoom: { payload: { room: string; meta?: Record<string, unknown> }; result: { status: 'ok'; room: string; users: ChatPresenceUser[] } };
    leaveRoom: { payload: { room: string }; result: { status: 'ok'; room: string } };
    /** Text to a room this connection is in (1 to 2000 characters); the room gets `msgToRoom`. */
    msgToRoom: { payload: { room: string; message: string }; result: { status: 'ok'; at: string } };
    /** Who is in a room this connection is in. */
    roomPresence: { payload: { room: string }; result: { status: 'ok'; room: string; users: ChatPresenceUser[] } };
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

/** A user in a room: one entry per user, one meta per connection (tab, device) with what it joined with. */
export interface ChatPresenceUser {
  userId: string;
  metas: { connectionId: string; joinedAt: number; [field: string]: unknown }[];
}
