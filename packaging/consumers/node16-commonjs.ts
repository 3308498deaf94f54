// The consumer for `module: node16` in a CommonJS package. TypeScript's node16 models a Node.js
// without require(esm), so an ESM-only package (NestJS 12 and @nestjs-realtime/core) is reachable
// from CommonJS only through import(), and its types through `resolution-mode: import`. The
// client has a CommonJS build and is required as usual. (`module: node20` or `nodenext` model
// require(esm): there the static imports of static-imports.ts compile as they are.)
import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common' with { 'resolution-mode': 'import' };
import type { RealtimeModuleOptions } from '@nestjs-realtime/core' with { 'resolution-mode': 'import' };
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing' with { 'resolution-mode': 'import' };
import { RealtimeClient, RealtimeError, type RealtimeClientOptions } from '@nestjs-realtime/client';
import { RealtimeWsClient, type RealtimeWsClientOptions, type WebSocketConstructor } from '@nestjs-realtime/client/ws';

async function main(): Promise<void> {
  // @nestjs-realtime/core, /ws and /testing
  const { RealtimeIoAdapter, RealtimeModule } = await import('@nestjs-realtime/core');
  const { RealtimeWsAdapter, WS_TOKEN_PROTOCOL } = await import('@nestjs-realtime/core/ws');
  const { signToken } = await import('@nestjs-realtime/core/testing');

  const options: RealtimeModuleOptions = { path: '/realtime', transports: ['websocket'] };
  // @ts-expect-error: `path` is a string
  const invalidOptions: RealtimeModuleOptions = { path: 42 };
  const realtime: DynamicModule = RealtimeModule.forRoot(options);
  const serve = (app: INestApplication): void => {
    app.useWebSocketAdapter(new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }));
  };
  // @ts-expect-error: the subprotocol that carries a token is a string
  const tokenProtocol: number = WS_TOKEN_PROTOCOL;
  const tokenFor = (testing: RealtimeTestingApp): string => {
    // @ts-expect-error: claims are an object
    signToken(testing.app, 'ada');
    return signToken(testing.app, { sub: 'ada' }, { expiresIn: '1m' });
  };

  // @nestjs-realtime/client
  const clientOptions: RealtimeClientOptions = { url: 'http://localhost:3000', autoConnect: false };
  const client = new RealtimeClient(clientOptions);
  // @ts-expect-error: a status is a string
  const status: number = client.status.getSnapshot();

  console.log(
    'REPORT ' +
      JSON.stringify({
        moduleSystem: typeof module === 'object' ? 'commonjs' : 'esm',
        resolved: { client: require.resolve('@nestjs-realtime/client') },
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
        checked: [invalidOptions, tokenProtocol, status, serve, tokenFor].length,
      }),
  );
}

// @nestjs-realtime/client/ws
export function openNative(WebSocket: WebSocketConstructor): RealtimeWsClient {
  const wsOptions: RealtimeWsClientOptions = { url: 'ws://localhost:3000/ws', autoConnect: false, WebSocket };
  return new RealtimeWsClient(wsOptions);
}
export function withoutUrl(): RealtimeWsClient {
  // @ts-expect-error: the native client needs a URL
  return new RealtimeWsClient({ autoConnect: false });
}

void main();
