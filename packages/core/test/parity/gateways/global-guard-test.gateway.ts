// Ported from nestjs/nest integration/websockets/src/global-guard-test.gateway.ts (port taken as a parameter).
import { Injectable, type CanActivate } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

@Injectable()
export class TestGuard implements CanActivate {
  canActivate() {
    return false;
  }
}

export function globalGuardTestGateway(port: number) {
  @WebSocketGateway(port)
  class GlobalGuardTestGateway {
    handledMessage = false;

    @SubscribeMessage('test-msg')
    handleTest() {
      this.handledMessage = true;
    }
  }
  return GlobalGuardTestGateway;
}
