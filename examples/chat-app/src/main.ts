import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { metricsEnabled } from './telemetry/metrics-setting.js';
import { registerPrometheusMetrics } from './telemetry/prometheus-metrics.js';
import { createWebSocketAdapter } from './websocket-adapter.js';

async function bootstrap() {
  // Before NestFactory.create(): RealtimeModule looks for the OpenTelemetry SDK when it starts.
  const serveMetrics = metricsEnabled(process.env.OTEL_METRICS) ? registerPrometheusMetrics() : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  // Express announces itself (and so which vulnerabilities to try) in every response unless told not to.
  app.disable('x-powered-by');
  // For Prometheus to scrape. It tells anyone who can reach it how busy the app is and what fails:
  // in production, let only Prometheus reach it (a reverse proxy rule, a network policy).
  if (serveMetrics) app.getHttpAdapter().get('/metrics', serveMetrics);
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
