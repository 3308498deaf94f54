// Ported from nestjs/nest integration/websockets/src/request.interceptor.ts
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';

/** Copies the message's pattern onto the client, where the handler reads it back. */
@Injectable()
export class RequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const client = context.switchToWs().getClient<{ pattern?: string }>();
    client.pattern = context.switchToWs().getPattern();
    return next.handle();
  }
}
