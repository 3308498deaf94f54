import {
  Catch,
  Injectable,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type WsResponse,
} from '@nestjs/websockets';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { Observable, finalize, from, interval, map, of } from 'rxjs';
import type { Socket } from 'socket.io';
import { RealtimeValidationPipe } from '../../src/index.js';

/** Server-side evidence the tests read: what ran, what started, what was torn down. */
export const probe = {
  /** Producer state per socket id. */
  producers: new Map<string, 'running' | 'torn down'>(),
  /** Producer state per socket id as `handleDisconnect` saw it. */
  producerAtDisconnect: new Map<string, 'running' | 'torn down' | undefined>(),
  /** Socket ids whose late stream was subscribed. */
  lateStreamStarted: new Set<string>(),
  /** Lets the test decide when `late-stream` resolves. */
  releaseLateStream: () => {},
  /** Socket ids whose `late-stream` handler has been entered. */
  lateStreamEntered: new Set<string>(),
  /** Runs of the handler that a socket middleware blocks. */
  blockedRuns: 0,
  /** Runs of the second gateway's `shared` handler. */
  sharedBySecond: 0,
};

class AllowWhenAsked implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToWs().getData<{ allow?: boolean }>()?.allow === true;
  }
}

class ShoutPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return `${value.toUpperCase()}!`;
  }
}

@Injectable()
class WrapResult implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((result) => ({ wrapped: result })));
  }
}

@Injectable()
class TimesTen implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler<WsResponse<number>>): Observable<WsResponse<number>> {
    return next.handle().pipe(map(({ event, data }) => ({ event, data: data * 10 })));
  }
}

class TeapotError extends Error {}

/** A gateway's own filter: answers with its own event, not the error contract. */
@Catch(TeapotError)
class TeapotFilter implements ExceptionFilter {
  catch(error: TeapotError, host: ArgumentsHost): void {
    host.switchToWs().getClient<Socket>().emit('teapot', { brewed: error.message });
  }
}

/** An app bug: a filter that throws instead of answering. */
@Catch()
class RethrowFilter implements ExceptionFilter {
  catch(error: unknown): never {
    throw error;
  }
}

export class NoteDto {
  @IsString()
  @Length(1, 20)
  text!: string;

  @IsInt()
  @Min(1)
  votes!: number;
}

/** Handlers declared here and only here: the subclass gateway inherits them. */
export abstract class BaseHandlers {
  @SubscribeMessage('inherited')
  inherited(@MessageBody() data: string): string {
    return `base:${data}`;
  }

  @SubscribeMessage('overridden')
  overridden(): string {
    return 'base';
  }
}

@WebSocketGateway({ namespace: 'dispatch' })
export class DispatchGateway extends BaseHandlers implements OnGatewayConnection, OnGatewayDisconnect {
  handleConnection(socket: Socket): void {
    // A user's socket middleware must still be able to refuse a packet before any handler runs.
    socket.use(([event], next) => (event === 'blocked' ? next(new Error('blocked by middleware')) : next()));
    socket.on('error', () => undefined);
  }

  handleDisconnect(socket: Socket): void {
    probe.producerAtDisconnect.set(socket.id, probe.producers.get(socket.id));
  }

  @SubscribeMessage('overridden')
  override overridden(): string {
    return 'subclass';
  }

  @SubscribeMessage('value')
  value(@MessageBody() data: unknown): unknown {
    return data;
  }

  @SubscribeMessage('promise')
  promise(@MessageBody() data: unknown): Promise<unknown> {
    return Promise.resolve({ resolved: data });
  }

