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
