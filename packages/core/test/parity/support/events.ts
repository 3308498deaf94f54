import type WebSocket from 'ws';

// socket.io-client's and ws's listener types both accept a function of any arguments.
type Listener = (...args: any[]) => void;

interface Emitter {
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/** The first payload of `event`, or a rejection naming it after `timeoutMs` (tests wait for events, not time). */
export function nextEvent<T = unknown>(emitter: Emitter, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Resolves when the `ws` client is open; rejects with the error of a refused or failed upgrade. */
export function opened(client: WebSocket, timeoutMs = 5000): Promise<void> {
  if (client.readyState === client.OPEN) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not open within ${timeoutMs} ms`)), timeoutMs);
    client.once('open', () => (clearTimeout(timer), resolve()));
    client.once('error', (error) => (clearTimeout(timer), reject(error)));
  });
}

/** The next frame a `ws` client receives, parsed as JSON. */
export async function nextFrame<T = { event: string; data: unknown }>(client: WebSocket, timeoutMs = 5000): Promise<T> {
  const raw = await nextEvent<WebSocket.RawData>(client, 'message', timeoutMs);
  return JSON.parse(raw.toString()) as T;
}

/** Sends one `{ event, data }` JSON frame. */
export function sendFrame(client: WebSocket, event: string, data?: unknown): void {
  client.send(JSON.stringify({ event, data }));
}
