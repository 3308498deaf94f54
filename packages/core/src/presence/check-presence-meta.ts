import { RealtimeException } from '../errors/realtime.exception.js';
import type { PresenceMetaInput } from './presence.interfaces.js';

/** Presence metadata is shown to everyone in the room: a few small fields, not a document. */
export const MAX_PRESENCE_META_BYTES = 2048;
export const MAX_PRESENCE_META_DEPTH = 8;

/**
 * Refuses metadata one client could use against a room's other members (too deep or too big
 * for every `presence:*` event to carry), before anything is stored.
 * @throws RealtimeException `BAD_REQUEST`
 */
export function checkPresenceMeta(meta: PresenceMetaInput): PresenceMetaInput {
  // Iterative: the depth check itself must not overflow the stack.
  const pending: [unknown, number][] = [[meta, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_PRESENCE_META_DEPTH) {
      throw new RealtimeException('BAD_REQUEST', `meta may nest at most ${MAX_PRESENCE_META_DEPTH} levels`, { field: 'meta' });
    }
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(meta));
  } catch {
    throw new RealtimeException('BAD_REQUEST', 'meta must be JSON-serializable', { field: 'meta' });
  }
  if (size > MAX_PRESENCE_META_BYTES) {
    throw new RealtimeException('BAD_REQUEST', `meta may take at most ${MAX_PRESENCE_META_BYTES} bytes of JSON`, { field: 'meta' });
  }
  return meta;
}
