// Ported from nestjs/nest integration/websockets/src/validation-pipe.gateway.ts (port taken as a parameter).
import { Catch, UseFilters, UsePipes, ValidationPipe } from '@nestjs/common';
import { BaseWsExceptionFilter, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { IsString } from 'class-validator';

class TestModel {
  @IsString()
  stringProp!: string;
}

/** Catches everything and throws it again: the failure escapes every filter. */
@Catch()
export class AllExceptionsFilter extends BaseWsExceptionFilter {
  override catch(exception: unknown): void {
    throw exception;
  }
}

export function validationPipeGateway(port: number) {
  @WebSocketGateway(port)
  @UsePipes(new ValidationPipe())
  @UseFilters(new AllExceptionsFilter())
  class ValidationPipeGateway {
    @SubscribeMessage('push')
    onPush(@MessageBody() data: TestModel) {
      return { event: 'push', data };
    }
  }
  return ValidationPipeGateway;
}
