import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { RealtimeModule } from '@nestjs-realtime/core';
import { DemoLoginController } from './auth/demo-login.controller.js';
import { HealthController } from './health/health.controller.js';
import { jwtSecretFrom } from './auth/jwt-secret.js';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { ChatGateway } from './chat/chat.gateway.js';
import { DeviceGateway } from './devices/device.gateway.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { NotificationsGateway } from './notifications/notifications.gateway.js';
import { realtimeOptionsFromEnv } from './realtime.config.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    // One JwtService signs the demo tokens and verifies them at the WebSocket handshake.
    JwtModule.registerAsync({
      global: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secret: jwtSecretFrom(config) }),
    }),
    TerminusModule.forRoot({ logger: false }),
    RealtimeModule.forRootAsync({
      inject: [ConfigService, JwtService],
      useFactory: realtimeOptionsFromEnv,
    }),
  ],
  controllers: [DemoLoginController, NotificationsController, HealthController],
  providers: [ChatGateway, NotificationsGateway, DeviceGateway, BearerAuthGuard],
})
export class AppModule {}
