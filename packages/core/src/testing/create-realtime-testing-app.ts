import type { INestApplication, ModuleMetadata, WebSocketAdapter } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Socket } from 'socket.io-client';
import { RealtimeIoAdapter } from '../adapter/realtime-io.adapter.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { JwtSignOptions } from '@nestjs/jwt';
import { loadSocketParser } from '../adapter/socket-parser.js';
import { connectClient, type ConnectOptions } from './connect-client.js';
import { signToken } from './sign-token.js';

/** `connect()` options: a namespace, a token or a user to sign one for, and any socket.io-client option. */
export interface TestingConnectOptions extends ConnectOptions {
  /** Sent as `handshake.auth.token`. */
  token?: string;
  /** Signs a token for this user (`sub` = `id`, other fields as claims) with the app's auth config. */
  user?: { id: string | number; [claim: string]: unknown };
}

/** Options of `createRealtimeTestingApp()`. */
export interface RealtimeTestingAppOptions {
  /** Changes the testing module before it compiles, e.g. `(b) => b.overrideProvider(X).useValue(y)`. */
  overrides?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /**
   * The WebSocket adapter to install, e.g. `(app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) })`.
   * @default (app) => new RealtimeIoAdapter(app)
   */
  adapter?: (app: INestApplication) => WebSocketAdapter;
  /** Runs on the app before `listen()`, e.g. to add global pipes. The adapter is already installed. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/** A booted app listening on a free port, with a client factory whose sockets close at `close()`. */
export interface RealtimeTestingApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` of the app's HTTP server. */
  url: string;
  /** Connects a `socket.io-client` socket; the module's `path` is used unless given. */
  connect(options?: TestingConnectOptions): Promise<Socket>;
  /** A token the app accepts (see `signToken()`). */
  signToken(claims: Record<string, unknown>, options?: JwtSignOptions): string;
  /** Disconnects every client it made, then closes the app. */
  close(): Promise<void>;
}

/**
 * Boots a Nest app from `metadata` with `RealtimeIoAdapter` installed, listening on port 0.
 * `metadata.imports` must contain `RealtimeModule.forRoot()` or `forRootAsync()`.
 */
export async function createRealtimeTestingApp(
  metadata: ModuleMetadata,
  options: RealtimeTestingAppOptions = {},
): Promise<RealtimeTestingApp> {
  const builder = Test.createTestingModule(metadata);
  const moduleRef = await (options.overrides ? options.overrides(builder) : builder).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useWebSocketAdapter(options.adapter ? options.adapter(app) : new RealtimeIoAdapter(app));
  await options.configure?.(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const { path, parser } = app.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS, { strict: false });
  // The client must speak the server's parser.
  const clientParser = loadSocketParser(parser);
  const clients = new Set<Socket>();

  return {
    app,
    url,
    async connect({ token, user, ...connectOptions } = {}) {
      const { id, ...claims } = user ?? { id: undefined };
      const bearer = token ?? (user ? signToken(app, { ...claims, sub: String(id) }) : undefined);
      const socket = await connectClient(url, {
        path,
        ...(clientParser ? { parser: clientParser } : {}),
        ...connectOptions,
        ...(bearer ? { auth: { ...(connectOptions.auth as object | undefined), token: bearer } } : {}),
      });
      clients.add(socket);
      return socket;
    },
    signToken: (claims, signOptions) => signToken(app, claims, signOptions),
    async close() {
      for (const socket of clients) socket.close();
      clients.clear();
      await app.close();
    },
  };
}
