import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { RealtimeConfigError, RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';

/** Each wrong option, and the words its boot error must contain: the option, the value, what is allowed. */
const badOptions: [string, unknown, RegExp][] = [
  ['path', 'socket.io', /"path": got "socket\.io"; expected a URL path starting with "\/"/],
  ['path', 42, /"path": got 42; expected a URL path/],
  ['transports', [], /"transports": got \[\]; expected a non-empty array of polling, websocket, webtransport/],
  ['transports', ['websocket', 'carrier-pigeon'], /"transports\[1\]": got "carrier-pigeon"; expected one of "polling", "websocket", "webtransport"/],
  ['transports', 'websocket', /"transports": got "websocket"; expected a non-empty array/],
  ['transports', ['websocket', 'websocket'], /"transports": got \["websocket","websocket"\]; expected each entry at most once/],
  ['maxHttpBufferSize', -1, /"maxHttpBufferSize": got -1; expected a positive integer \(bytes\)/],
  ['maxHttpBufferSize', '1e6', /"maxHttpBufferSize": got "1e6"; expected a positive integer \(bytes\)/],
  ['maxHttpBufferSize', 1.5, /"maxHttpBufferSize": got 1\.5; expected a positive integer/],
  ['pingInterval', 0, /"pingInterval": got 0; expected a positive integer \(milliseconds\)/],
  ['pingTimeout', Number.NaN, /"pingTimeout": got NaN; expected a positive integer \(milliseconds\)/],
  ['connectTimeout', 2 ** 31, /"connectTimeout": got 2147483648; expected at most 2147483647 milliseconds/],
  ['connectionStateRecovery', 'yes', /"connectionStateRecovery": got "yes"; expected true, false or \{ maxDisconnectionDuration\?, skipMiddlewares\? \}/],
  ['connectionStateRecovery', { maxDisconnectionDuration: -5 }, /"connectionStateRecovery\.maxDisconnectionDuration": got -5; expected a positive integer/],
  ['connectionStateRecovery', { skipMiddleware: true }, /"connectionStateRecovery\.skipMiddleware": got a boolean \(not shown\); expected no such option; known options are maxDisconnectionDuration, skipMiddlewares/],
  ['parser', 'json', /"parser": got "json"; expected one of "default", "msgpack"/],
  ['serveClient', 'false', /"serveClient": got "false"; expected true or false/],
  ['allowRequestsWithoutOrigin', 1, /"allowRequestsWithoutOrigin": got 1; expected true or false/],
  ['cors', 'https://app.example.com', /"cors": got "https:\/\/app\.example\.com"; expected an object of CORS options/],
  ['cors', { origin: 42 }, /"cors\.origin": got 42; expected a string, RegExp, boolean, an array of strings and RegExps, or a function/],
  ['cors', { origin: ['https://a.example', null] }, /"cors\.origin": got \["https:\/\/a\.example",null\]/],
  ['auth', 'secret', /"auth": got a string \(not shown\); expected an object with secret, publicKey, jwksUri or jwtService/],
  ['auth', {}, /"auth": got "\(no key\)"; expected exactly one of auth\.secret, auth\.publicKey, auth\.jwksUri, auth\.jwtService/],
  ['auth', { secret: 'x'.repeat(40), jwksUri: 'https://id.example/jwks' }, /"auth": got "secret and jwksUri"; expected exactly one of/],
  ['auth', { secret: 'short' }, /"auth\.secret": got "\(5 bytes\)"; expected at least 32 bytes for HMAC signing/],
  ['auth', { publicKey: 'not a pem' }, /"auth\.publicKey": got "not a pem…"; expected a PEM-encoded public key/],
  ['auth', { jwksUri: 'ftp://id.example/jwks' }, /"auth\.jwksUri": got "ftp:\/\/id\.example\/jwks"; expected an http\(s\) URL/],
  ['auth', { secret: 'x'.repeat(40), algorithms: ['RS256'] }, /"auth\.algorithms\[0\]": got "RS256"; expected one of "HS256", "HS384", "HS512"/],
  ['auth', { secret: 'x'.repeat(40), algorithms: ['none'] }, /"auth\.algorithms\[0\]": got "none"; expected one of "HS256"/],
  ['auth', { secret: 'x'.repeat(40), tokenSources: ['auth', 'url'] }, /"auth\.tokenSources\[1\]": got "url"; expected one of "auth", "header", "cookie", "query"/],
  ['auth', { secret: 'x'.repeat(40), tokenSources: ['cookie'], cookieName: 'my cookie' }, /"auth\.cookieName": got "my cookie"; expected a cookie name/],
  ['auth', { secret: 'x'.repeat(40), cookieName: 'sid' }, /"auth\.cookieName": got "sid"; expected it only with "cookie" in auth\.tokenSources, which is \["auth","header"\] .*tokenSources: \['auth', 'header', 'cookie'\], or remove auth\.cookieName/],
  ['auth', { secret: 'x'.repeat(40), tokenSources: ['header', 'query'], cookieName: 'sid' }, /"auth\.cookieName": got "sid"; expected it only with "cookie" in auth\.tokenSources, which is \["header","query"\]/],
  ['auth', { secret: 'x'.repeat(40), validate: 'yes' }, /"auth\.validate": got "yes"; expected a function/],
  ['auth', { secret: 'x'.repeat(40), issuer: '' }, /"auth\.issuer": got ""; expected a non-empty string or array of strings/],
  ['auth', { secret: 'x'.repeat(40), audience: 7 }, /"auth\.audience": got 7; expected a non-empty string, RegExp, or array of them/],
  ['auth', { secret: 'x'.repeat(40), refreshGraceMs: -1 }, /"auth\.refreshGraceMs": got -1; expected a positive integer \(milliseconds, or 0\)/],
  ['auth', { secret: 'x'.repeat(40), expiringNoticeMs: '60s' }, /"auth\.expiringNoticeMs": got "60s"; expected a positive integer \(milliseconds\)/],
  ['auth', { secret: 'x'.repeat(40), publicNamespaces: 'lobby' }, /"auth\.publicNamespaces": got "lobby"; expected an array of namespace names/],
  ['auth', { secret: 'x'.repeat(40), secrett: 'typo' }, /"auth\.secrett": got a string \(not shown\); expected no such option; known options are secret, publicKey/],
  ['redis', 'redis://localhost', /"redis": got a string \(not shown\); expected an object with url, cluster or client/],
  ['redis', {}, /"redis": got "\(none\)"; expected exactly one of redis\.url, redis\.cluster and redis\.client/],
  ['redis', { url: 'redis://localhost', cluster: { nodes: ['redis://localhost'] } }, /"redis": got "\(several\)"; expected exactly one of redis\.url, redis\.cluster and redis\.client/],
  ['redis', { cluster: ['redis://localhost'] }, /"redis\.cluster": got an array \(not shown\); expected an object \{ nodes: string\[\] \}/],
  ['redis', { cluster: { nodes: [] } }, /"redis\.cluster\.nodes": got an array \(not shown\); expected a non-empty array of redis:\/\/ URLs/],
  ['redis', { cluster: { nodes: ['redis://a:6379', 'http://b:6379'] } }, /"redis\.cluster\.nodes\[1\]": got a string \(not shown\); expected a redis:\/\/ or rediss:\/\/ URL/],
  ['redis', { cluster: { nodes: ['rediss://a:6379'] } }, /"redis\.cluster\.nodes\[0\]": got a string \(not shown\); expected a redis:\/\/ URL \(for TLS, give your own cluster client as redis\.client\)/],
  ['redis', { cluster: { nodes: ['redis://a:6379'], slots: 3 } }, /"redis\.cluster\.slots": got a number \(not shown\); expected no such option; known options are nodes/],
  ['redis', { url: 'http://localhost:6379' }, /"redis\.url": got a string \(not shown\); expected a redis:\/\/ or rediss:\/\/ URL/],
  ['redis', { client: {} }, /"redis\.client": got an object \(not shown\); expected a node-redis \(v5\+\) or ioredis client/],
  ['redis', { url: 'redis://localhost', adapter: 'kafka' }, /"redis\.adapter": got "kafka"; expected one of "pubsub", "sharded", "streams"/],
  ['redis', { url: 'redis://localhost', onUnavailable: 'retry' }, /"redis\.onUnavailable": got "retry"; expected one of "fail", "degrade"/],
  ['redis', { url: 'redis://localhost', connectTimeoutMs: 0 }, /"redis\.connectTimeoutMs": got 0; expected a positive integer/],
  ['redis', { url: 'redis://localhost', keyPrefix: '' }, /"redis\.keyPrefix": got ""; expected a non-empty string/],
  ['presence', 'redis', /"presence": got "redis"; expected an object with store, ttlMs, pageSize, diffWindowMs, countsWindowMs, bigRoomUsers and bigRoomExitUsers/],
  ['presence', { store: 'redis' }, /"presence\.store": got "redis"; expected "memory", or "redis" together with the redis option/],
  ['presence', { store: 'disk' }, /"presence\.store": got "disk"; expected one of "memory", "redis"/],
  ['presence', { ttlMs: -1 }, /"presence\.ttlMs": got -1; expected a positive integer \(milliseconds\)/],
  ['rateLimit', 'fast', /"rateLimit": got "fast"; expected an object \{ points, durationMs \}/],
  ['rateLimit', { points: 5 }, /"rateLimit\.durationMs": got undefined; expected a positive integer \(milliseconds\)/],
  ['rateLimit', { points: 0, durationMs: 1000 }, /"rateLimit\.points": got 0; expected a positive integer \(messages\)/],
  ['rateLimit', { points: 5, durationMs: 1000, disconnectAfter: -1 }, /"rateLimit\.disconnectAfter": got -1; expected a positive integer/],
  ['rateLimit', { points: 5, durationMs: 1000, perUser: { points: 5 } }, /"rateLimit\.perUser\.durationMs": got undefined/],
  ['rateLimit', { points: 5, durationMs: 1000, burst: 9 }, /"rateLimit\.burst": got a number \(not shown\); expected no such option; known options are points, durationMs, disconnectAfter, perUser/],
  ['limits', 5, /"limits": got 5; expected an object/],
  ['limits', { maxConnectionsPerUser: 0 }, /"limits\.maxConnectionsPerUser": got 0; expected a positive integer \(connections\)/],
  ['limits', { overConnectionLimit: 'kick' }, /"limits\.overConnectionLimit": got "kick"; expected one of "refuse-new", "close-oldest"/],
  ['limits', { connectionLimitScope: 'everywhere' }, /"limits\.connectionLimitScope": got "everywhere"; expected one of "instance", "cluster"/],
  ['limits', { connectionLimitScope: 'cluster' }, /"limits\.connectionLimitScope": got "cluster"; expected "instance", or "cluster" together with the redis option/],
  ['limits', { maxRoomsPerSocket: 2.5 }, /"limits\.maxRoomsPerSocket": got 2\.5; expected a positive integer \(rooms\)/],
  ['limits', { handshakesPerIp: { points: 10 } }, /"limits\.handshakesPerIp\.durationMs": got undefined/],
  ['limits', { handshakeLimitScope: 'global' }, /"limits\.handshakeLimitScope": got "global"; expected one of "instance", "cluster"/],
  ['limits', { handshakeLimitScope: 'cluster' }, /"limits\.handshakeLimitScope": got "cluster"; expected "instance", or "cluster" together with the redis option/],
  ['drain', { timeoutMs: -1 }, /"drain\.timeoutMs": got -1; expected a positive integer \(milliseconds\)/],
  ['drain', { batch: 10 }, /"drain\.batch": got a number \(not shown\); expected no such option; known options are timeoutMs, batchSize, reconnectDelayMs/],
  ['userRoomPrefix', 3, /"userRoomPrefix": got 3; expected a non-empty string/],
  ['corsOrigin', 'https://app.example.com', /"corsOrigin": got a string \(not shown\); expected no such option; known options are cors, /],
];

describe('invalid options fail at boot with a message naming option, value and what is allowed', () => {
  it.each(badOptions)('forRoot: %s = %j', async (option, value, message) => {
    const compiling = Test.createTestingModule({
      imports: [RealtimeModule.forRoot({ [option]: value } as RealtimeModuleOptions)],
      providers: [RootEchoGateway],
    }).compile();
    await expect(compiling).rejects.toBeInstanceOf(RealtimeConfigError);
    await expect(compiling).rejects.toThrow(message);
  });

  it.each(badOptions)('forRootAsync from ConfigService: %s = %j', async (option, value, message) => {
    const compiling = Test.createTestingModule({
      imports: [
        RealtimeModule.forRootAsync({
          imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ realtime: { [option]: value } })] })],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<RealtimeModuleOptions>('realtime'),
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(message);
  });

  it.each<[string, RealtimeModuleOptions, RegExp]>([
    [
      'close-oldest',
      { redis: { url: 'redis://127.0.0.1:1' }, limits: { connectionLimitScope: 'cluster', overConnectionLimit: 'close-oldest' } },
      /"limits\.connectionLimitScope": got "cluster"; expected "instance" with limits\.overConnectionLimit "close-oldest" \(cluster-wide, only "refuse-new" is supported\)/,
    ],
    [
      'the memory presence store',
      { redis: { url: 'redis://127.0.0.1:1' }, presence: { store: 'memory' }, limits: { connectionLimitScope: 'cluster' } },
      /"limits\.connectionLimitScope": got "cluster"; expected "instance", or "cluster" with the Redis presence store/,
    ],
  ])("refuses limits.connectionLimitScope 'cluster' with %s", async (_, options, message) => {
    const compiling = Test.createTestingModule({ imports: [RealtimeModule.forRoot(options)], providers: [RootEchoGateway] }).compile();
    await expect(compiling).rejects.toBeInstanceOf(RealtimeConfigError);
    await expect(compiling).rejects.toThrow(message);
  });

  it('exposes the option, value and allowed values on the error', async () => {
    const error = await Test.createTestingModule({ imports: [RealtimeModule.forRoot({ pingInterval: -3 })] })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RealtimeConfigError', option: 'pingInterval', value: -3, expected: 'a positive integer (milliseconds)' });
  });

  it('rejects options that are not an object', async () => {
    await expect(
      Test.createTestingModule({
        imports: [RealtimeModule.forRootAsync({ useFactory: () => 'oops' as unknown as RealtimeModuleOptions })],
      }).compile(),
    ).rejects.toThrow(/"\(options\)": got "oops"; expected an object/);
  });

  it('tells the user to import the module when the adapter finds no options', async () => {
    const app = await NestFactory.create({ module: class NoRealtimeModule {}, providers: [RootEchoGateway] } as never, {
      logger: false,
    });
    app.useWebSocketAdapter(new RealtimeIoAdapter(app));
    await expect(app.init()).rejects.toThrow(/import RealtimeModule\.forRoot\(\) or RealtimeModule\.forRootAsync\(\)/);
    await app.close().catch(() => undefined);
  });
});
