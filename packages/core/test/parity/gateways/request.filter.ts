// Ported from nestjs/nest integration/websockets/src/request.filter.ts
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';

/** Answers a WsException with `exception { pattern, message }`. */
@Catch(WsException)
export class RequestFilter implements ExceptionFilter {
  catch(exception: WsException, host: ArgumentsHost) {
    const ws = host.switchToWs();
    const client = ws.getClient<{ emit(event: string, data: unknown): void }>();
    client.emit('exception', { pattern: ws.getPattern(), message: exception.message });
  }
}
