import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { RealtimeIoAdapter } from '@nestjs-realtime/core';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`chat-app listening on http://localhost:${(app.getHttpServer().address() as { port: number }).port}`);
}

void bootstrap();
