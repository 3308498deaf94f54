/**
 * Type tests, checked by `pnpm typecheck`: each `@ts-expect-error` must stay an error, or the
 * build fails; the rest must compile.
 */
import { MessageBody, WebSocketGateway } from '@nestjs/websockets';
import { of } from 'rxjs';
import { expectTypeOf } from 'vitest';
import { ContractMessage, contractTarget, type ContractGateway, type RealtimeTarget } from '../../src/index.js';

interface ChatContract {
  requests: {
    message: { payload: { text: string }; result: { status: 'ok'; at: string } };
    typing: { payload: undefined; result: void };
    'room:history': { payload: { room: string }; result: string[] };
  };
  events: {
    message: { from: string; text: string };
  };
}

const Handles = ContractMessage<ChatContract>();

@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway implements ContractGateway<ChatContract> {
  @Handles('message')
  message(@MessageBody() body: { text: string }) {
    return { status: 'ok' as const, at: body.text };
  }

  @Handles('typing')
  typing(): void {}

  // A stream of results is a result too.
  @Handles('room:history')
  'room:history'(@MessageBody() { room }: { room: string }) {
    return of([room]);
  }
}

// A missing handler.
// @ts-expect-error typing and room:history are not implemented
export class IncompleteGateway implements ContractGateway<ChatContract> {
  message(body: { text: string }) {
    return { status: 'ok' as const, at: body.text };
  }
}

export class WrongTypes {
  // @ts-expect-error the payload is { text: string }, not a number
  @Handles('message')
  message(@MessageBody() body: number) {
    return { status: 'ok' as const, at: String(body) };
  }

  // @ts-expect-error the result must be string[]
  @Handles('room:history')
  history() {
    return 'not a list';
  }
}

export class Misspelled {
  // @ts-expect-error "mesage" is not a request of the contract
  @Handles('mesage')
  mesage(@MessageBody() body: { text: string }) {
    return { status: 'ok' as const, at: body.text };
  }
}

declare const room: RealtimeTarget;
const chatRoom = contractTarget<ChatContract>(room);
chatRoom.emit('message', { from: 'ada', text: 'hi' });
// @ts-expect-error the payload lacks text
chatRoom.emit('message', { from: 'ada' });
// @ts-expect-error no such event
chatRoom.emit('mesage', { from: 'ada', text: 'hi' });
expectTypeOf(chatRoom.emit).parameter(0).toEqualTypeOf<'message'>();
