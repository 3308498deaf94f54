import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants.js';

/**
 * Every `@SubscribeMessage()` handler of a gateway class, inherited ones included, read from the
 * metadata the decorators leave. An override shadows its base method, as in Nest's own discovery.
 */
export function* messageHandlers(gateway: Function): Generator<{ event: string; method: Function }> {
  const seen = new Set<string>();
  for (let proto = gateway.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (seen.has(key) || key === 'constructor') continue;
      seen.add(key);
      const method: unknown = Object.getOwnPropertyDescriptor(proto, key)?.value;
      if (typeof method !== 'function' || !Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method)) continue;
      yield { event: String(Reflect.getMetadata(MESSAGE_METADATA, method)), method };
    }
  }
}
