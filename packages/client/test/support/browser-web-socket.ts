import WebSocket from 'ws';
import type { WebSocketConstructor, WebSocketLike } from '../../src/index.js';

/**
 * The `ws` package seen through the browser's WebSocket API only: no Node events, so a refused
 * upgrade shows as a socket that never opens (close code 1006), as in a browser.
 */
export function browserLike(onCreate: () => void = () => undefined): WebSocketConstructor {
  return class BrowserWebSocket implements WebSocketLike {
    private readonly socket: WebSocket;

    constructor(url: string, protocols?: string | string[]) {
      onCreate();
      this.socket = new WebSocket(url, protocols);
      // As a browser's: the refusal's status is logged by the browser, never given to the page.
      this.socket.on('error', () => undefined);
    }

    get readyState(): number {
      return this.socket.readyState;
    }

    set onopen(listener: ((event: never) => void) | null) {
      this.socket.onopen = listener as never;
    }

    set onmessage(listener: ((event: never) => void) | null) {
      this.socket.onmessage = listener as never;
    }

    set onclose(listener: ((event: never) => void) | null) {
      this.socket.onclose = listener as never;
    }

    set onerror(listener: ((event: never) => void) | null) {
      this.socket.onerror = listener as never;
    }

    send(data: string): void {
      this.socket.send(data);
    }

    close(code?: number, reason?: string): void {
      this.socket.close(code, reason);
    }
  };
}
