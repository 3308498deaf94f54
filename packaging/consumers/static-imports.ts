// A consumer of every entry point of both packages, written as users write it: static imports.
// The matrix compiles this one file under `module: commonjs` (node10), `node20`, `nodenext` from
// CommonJS and from ESM, and `preserve` + `bundler`. Each `@ts-expect-error` fails the compile if
// an entry point's types resolve to `any` instead of its declarations.
import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '@nestjs-realtime/core';
import { signToken, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeWsAdapter, WS_TOKEN_PROTOCOL } from '@nestjs-realtime/core/ws';
import { RealtimeClient, RealtimeError, type RealtimeClientOptions } from '@nestjs-realtime/client';
import { RealtimeWsClient, type RealtimeWsClientOptions, type WebSocketConstructor } from '@nestjs-realtime/client/ws';

// @nestjs-realtime/core
const options: RealtimeModuleOptions = { path: '/realtime', transports: ['websocket'] };
// @ts-expect-error: `path` is a string
const invalidOptions: RealtimeModuleOptions = { path: 42 };
const realtime: DynamicModule = RealtimeModule.forRoot(options);

// @nestjs-realtime/core/ws
export function serve(app: INestApplication): void {
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }));
}
// @ts-expect-error: the subprotocol that carries a token is a string
const tokenProtocol: number = WS_TOKEN_PROTOCOL;

// @nestjs-realtime/core/testing
export function tokenFor(testing: RealtimeTestingApp): string {
  // @ts-expect-error: claims are an object
  signToken(testing.app, 'ada');
  return signToken(testing.app, { sub: 'ada' }, { expiresIn: '1m' });
}

// @nestjs-realtime/client
const clientOptions: RealtimeClientOptions = { url: 'http://localhost:3000', autoConnect: false };
const client = new RealtimeClient(clientOptions);
// @ts-expect-error: a status is a string
const status: number = client.status.getSnapshot();

// @nestjs-realtime/client/ws
export function openNative(WebSocket: WebSocketConstructor): RealtimeWsClient {
  const wsOptions: RealtimeWsClientOptions = { url: 'ws://localhost:3000/ws', autoConnect: false, WebSocket };
  return new RealtimeWsClient(wsOptions);
}
export function withoutUrl(): RealtimeWsClient {
  // @ts-expect-error: the native client needs a URL
  return new RealtimeWsClient({ autoConnect: false });
}

const commonjs = typeof module === 'object';
console.log(
  'REPORT ' +
    JSON.stringify({
      moduleSystem: commonjs ? 'commonjs' : 'esm',
      // Where require() found each package: core's one ESM file, the client's CommonJS build.
      resolved: commonjs
        ? { core: require.resolve('@nestjs-realtime/core'), client: require.resolve('@nestjs-realtime/client') }
        : undefined,
      RealtimeModule: typeof RealtimeModule,
      forRoot: realtime.module === RealtimeModule,
      RealtimeIoAdapter: typeof RealtimeIoAdapter,
      RealtimeWsAdapter: typeof RealtimeWsAdapter,
      WS_TOKEN_PROTOCOL,
      signToken: typeof signToken,
      RealtimeClient: typeof RealtimeClient,
      status: client.status.getSnapshot(),
      RealtimeError: new RealtimeError('BAD_REQUEST', 'refused') instanceof Error,
      RealtimeWsClient: typeof RealtimeWsClient,
      checked: [invalidOptions, tokenProtocol, status].length,
    }),
);
