import { ConfigService } from '@nestjs/config';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { instrument } from '@socket.io/admin-ui';
import type { Server } from 'socket.io';

/**
 * Socket.IO Admin UI on the app's Socket.IO server, as docs/guide/production.md#socket-io-admin-ui
 * shows it (the module's `auth.publicNamespaces` must list `/admin`).
 */
@WebSocketGateway()
export class AdminUiGateway implements OnGatewayInit {
  constructor(private readonly config: ConfigService) {}

  afterInit(server: Server) {
    const production = this.config.get('NODE_ENV') === 'production';
    // Admin UI hands the password to bcrypt, which rejects anything but a string: an unhandled
    // rejection, which ends the process. This check runs before Admin UI's own.
    server.of('/admin').use((socket, next) => {
      const { username, password } = socket.handshake.auth;
      if (username !== undefined && typeof password !== 'string') return next(new Error('invalid credentials'));
      next();
    });
    instrument(server, {
      auth: {
        type: 'basic',
        username: this.config.getOrThrow<string>('ADMIN_UI_USERNAME'),
        password: this.config.getOrThrow<string>('ADMIN_UI_PASSWORD_HASH'), // a bcrypt hash
      },
      readonly: production,
      mode: production ? 'production' : 'development',
    });
  }
}
