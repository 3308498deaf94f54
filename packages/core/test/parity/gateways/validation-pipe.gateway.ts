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

class ValidatedHandlers {
  @SubscribeMessage('push')
  onPush(@MessageBody() data: TestModel) {
    return { event: 'push', data };
  }
}

export function validationPipeGateway(port: number) {
  @WebSocketGateway(port)
  @UsePipes(new ValidationPipe())
  @UseFilters(new AllExceptionsFilter())
  class ValidationPipeGateway extends ValidatedHandlers {}
  return ValidationPipeGateway;
}

/** The same gateway at a path on the app's HTTP server (not upstream: see gateway-validation-pipe.spec.ts). */
export function validationPipeGatewayAt(path: string) {
  @WebSocketGateway({ path })
  @UsePipes(new ValidationPipe())
  @UseFilters(new AllExceptionsFilter())
  class ValidationPipeGateway extends ValidatedHandlers {}
  return ValidationPipeGateway;
}
