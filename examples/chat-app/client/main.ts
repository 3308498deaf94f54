/**
 * The example's browser UI: sign-in, rooms with live presence (a user's devices counted), chat,
 * notifications and the connection's status. @nestjs-realtime/client speaks the protocol (tokens
 * and their refresh, rooms joined again after a reconnect, presence, errors, draining servers),
 * typed by the namespaces' contracts, which the gateways implement too. `pnpm build` bundles this
 * file with the client and socket.io-client into dist/public/app.js.
 */
import { RealtimeClient, RealtimeError, type ConnectionStatus, type PresenceUser, type RealtimeRoom, type RoomMessage, type TokenProvider } from '@nestjs-realtime/client';
import type { ChatContract } from '../src/chat/chat.contract.js';
import type { NotificationsContract } from '../src/notifications/notifications.contract.js';

/** What `POST /auth/login` answers. */
interface Login {
  token: string;
  expiresAt: number;
  userId: string;
}

/** A room this tab asked for, and what the page shows of it. */
interface ShownRoom {
  /**
   * Messages are typed `unknown` on purpose: the server only relays text, but one sender must not
   * be able to break every member's tab (say, through an older instance that does not check).
   */
  room: RealtimeRoom<unknown>;
  /** Until the first join is answered, the users presence reports were there already: no arrivals. */
  joined: boolean;
  log: { who: unknown; message: unknown }[];
  activity: { userId: string; text: string }[];
}

interface Session {
  name: string;
  userId: string;
  chat: RealtimeClient<ChatContract>;
  notifications: RealtimeClient<NotificationsContract>;
  /** The latest token, for HTTP calls. */
  token(): string;
}

const $ = <E extends HTMLElement = HTMLElement>(selector: string): E => document.querySelector<E>(selector)!;
const field = (selector: string) => $<HTMLInputElement>(selector);
/** This tab in presence: one user signed in on two tabs has two devices. */
const device = `tab-${Math.random().toString(36).slice(2, 6)}`;
/** A token this close to its end is not offered to a (re)connect. */
const EXPIRY_MARGIN_MS = 5_000;

const rooms = new Map<string, ShownRoom>();
let active: string | null = null;
let session: Session | undefined;

