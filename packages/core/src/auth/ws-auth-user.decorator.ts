import { createParamDecorator, type ExecutionContext, type PipeTransform, type Type } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { RealtimeUser } from '../options/auth-options.interface.js';
import { userOf } from '../connection/identity.js';

const authUser = createParamDecorator((field: string | undefined, context: ExecutionContext) => {
  const user = userOf(context.switchToWs().getClient<Socket>());
  return field === undefined ? user : user?.[field];
});

/**
 * Injects the socket's authenticated user (what `auth.validate()` returned at the handshake), or
 * one of its fields. It never reads the message payload or `handshake.auth`, so a client cannot
 * choose its own identity.
 *
 * @example
 * onMessage(@WsAuthUser() user: AppUser, @WsAuthUser<AppUser>('id') userId: string) {}
 */
export function WsAuthUser<U extends RealtimeUser = RealtimeUser>(
  field?: keyof U & string,
  ...pipes: (Type<PipeTransform> | PipeTransform)[]
): ParameterDecorator {
  return authUser(field, ...pipes);
}
