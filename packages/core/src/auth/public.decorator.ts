import { SetMetadata } from '@nestjs/common';

/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'nestjs-realtime:public';

/**
 * Lets a message handler, or every handler of a gateway, run without an authenticated user:
 * `WsJwtGuard` skips it. For clients without a token to connect at all, the namespace must be
 * public too (`@WebSocketGateway({ namespace, public: true })` or `auth.publicNamespaces`).
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
