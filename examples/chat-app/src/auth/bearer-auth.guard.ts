import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { bearerTokenOf } from './bearer-token.js';

/** HTTP side of the demo auth: a valid `Authorization: Bearer <token>` from /auth/login. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Bearer token required');
    try {
      request.user = this.jwt.verify(token);
      return true;
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
  }
}
