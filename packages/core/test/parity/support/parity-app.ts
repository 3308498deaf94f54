import { createServer } from 'node:net';
import type { INestApplication, NestApplicationOptions, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { ParityAdapter, WsAdapterOptions } from './adapters.js';

/** What a spec's app is made of, as Nest's specs give it to `Test.createTestingModule`. */
export interface ParityAppSpec {
  providers: Provider[];
  controllers?: Type[];
  appOptions?: NestApplicationOptions;
  adapterOptions?: WsAdapterOptions;
  /** Changes the adapter before it is installed (e.g. Nest's `setMessageParser`). */
  configureAdapter?: (adapter: never) => void;
}

/**
 * One spec's app and clients: Nest's `createNestApp()` helper on the adapter of the current row,
 * listening on port 0, with every client and the app closed after each test.
 */
export class ParityApp {
  app!: INestApplication;
  /** `http://127.0.0.1:<port>` of the app's HTTP server. */
  url = '';
  private readonly sockets = new Set<Socket>();
  private readonly natives = new Set<WebSocket>();

  constructor(private readonly adapter: ParityAdapter) {}

  /** Builds the app (adapter installed), without listening: for specs that need `app` first. */
  async create(spec: ParityAppSpec): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: this.adapter.imports,
      providers: spec.providers,
      controllers: spec.controllers ?? [],
    }).compile();
    this.app = moduleRef.createNestApplication({ logger: false, ...spec.appOptions });
    const wsAdapter = this.adapter.create(this.app, spec.adapterOptions);
    spec.configureAdapter?.(wsAdapter as never);
    this.app.useWebSocketAdapter(wsAdapter);
    return this.app;
  }

  /** Builds the app and listens on port 0. */
  async start(spec: ParityAppSpec): Promise<INestApplication> {
    await this.create(spec);
    await this.listen();
    return this.app;
  }

  async listen(): Promise<void> {
    await this.app.listen(0);
    const { port } = this.app.getHttpServer().address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
  }

  /** A socket.io-client socket, closed after the test (no reconnection once the app is gone). */
  io(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
    const socket = io(url, { forceNew: true, reconnection: false, ...options });
    this.sockets.add(socket);
    return socket;
  }

  /** A `ws` client, closed after the test. */
  ws(url: string): WebSocket {
    const client = new WebSocket(url);
    client.on('error', () => undefined); // a refused upgrade is asserted through the test's own listener
    this.natives.add(client);
    return client;
  }

  /** Closes the clients, then the app; a second call (a test that closed it itself) does nothing more. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.disconnect();
    for (const client of this.natives) client.terminate();
    this.sockets.clear();
    this.natives.clear();
    const app = this.app as INestApplication | undefined;
    this.app = undefined as unknown as INestApplication;
    await app?.close();
  }
}

/** A `ParityApp` for the adapter of the current row, closed after each test. */
export function useParityApp(adapter: ParityAdapter): ParityApp {
  const harness = new ParityApp(adapter);
  afterEach(() => harness.close());
  return harness;
}

/** A port nothing listens on, for gateways on their own port (`@WebSocketGateway(8080)` upstream). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `ws://127.0.0.1:<port><path>` */
export const wsUrl = (port: number | string, path = ''): string => `ws://127.0.0.1:${port}${path}`;

/** `http://127.0.0.1:<port><path>` */
export const httpUrl = (port: number, path = ''): string => `http://127.0.0.1:${port}${path}`;
