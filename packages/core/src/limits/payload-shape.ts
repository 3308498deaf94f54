import { RealtimeException } from '../errors/realtime.exception.js';
import { PAYLOAD_TOO_DEEP, PAYLOAD_TOO_MANY_NODES } from '../protocol/index.js';

/** How deep and how large a client's message may be, in values rather than bytes. */
export interface PayloadShapeLimits {
  maxPayloadDepth: number;
  maxPayloadNodes: number;
}

/** `limits.maxPayloadDepth` / `limits.maxPayloadNodes` when not set. */
export const DEFAULT_PAYLOAD_SHAPE_LIMITS: PayloadShapeLimits = { maxPayloadDepth: 32, maxPayloadNodes: 10_000 };

/**
 * The contract error for a message nested deeper or holding more values than the limits, else
 * `undefined`. The walk is iterative (a deep payload cannot overflow the stack) and stops at the
 * first value over a limit, so its cost is bounded by `maxPayloadNodes` whatever was sent.
 */
export function checkPayloadShape(payload: unknown, limits: PayloadShapeLimits): RealtimeException | undefined {
  if (!isContainer(payload)) return undefined;
  const { maxPayloadDepth, maxPayloadNodes } = limits;
  const pending: [value: object, depth: number][] = [[payload, 1]];
  let nodes = 1;
  while (pending.length > 0) {
    const [container, depth] = pending.pop()!;
    if (depth > maxPayloadDepth) {
      return new RealtimeException('BAD_REQUEST', `The message nests deeper than ${maxPayloadDepth} levels`, {
        reason: PAYLOAD_TOO_DEEP,
        maxDepth: maxPayloadDepth,
      });
    }
    const children: unknown[] = Array.isArray(container) ? container : Object.values(container);
    nodes += children.length;
    if (nodes > maxPayloadNodes) {
      return new RealtimeException('PAYLOAD_TOO_LARGE', `The message holds more than ${maxPayloadNodes} values`, {
        reason: PAYLOAD_TOO_MANY_NODES,
        maxNodes: maxPayloadNodes,
      });
    }
    for (const child of children) if (isContainer(child)) pending.push([child, depth + 1]);
  }
  return undefined;
}

/** Objects and arrays; binary data is one value, whatever its length. */
function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}
