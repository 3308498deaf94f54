import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RealtimeModule } from '@nestjs-realtime/core';
import { ChatGateway } from './chat/chat.gateway.js';
import { realtimeOptionsFromEnv } from './realtime.config.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    RealtimeModule.forRootAsync({
      inject: [ConfigService],
      useFactory: realtimeOptionsFromEnv,
    }),
  ],
  providers: [ChatGateway],
})
export class AppModule {}
