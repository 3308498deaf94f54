import { SubscribeMessage } from '@nestjs/websockets';
import type { ContractMessageDecorator } from './realtime-contract.js';

/** `@SubscribeMessage()` typed by a contract (see `ContractMessageDecorator`); at run time it is the same decorator. */
export function ContractMessage<C>(): ContractMessageDecorator<C> {
  return (event) => SubscribeMessage(event) as never;
}
