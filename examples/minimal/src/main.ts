import { NestFactory } from '@nestjs/core';
import { RealtimeIoAdapter } from '@nestjs-realtime/core';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  // Every gateway gets the module's options: handshake auth, the error contract, limits.
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  // On SIGTERM (a deploy, Ctrl+C) Nest closes the app: clients get `server:draining`, then are
  // disconnected in batches and reconnect (to another instance, behind a load balancer).
  app.enableShutdownHooks();
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
