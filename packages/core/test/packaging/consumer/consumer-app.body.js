// Shared body of the packaging consumers; the header that loads the modules differs per kind.
// Plain JavaScript, so decorators are applied by hand, exactly as TypeScript would emit them.

const SECRET = 'packaging-test-secret-long-enough-for-hs256';

class EchoGateway {
  echo(data, userId) {
    return { echoed: data, userId };
  }
}
WebSocketGateway({ namespace: 'pkg' })(EchoGateway);
UseGuards(WsJwtGuard)(EchoGateway);
const echoDescriptor = Object.getOwnPropertyDescriptor(EchoGateway.prototype, 'echo');
SubscribeMessage('echo')(EchoGateway.prototype, 'echo', echoDescriptor);
MessageBody()(EchoGateway.prototype, 'echo', 0);
WsAuthUser('id')(EchoGateway.prototype, 'echo', 1);

// A native WebSocket gateway beside the Socket.IO one (the ./ws subpath, @nestjs/platform-ws).
class NativeGateway {
  whoami(userId) {
    return { event: 'whoami', data: userId };
  }
}
WebSocketGateway({ transport: 'ws', path: '/pkg-ws' })(NativeGateway);
UseGuards(WsJwtGuard)(NativeGateway);
const whoamiDescriptor = Object.getOwnPropertyDescriptor(NativeGateway.prototype, 'whoami');
SubscribeMessage('whoami')(NativeGateway.prototype, 'whoami', whoamiDescriptor);
WsAuthUser('id')(NativeGateway.prototype, 'whoami', 0);

const bothTransports = (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) });

/** The first frame a native client gets after sending `event`, or the status of a refused upgrade. */
function askNative(port, protocols, event) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/pkg-ws`, protocols);
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ event })));
    ws.once('message', (raw) => {
      ws.close();
      resolve(JSON.parse(raw.toString()));
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', reject);
  });
}

class AppModule {}
Module({
  imports: [RealtimeModule.forRoot({ path: '/pkg-io', pingInterval: 12_000, transports: ['websocket'], auth: { secret: SECRET } })],
  providers: [EchoGateway, NativeGateway],
})(AppModule);

function connect(port, auth) {
  const socket = io(`http://127.0.0.1:${port}/pkg`, { path: '/pkg-io', transports: ['websocket'], reconnection: false, auth });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function main() {
  const report = {};
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  app.useWebSocketAdapter(bothTransports(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();

  report.refused = await connect(port, {}).then(
    () => 'connected',
    (err) => err.data,
  );
  const token = new JwtService({ secret: SECRET }).sign({ sub: 'pkg-user' });
  const socket = await connect(port, { token });
  report.echo = await socket.timeout(5000).emitWithAck('echo', 'hello');
  report.pingInterval = socket.io.engine.pingInterval ?? socket.io.engine._pingInterval;
  report.native = await askNative(port, ['bearer', token], 'whoami');
  report.nativeRefused = await askNative(port, [], 'whoami');

  // Bad options must fail at boot with the library's error, in this module system too.
  class BadModule {}
  Module({ imports: [RealtimeModule.forRoot({ path: 'no-slash' })] })(BadModule);
  report.badConfig = await NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false })
    .then(() => 'booted')
    .catch((err) => `${err.name}: ${err.message}`);

  // Every exported injectable that takes constructor arguments must keep its design:paramtypes.
  report.injectables = Object.entries(realtime)
    .filter(([, value]) => typeof value === 'function' && Reflect.getMetadata('__injectable__', value) && value.length > 0)
    .map(([name, value]) => ({ name, paramtypes: (Reflect.getMetadata('design:paramtypes', value) ?? []).map((t) => t?.name) }));

  socket.close();
  await app.close();

  // The ./testing subpath, through the same module system: boot the module and connect as a user.
  const rt = await realtimeTesting.createRealtimeTestingApp({ imports: [AppModule] }, { adapter: bothTransports });
  const testClient = await rt.connect({ namespace: 'pkg', path: '/pkg-io', user: { id: 'kit-user' } });
  report.testingKit = await testClient.timeout(5000).emitWithAck('echo', 'kit');
  await rt.close();

  console.log(`REPORT ${JSON.stringify(report)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
