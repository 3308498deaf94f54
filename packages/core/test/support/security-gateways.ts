import { UsePipes } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { IsArray, IsOptional } from 'class-validator';
import { RealtimeValidationPipe } from '../../src/index.js';

export class ListDto {
  @IsOptional()
  @IsArray()
  items?: unknown[];
}

/** Counts what reached the handlers: a refused message must never get this far. */
export const handled = { validated: 0 };

/** A handler behind `RealtimeValidationPipe`, where class-transformer walks the whole body. */
@WebSocketGateway({ namespace: 'validated' })
export class ValidatedGateway {
  @UsePipes(new RealtimeValidationPipe())
  @SubscribeMessage('save')
  save(@MessageBody() body: ListDto) {
    handled.validated += 1;
    return { saved: body.items?.length ?? 0 };
  }

  @SubscribeMessage('ping')
  ping() {
    return 'pong';
  }
}

/** The same on a native gateway. */
@WebSocketGateway({ transport: 'ws', path: '/validated-ws' })
export class ValidatedNativeGateway {
  @UsePipes(new RealtimeValidationPipe())
  @SubscribeMessage('save')
  save(@MessageBody() body: ListDto) {
    handled.validated += 1;
    return { event: 'saved', data: body.items?.length ?? 0 };
  }
}