  @SubscribeMessage('async')
  async asyncValue(@MessageBody() data: unknown): Promise<unknown> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { awaited: data };
  }

  @SubscribeMessage('nothing')
  nothing(@MessageBody() kind: 'null' | 'undefined'): null | undefined {
    return kind === 'null' ? null : undefined;
  }

  @SubscribeMessage('as-event')
  asEvent(@MessageBody() data: unknown): WsResponse<unknown> {
    return { event: 'answered', data };
  }

  /** Reports what `data` the handler got, whatever the client sent. */
  @SubscribeMessage('payload')
  payload(@MessageBody() data: unknown): { kind: string; data: unknown } {
    return { kind: data === undefined ? 'undefined' : Array.isArray(data) ? 'array' : typeof data, data: data ?? null };
  }

  @UseGuards(AllowWhenAsked)
  @SubscribeMessage('guarded')
  guarded(@MessageBody() data: { allow?: boolean; text: string }): string {
    return `through:${data.text}`;
  }

  @SubscribeMessage('shout')
  shout(@MessageBody(new ShoutPipe()) text: string): string {
    return text;
  }

  @UsePipes(new RealtimeValidationPipe())
  @SubscribeMessage('note')
  note(@MessageBody() note: NoteDto): { isDto: boolean; note: NoteDto } {
    return { isDto: note instanceof NoteDto, note };
  }

  @UseInterceptors(WrapResult)
  @SubscribeMessage('wrapped')
  wrapped(@MessageBody() data: unknown): Promise<unknown> {
    return Promise.resolve(data);
  }

  @UseInterceptors(TimesTen)
  @SubscribeMessage('stream-times-ten')
  streamTimesTen(@MessageBody() n: number): Observable<WsResponse<number>> {
    return from(Array.from({ length: n }, (_, i) => ({ event: 'scaled', data: i + 1 })));
  }

  @UseFilters(new TeapotFilter())
  @SubscribeMessage('brew')
  brew(@MessageBody() what: string): string {
    throw new TeapotError(`no ${what} here`);
  }

  @UseFilters(new RethrowFilter())
  @SubscribeMessage('fragile')
  async fragile(@MessageBody() data: { fail?: boolean }): Promise<string> {
    if (data.fail) throw new Error('fragile handler exploded');
    return 'fine';
  }

  @UseFilters(new RethrowFilter())
  @SubscribeMessage('fragile-stream')
  fragileStream(): Observable<WsResponse<number>> {
    return of(1, 2).pipe(
      map((n) => {
        if (n === 2) throw new Error('fragile stream exploded');
        return { event: 'fragile-item', data: n };
      }),
    );
  }

  /** Streams `n` items as events, then a plain value that the ack gets. */
  @SubscribeMessage('count')
  count(@MessageBody() n: number): Observable<WsResponse<number> | { done: number }> {
    return from([...Array.from({ length: n }, (_, i) => ({ event: 'counted', data: i + 1 })), { done: n }]);
  }

  /** Only the first plain item can be the ack: Socket.IO acks once. */
  @SubscribeMessage('plain-items')
  plainItems(): Observable<string> {
    return of('first', 'second', 'third');
  }

  /** An endless producer: only the client leaving stops it. */
  @SubscribeMessage('ticker')
  ticker(@ConnectedSocket() socket: Socket): Observable<WsResponse<number>> {
    const id = socket.id;
    probe.producers.set(id, 'running');
    return interval(10).pipe(
      map((i) => ({ event: 'tick', data: i })),
      finalize(() => probe.producers.set(id, 'torn down')),
    );
  }

  /** Resolves to a stream only when the test says so. */
  @SubscribeMessage('late-stream')
  async lateStream(@ConnectedSocket() socket: Socket): Promise<Observable<WsResponse<number>>> {
    const id = socket.id;
    probe.lateStreamEntered.add(id);
    await new Promise<void>((resolve) => (probe.releaseLateStream = resolve));
    return new Observable<WsResponse<number>>((subscriber) => {
      probe.lateStreamStarted.add(id);
      subscriber.next({ event: 'late', data: 1 });
    });
  }

  /** Acks by itself, later, whatever it returns. */
  @SubscribeMessage('manual')
  manual(@MessageBody() data: string, @Ack() ack: (response: unknown) => void): string {
    setTimeout(() => ack({ manual: data }), 20);
    return 'returned value, never the ack';
  }

  @SubscribeMessage('blocked')
  blocked(): string {
    probe.blockedRuns++;
    return 'should never run';
  }

  @SubscribeMessage('shared')
  shared(): WsResponse<string> {
    return { event: 'shared-first', data: 'from the first gateway' };
  }
}

/** A second gateway on the same namespace: Nest runs both gateways' handlers of one event. */
@WebSocketGateway({ namespace: 'dispatch' })
export class SecondDispatchGateway {
  @SubscribeMessage('shared')
  shared(): string {
    probe.sharedBySecond++;
    return 'acked by the second gateway';
  }

  @SubscribeMessage('second-only')
  secondOnly(@MessageBody() data: unknown): unknown {
    return { second: data };
  }
}
