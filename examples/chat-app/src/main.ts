import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { createWebSocketAdapter } from './websocket-adapter.js';

async function bootstrap() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  // Express announces itself (and so which vulnerabilities to try) in every response unless told not to.
  app.disable('x-powered-by');
  app.useWebSocketAdapter(createWebSocketAdapter(app));
  // The browser UI at /: its page and styles from public/, its script (client/main.ts with
  // @nestjs-realtime/client and socket.io-client, bundled by `pnpm build`) from dist/public/.
  app.useStaticAssets(join(import.meta.dirname, '..', 'public'));
  app.useStaticAssets(join(import.meta.dirname, 'public'));
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`chat-app listening on http://localhost:${(app.getHttpServer().address() as { port: number }).port}`);
}

void bootstrap();
