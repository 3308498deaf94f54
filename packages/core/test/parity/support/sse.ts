import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { interval, map, type Observable } from 'rxjs';

/** Ported from nestjs/nest integration/nest-application/sse/src/app.controller.ts: a message a second, forever. */
@Controller()
export class LongConnectionController {
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return interval(1000).pipe(map(() => ({ data: { hello: 'world' } }) as MessageEvent));
  }
}

/** A Server-Sent Events client (Node 20 has no global `EventSource`): counts the messages it gets. */
export class SseClient {
  private readonly request: ClientRequest;
  private waiting: (() => void)[] = [];

  private constructor(url: string, onError: (error: Error) => void) {
    this.request = get(url, (response: IncomingMessage) => {
      response.on('data', (chunk: Buffer) => {
        if (!chunk.toString().includes('data:')) return;
        const waiting = this.waiting;
        this.waiting = [];
        for (const resolve of waiting) resolve();
      });
    });
    this.request.on('error', onError);
  }

  /** Opens the stream and resolves on its first message (upstream: `eventSource.onmessage`). */
  static async open(url: string): Promise<SseClient> {
    let fail: (error: Error) => void = () => undefined;
    const client = new SseClient(url, (error) => fail(error));
    await new Promise<void>((resolve, reject) => {
      fail = reject;
      client.waiting.push(resolve);
    });
    return client;
  }

  /** Resolves on the next message. */
  nextMessage(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.request.destroy();
  }
}
