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

class AppModule {}
Module({
  imports: [RealtimeModule.forRoot({ path: '/pkg-io', pingInterval: 12_000, transports: ['websocket'], auth: { secret: SECRET } })],
  providers: [EchoGateway],
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
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
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
  const rt = await realtimeTesting.createRealtimeTestingApp({ imports: [AppModule] });
  const testClient = await rt.connect({ namespace: 'pkg', path: '/pkg-io', user: { id: 'kit-user' } });
  report.testingKit = await testClient.timeout(5000).emitWithAck('echo', 'kit');
  await rt.close();

  console.log(`REPORT ${JSON.stringify(report)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
