import { Catch, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { deliverError } from './deliver-error.js';
import { reportError } from './report-error.js';
import { CONNECTION_EVENT } from '../protocol/index.js';

/**
 * The error contract for gateways: every exception becomes
 * `{ status: 'error', code, message, details?, event, requestId }`, sent to the client's ack when
 * it sent one, otherwise as event `exception`. `INTERNAL` errors never carry their message or
 * stack to the client; the server logs them with the same `requestId`.
 *
 * @example @UseFilters(RealtimeExceptionFilter) on a gateway or handler
 */
@Catch()
export class RealtimeExceptionFilter implements WsExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const socket = ws.getClient<Socket>();
    // Nest calls ws handlers with (client, data, ack?, pattern): the pattern comes last. A
    // connection hook's arguments end with the client or its HTTP request instead.
    const args = host.getArgs();
    const last = args[args.length - 1];
    const event = args.length > 1 && typeof last === 'string' ? last : CONNECTION_EVENT;
    const ack = args.slice(2, -1).find((arg) => typeof arg === 'function');
    deliverError(socket, reportError(exception, event, socket.id), ack);
  }
}
