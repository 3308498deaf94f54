// Stands in for "your app" on pages that import it without defining it.
import { Module } from '@nestjs/common';
import { RealtimeModule } from '@nestjs-realtime/core';
import { ChatGateway } from './chat.gateway.js';

@Module({
  imports: [RealtimeModule.forRoot({ auth: { secret: process.env.JWT_SECRET ?? 'dev-secret' } })],
  providers: [ChatGateway],
})
export class AppModule {}
