import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Socket } from 'socket.io';
import { AuthFailure } from './auth-failure.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { authStateOf, userOf } from '../connection/identity.js';

/**
 * Per-message authentication for gateways. The signature was verified once, at the handshake;
 * this checks that the socket has a user and that its token has not expired since, without
 * verifying the JWT again on every message. `@Public()` handlers and gateways are let through.
 *
 * Use it with `@UseGuards(WsJwtGuard)` on a gateway or handler, or globally (`APP_GUARD`):
 * it lets HTTP and RPC requests through untouched.
 *
 * @throws AuthFailure (`UNAUTHENTICATED`) with `details.reason` `missing_token` or `expired_token`.
 */
@Injectable()
export class WsJwtGuard implements CanActivate {
  // Decorator metadata does not change after boot, and this runs on every message: read it once
  // per gateway class and handler (an inherited handler may be public on one subclass only).
  private readonly publicHandlers = new WeakMap<Function, WeakMap<Function, boolean>>();

  constructor(private readonly reflector: Reflector) {}

  private isPublic(handler: Function, gateway: Function): boolean {
    let handlers = this.publicHandlers.get(gateway);
    if (!handlers) this.publicHandlers.set(gateway, (handlers = new WeakMap()));
    let isPublic = handlers.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, gateway]) === true;
      handlers.set(handler, isPublic);
    }
    return isPublic;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'ws') return true;
    if (this.isPublic(context.getHandler(), context.getClass())) return true;

    const socket = context.switchToWs().getClient<Socket>();
    if (!userOf(socket)) {
      throw new AuthFailure('missing_token', 'Authentication required');
    }
    const expiresAt = authStateOf(socket)?.expiresAt;
    if (expiresAt && Date.now() >= expiresAt) {
      throw new AuthFailure('expired_token', 'Token expired: send auth:refresh with a new token');
    }
    return true;
  }
}
