import type { ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA, GATEWAY_OPTIONS } from '@nestjs/websockets/constants.js';
import { messageHandlers } from '../gateways/message-handlers.js';
import type { RateLimitBudget } from '../options/rate-limit-options.interface.js';
import { RATE_LIMIT_METADATA } from './rate-limit.decorator.js';
import { namespaceName } from '../protocol/index.js';

/** `@RateLimit()` budgets by namespace (or native gateway path), then event. */
export type EventRateLimits = Map<string, Map<string, RateLimitBudget | false>>;

/**
 * Reads every gateway's `@RateLimit()` handlers once, at startup: the dispatcher only receives
 * bound callbacks, which have lost their metadata. Gateways with a RegExp namespace are skipped
 * (the module's `rateLimit` applies there).
 */
export function collectEventRateLimits(modules: ModulesContainer): EventRateLimits {
  const limits: EventRateLimits = new Map();
  for (const module of modules.values()) {
    for (const { metatype } of module.providers.values()) {
      if (typeof metatype !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, metatype)) continue;
      const options = (Reflect.getMetadata(GATEWAY_OPTIONS, metatype) ?? {}) as { namespace?: unknown; path?: unknown; transport?: unknown };
      const scope = gatewayScope(options);
      if (scope === undefined) continue;
      for (const [event, budget] of handlerBudgets(metatype)) {
        if (!limits.has(scope)) limits.set(scope, new Map());
        limits.get(scope)!.set(event, budget);
      }
    }
  }
  return limits;
}

/** The namespace of a Socket.IO gateway, or the path of a native one. */
function gatewayScope(options: { namespace?: unknown; path?: unknown; transport?: unknown }): string | undefined {
  if (options.transport === 'ws') return typeof options.path === 'string' ? options.path : undefined;
  if (options.namespace === undefined) return '/';
  return typeof options.namespace === 'string' ? namespaceName(options.namespace) : undefined;
}

/** `[event, budget]` of every `@RateLimit()` handler, inherited ones included. */
function* handlerBudgets(gateway: Function): Generator<[string, RateLimitBudget | false]> {
  for (const { event, method } of messageHandlers(gateway)) {
    const budget = Reflect.getMetadata(RATE_LIMIT_METADATA, method) as RateLimitBudget | false | undefined;
    if (budget !== undefined) yield [event, budget];
  }
}