function setStatus(text: string, kind: 'online' | 'reconnecting' | 'refreshed' | 'offline'): void {
  const status = $('#status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

/** Shows a refusal (`CODE: message`), or clears the line when there is none. */
function showError(error?: unknown): void {
  $('#error').textContent = error === undefined ? '' : error instanceof RealtimeError ? `${error.code}: ${error.message}` : asText((error as Error)?.message ?? error);
}

async function login(name: string): Promise<Login> {
  const response = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(((await response.json()) as { message?: string }).message || 'sign-in failed');
  return (await response.json()) as Login;
}

function connect(name: string, first: Login): Session {
  let current = first;
  let signingIn: Promise<Login> | undefined;
  // Both connections ask at once (connect, auth:expiring): they share one sign-in.
  const signInAgain = () => (signingIn ??= login(name).finally(() => (signingIn = undefined)));
  /**
   * The token provider of one client. A client that asks while connected was just told
   * `auth:expiring`: it gets a new token and refreshes its live connection with it, no reconnect.
   * A (re)connect gets the current token while it lasts, a new one once it has expired.
   */
  const tokenFor =
    (client: () => Pick<RealtimeClient, 'status' | 'lastError'>): TokenProvider =>
    async () => {
      const refreshing = client().status.getSnapshot() === 'connected';
      const expired = client().lastError?.reason === 'expired_token' || current.expiresAt - Date.now() < EXPIRY_MARGIN_MS;
      if (!refreshing && !expired) return current.token;
      current = await signInAgain();
      // The client sends it at once; a refusal comes back through onError (below).
      if (refreshing) setStatus(`token refreshed for ${name}`, 'refreshed');
      return current.token;
    };

  const chat: RealtimeClient<ChatContract> = new RealtimeClient<ChatContract>({ namespace: '/chat', getToken: tokenFor(() => chat) });
  const notifications: RealtimeClient<NotificationsContract> = new RealtimeClient<NotificationsContract>({
    namespace: '/notifications',
    getToken: tokenFor(() => notifications),
  });

  chat.status.subscribe((status) => showStatus(status, chat.lastError, name));
  chat.on('auth:expired', () => setStatus('session expired', 'offline'));
  for (const client of [chat, notifications]) {
    client.onError((error) => {
      if (error.event === 'auth:refresh') setStatus(`token refresh refused (${error.code}: ${error.message})`, 'offline');
      else showError(error);
    });
  }
  notifications.on('notification', ({ from, text, via }) => {
    const item = document.createElement('li');
    item.append(`${asText(from)}: `, messageNode(text));
    item.title = asText(via);
    $('#notifications').prepend(item);
  });
  return { name, userId: first.userId, chat, notifications, token: () => current.token };
}

function showStatus(status: ConnectionStatus, error: RealtimeError | undefined, name: string): void {
  switch (status) {
    case 'connected':
      return setStatus(`connected as ${name}`, 'online');
    case 'connecting':
    case 'reconnecting':
      return setStatus(`${status}…`, 'reconnecting');
    case 'refused':
      return setStatus(error?.code === 'UNAUTHENTICATED' ? `signed out (${error.reason ?? error.message})` : `refused (${error?.message ?? 'no reason'})`, 'offline');
    case 'offline':
      return setStatus(error ? `disconnected (${error.message})` : 'disconnected', 'offline');
  }
}

/** Joins a room, or shows it when this tab is in it already. The client joins it again after every reconnect. */
async function join(chat: RealtimeClient<ChatContract>, name: string): Promise<void> {
  const known = rooms.get(name);
  if (known) {
    if (known.joined) select(name);
    return;
  }
  const room = chat.room<unknown>(name, { device });
  const shown: ShownRoom = { room, joined: false, log: [], activity: [] };
  rooms.set(name, shown);
  room.users.subscribe(() => {
    if (name === active) renderPresence();
  });
  room.onMessage((message) => appendLog(name, senderOf(message), message.message));
  room.onJoin((user) => noteActivity(shown, user, 'joined'));
  room.onLeave((user) => noteActivity(shown, user, 'left'));
  // At first, or when a rejoin after a reconnect is refused: the room is no longer joined.
  room.onRefused((error) => {
    showError(error);
    forget(name);
  });
  try {
    await room.joined;
  } catch {
    return;
  }
  shown.joined = true;
  showError();
  select(name);
}

async function leave(name: string): Promise<void> {
  const shown = rooms.get(name);
  if (!shown) return;
  forget(name);
  try {
    await shown.room.leave();
  } catch (error) {
    showError(error);
  }
}

function forget(name: string): void {
  rooms.delete(name);
  if (active === name) select(joinedRooms()[0] ?? null);
  else renderRooms();
}

/** Other users arriving and leaving, once the room is joined: presence tells each once per user, not per tab or reconnect. */
function noteActivity(shown: ShownRoom, user: PresenceUser, what: 'joined' | 'left'): void {
  if (!shown.joined || user.userId === session?.userId) return;
  shown.activity.push({ userId: user.userId, text: `${asText(user.userId)} ${what}` });
  if (shown.room.name === active) renderActivity();
}

function senderOf(message: RoomMessage<unknown>): unknown {
  const from: unknown = message.from;
  return typeof from === 'object' && from !== null ? (from as { userId?: unknown }).userId : undefined;
}

function appendLog(room: string, who: unknown, message: unknown): void {
  rooms.get(room)?.log.push({ who, message });
  if (room === active) renderLog();
}

// Whatever a message holds, it is shown as text (never as HTML) and never crashes the page.
// String() of `{ "toString": 1 }` throws.
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** A message as a DOM node: strings as they are, anything else marked as data. */
function messageNode(value: unknown): Node {
  if (typeof value === 'string') return document.createTextNode(value);
  const data = document.createElement('code');
  data.className = 'not-text';
  data.textContent = asText(value).slice(0, 200);
  return data;
}

function joinedRooms(): string[] {
  return [...rooms].filter(([, shown]) => shown.joined).map(([name]) => name);
}

function select(room: string | null): void {
  active = room;
  $('#room-title').textContent = room ? `# ${room}` : 'Join a room to chat';
  $('#presence-room').textContent = room || '—';
  field('#message-input').disabled = $<HTMLButtonElement>('#send').disabled = !room;
  renderRooms();
  renderPresence();
  renderActivity();
  renderLog();
}

function renderRooms(): void {
  $('#rooms').replaceChildren(
    ...joinedRooms().map((room) => {
      const item = document.createElement('li');
      item.dataset.room = room;
      item.className = room === active ? 'active' : '';
      item.textContent = `# ${room}`;
      item.onclick = () => select(room);
      const leaveButton = document.createElement('button');
      leaveButton.textContent = 'leave';
      leaveButton.onclick = (event) => {
        event.stopPropagation();
        void leave(room);
      };
      item.append(leaveButton);
      return item;
    }),
  );
}

function renderPresence(): void {
  const users = (active && rooms.get(active)?.room.users.getSnapshot()) || [];
  $('#presence').replaceChildren(
    ...users.map((user) => {
      const item = document.createElement('li');
      item.dataset.user = asText(user.userId);
      const name = document.createElement('span');
      name.className = 'user';
      name.textContent = asText(user.userId);
      const devices = document.createElement('span');
      devices.className = 'devices';
      const count = Array.isArray(user.metas) ? user.metas.length : 0;
      devices.textContent = `· ${count} device${count === 1 ? '' : 's'}`;
      item.append(name, ' ', devices);
      return item;
    }),
  );
}

function renderActivity(): void {
  $('#activity').replaceChildren(
    ...((active && rooms.get(active)?.activity) || []).map(({ userId, text }) => {
      const item = document.createElement('li');
      item.dataset.user = userId;
      item.textContent = text;
      return item;
    }),
  );
}

function renderLog(): void {
  $('#log').replaceChildren(
    ...((active && rooms.get(active)?.log) || []).map(({ who, message }) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'who';
      name.textContent = asText(who);
      item.append(name, messageNode(message));
      return item;
    }),
  );
}

$('#signin-form').onsubmit = async (event) => {
  event.preventDefault();
  const name = field('#name').value.trim();
  let first: Login;
  try {
    first = await login(name);
  } catch (error) {
    return setStatus((error as Error).message, 'offline');
  }
  $('#signin-panel').hidden = true;
  $('#app').hidden = false;
  session = connect(name, first);
};

$('#join-form').onsubmit = (event) => {
  event.preventDefault();
  if (!session) return;
  const room = field('#room-input').value.trim() || 'general';
  field('#room-input').value = '';
  void join(session.chat, room);
};

$('#message-form').onsubmit = async (event) => {
  event.preventDefault();
  const text = field('#message-input').value;
  const shown = active ? rooms.get(active) : undefined;
  if (!text || !shown) return;
  field('#message-input').value = '';
  try {
    await shown.room.send(text);
    showError();
  } catch (error) {
    showError(error);
  }
};

$('#notify-form').onsubmit = async (event) => {
  event.preventDefault();
  if (!session) return;
  const to = field('#notify-user').value.trim();
  const response = await fetch(`/notifications/${encodeURIComponent(to)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token()}` },
    body: JSON.stringify({ text: field('#notify-text').value }),
  });
  field('#notify-text').value = '';
  $('#error').textContent = response.ok ? '' : `notification refused (${response.status})`;
};
