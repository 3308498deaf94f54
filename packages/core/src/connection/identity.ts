import type { Socket } from 'socket.io';
import type { RealtimeUser } from '../options/auth-options.interface.js';

/** What the handshake (or the last refresh) established, kept in `socket.data.auth`. */
export interface SocketAuthState {
  /** The token's `sub`: a refresh must carry the same one. */
  subject: string | undefined;
  /** When the token expires, in ms since the epoch; `null` when it does not. */
  expiresAt: number | null;
}

/** An authenticated identity, as the token verifier produces it. */
export interface Authenticated extends SocketAuthState {
  user: RealtimeUser;
}

interface AuthSocketData {
  user?: RealtimeUser;
  auth?: SocketAuthState;
}

/** A client of either transport: both carry `data` (`data.user`, `data.auth` once authenticated). */
export type SocketWithData = Pick<Socket, 'data'>;

export function authStateOf(socket: SocketWithData): SocketAuthState | undefined {
  return (socket.data as AuthSocketData | undefined)?.auth;
}

export function userOf<U extends RealtimeUser = RealtimeUser>(socket: SocketWithData): U | undefined {
  return (socket.data as AuthSocketData | undefined)?.user as U | undefined;
}

/** Identity only ever comes from here: a verified token. */
export function setAuthenticated(socket: SocketWithData, { user, subject, expiresAt }: Authenticated): void {
  socket.data = { ...(socket.data ?? {}), user, auth: { subject, expiresAt } };
}

export function clearAuthenticated(socket: SocketWithData): void {
  const { user: _user, auth: _auth, ...rest } = (socket.data ?? {}) as AuthSocketData & Record<string, unknown>;
  socket.data = rest;
}
