import {
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UseGuards,
  UsePipes,
  ValidationPipe,
  type CanActivate,
} from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Min, ValidateNested } from 'class-validator';
import { concat, interval, map, take, throwError, type Observable } from 'rxjs';
import { RealtimeException, RealtimeValidationPipe } from '../../src/index.js';

class DenyAll implements CanActivate {
  canActivate() {
    return false;
  }
}

class Author {
  @IsString()
  @Length(2, 20)
  name!: string;
}

export class PostMessageDto {
  @IsString()
  @Length(1, 50)
  text!: string;

  @IsInt()
  @Min(0)
  priority!: number;

  @ValidateNested()
  @Type(() => Author)
  author!: Author;
}

/** One handler per failure path of the error contract. No filter declared: the adapter applies it. */
@WebSocketGateway({ namespace: 'errors' })
export class ErrorsGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return data;
  }

  @SubscribeMessage('ws-string')
  wsString() {
    throw new WsException('Room is full');
  }

  @SubscribeMessage('ws-object')
  wsObject() {
    throw new WsException({ code: 'ROOM_FULL', message: 'Room is full', details: { capacity: 10 } });
  }

  @SubscribeMessage('realtime')
  realtime() {
    throw new RealtimeException('NOT_FOUND', 'No such room', { room: 'attic' });
  }

  @UsePipes(new ValidationPipe())
  @SubscribeMessage('nest-validation')
  nestValidation(@MessageBody() body: PostMessageDto) {
    return { ok: body.text };
  }

  // The pipe of Nest's WebSocket docs: class-validator's errors in a WsException.
  @UsePipes(new ValidationPipe({ exceptionFactory: (errors) => new WsException(errors) }))
  @SubscribeMessage('nest-ws-validation')
  nestWsValidation(@MessageBody() body: PostMessageDto) {
    return { ok: body.text };
  }

  @UsePipes(new RealtimeValidationPipe())
  @SubscribeMessage('validated')
  validated(@MessageBody() body: PostMessageDto) {
    return { ok: true, isDto: body instanceof PostMessageDto, authorIsClass: body.author instanceof Author, body };
  }

  @SubscribeMessage('forbidden')
  forbidden() {
    throw new ForbiddenException();
  }

  @UseGuards(DenyAll)
  @SubscribeMessage('guard-denied')
  guardDenied() {
    return 'never';
  }

  @SubscribeMessage('unauthorized')
  unauthorized() {
    throw new UnauthorizedException();
  }

  @SubscribeMessage('too-large')
  tooLarge() {
    throw new PayloadTooLargeException('Upload exceeds 1 MB');
  }

  @SubscribeMessage('not-found')
  notFound() {
    throw new NotFoundException('No such message');
  }

  @SubscribeMessage('rate-limited')
  rateLimited() {
    throw new HttpException('Slow down', 429);
  }

  @SubscribeMessage('http-500')
  http500() {
    throw new InternalServerErrorException('db password hunter2 in connection string');
  }

  @SubscribeMessage('crash')
  crash() {
    throw new Error('secret internal detail: /var/lib/app/keys');
  }

  @SubscribeMessage('crash-async')
  async crashAsync() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new TypeError('async secret: cannot read properties of undefined');
  }

  @SubscribeMessage('throw-string')
  throwString() {
    throw 'raw string with a secret token abc123';
  }

  @SubscribeMessage('stream-error')
  streamError(): Observable<{ event: string; data: number }> {
    return concat(
      interval(5).pipe(
        take(2),
        map((n) => ({ event: 'tick', data: n })),
      ),
      throwError(() => new Error('stream secret')),
    );
  }
}

export const INTERNAL = { code: 'INTERNAL', message: 'Internal server error' };

export const validBody = { text: 'hi', priority: 1, author: { name: 'Ann' } };
const invalidBody = { text: '', priority: -1, author: { name: 'A' } };
/** What `invalidBody` gets from a pipe that reports each field (nested names by their last segment). */
const VALIDATION_FAILED = {
  code: 'BAD_REQUEST',
  message: 'Validation failed',
  details: {
    fields: {
      text: ['text must be longer than or equal to 1 characters'],
      priority: ['priority must not be less than 0'],
      'author.name': ['name must be longer than or equal to 2 characters'],
    },
    messages: [
      'text must be longer than or equal to 1 characters',
      'priority must not be less than 0',
      'name must be longer than or equal to 2 characters',
    ],
  },
};

/** [event, payload sent, what the client must get besides status/event/requestId] */
export const ERROR_PATHS: [string, unknown, Record<string, unknown>][] = [
  ['ws-string', undefined, { code: 'BAD_REQUEST', message: 'Room is full' }],
  ['ws-object', undefined, { code: 'ROOM_FULL', message: 'Room is full', details: { capacity: 10 } }],
  ['realtime', undefined, { code: 'NOT_FOUND', message: 'No such room', details: { room: 'attic' } }],
  ['nest-validation', invalidBody, {
    code: 'BAD_REQUEST',
    message: 'Validation failed',
    details: {
      fields: {
        text: ['text must be longer than or equal to 1 characters'],
        priority: ['priority must not be less than 0'],
        'author.name': ['author.name must be longer than or equal to 2 characters'],
      },
      messages: [
        'text must be longer than or equal to 1 characters',
        'priority must not be less than 0',
        'author.name must be longer than or equal to 2 characters',
      ],
    },
  }],
  ['nest-ws-validation', invalidBody, VALIDATION_FAILED],
  ['validated', invalidBody, VALIDATION_FAILED],
  ['validated', { ...validBody, isAdmin: true }, {
    code: 'BAD_REQUEST',
    message: 'Validation failed',
    details: { fields: { isAdmin: ['property isAdmin should not exist'] }, messages: ['property isAdmin should not exist'] },
  }],
  ['forbidden', undefined, { code: 'FORBIDDEN', message: 'Forbidden' }],
  ['guard-denied', undefined, { code: 'FORBIDDEN', message: 'Forbidden' }],
  ['unauthorized', undefined, { code: 'UNAUTHENTICATED', message: 'Unauthorized' }],
  ['too-large', undefined, { code: 'PAYLOAD_TOO_LARGE', message: 'Upload exceeds 1 MB' }],
  ['not-found', undefined, { code: 'NOT_FOUND', message: 'No such message' }],
  ['rate-limited', undefined, { code: 'RATE_LIMITED', message: 'Slow down' }],
  ['http-500', undefined, INTERNAL],
  ['crash', undefined, INTERNAL],
  ['crash-async', undefined, INTERNAL],
  ['throw-string', undefined, INTERNAL],
];
