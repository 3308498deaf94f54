import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { RealtimeModule } from '@nestjs-realtime/core';
import { ChatGateway } from './chat.gateway.js';
import { jwtSecret } from './jwt-secret.js';
import { LoginController } from './login.controller.js';

@Module({
  imports: [
    // Async, so the secret is read when the app boots (not when this file is loaded): a missing
    // JWT_SECRET stops the app with a message saying so.
    RealtimeModule.forRootAsync({
      useFactory: () => ({
        // Clients send their token in the Socket.IO handshake (`auth: { token }`) or an
        // `Authorization: Bearer` header; cookies are read only if `tokenSources` lists them.
        auth: { secret: jwtSecret() },
        // 20 messages a second per connection (bursts of 20): without it a client sends as fast as
        // its connection allows, and every room message goes out to each member.
        rateLimit: { points: 20, durationMs: 1000 },
        // New connections per IP address, refused before any token is verified.
        limits: { handshakesPerIp: { points: 30, durationMs: 60_000 } },
      }),
    }),
    // Signs the demo login's tokens with the same secret. A real app signs them in its own login.
    JwtModule.registerAsync({
      useFactory: () => ({ secret: jwtSecret(), signOptions: { expiresIn: '1h' } }),
    }),
  ],
  controllers: [LoginController],
  providers: [ChatGateway],
})
export class AppModule {}
