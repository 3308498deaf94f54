import { refusalError, type RealtimeError } from './realtime-error.js';

/** A WebSocket upgrade the server answered with an HTTP error, as far as it could be read. */
export interface UpgradeRefusal {
  status: number;
  error: RealtimeError;
  /**
   * Whether trying again cannot help: a 4xx (bad token, origin, too many connections), but not
   * 408 or 429 (too many handshakes: come back later), nor a 5xx (a draining or failing server).
   */
  final: boolean;
}

/** What the `ws` package adds to its WebSocket: Node events, among them a refused upgrade's response. */
interface NodeWebSocket {
  on(event: 'unexpected-response', listener: (request: unknown, response: HttpResponse) => void): unknown;
  close(): void;
}

interface HttpResponse {
  statusCode?: number;
  on(event: 'data', listener: (chunk: unknown) => void): unknown;
  on(event: 'end' | 'error' | 'aborted', listener: () => void): unknown;
}

/**
 * Reads the status and JSON body (`{ code, reason, message }`) of a refused upgrade where the
 * WebSocket lets us: Node's `ws` package emits `unexpected-response`. A browser's WebSocket never
 * shows them (it fails to open, with close code 1006): there `onRefused` is never called, and the
 * client treats the failure as it treats a network one.
 */
export function watchUpgradeRefusal(socket: object, onRefused: (refusal: UpgradeRefusal) => void): void {
  const node = socket as Partial<NodeWebSocket>;
  if (typeof node.on !== 'function') return;
  node.on('unexpected-response', (_request, response) => {
    let body = '';
    let read = false;
    const done = () => {
      if (read) return;
      read = true;
      const status = response.statusCode ?? 0;
      const data = parseJson(body);
      const message = typeof (data as { message?: unknown } | undefined)?.message === 'string' ? (data as { message: string }).message : `Upgrade refused with HTTP ${status}`;
      onRefused({ status, error: refusalError(message, data), final: status >= 400 && status < 500 && status !== 408 && status !== 429 });
      // With a listener for this event, `ws` leaves the handshake open for us: abort it (close 1006 follows).
      node.close?.();
    };
    response.on('data', (chunk) => (body += String(chunk)));
    response.on('end', done);
    response.on('error', done);
    response.on('aborted', done);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
