/** A cursor a store cannot read (a client may send any string): the caller answers `BAD_REQUEST`. */
export class InvalidPresenceCursorError extends Error {
  constructor() {
    super('Invalid presence cursor');
    this.name = 'InvalidPresenceCursorError';
  }
}

// A cursor is a decimal position (a sequence number, or an offset): short enough that no client
// string of any length is parsed, and exact as a JavaScript number.
const CURSOR = /^(0|[1-9]\d{0,14})$/;

/**
 * The position a page cursor names: 0 (before the first user) when there is none.
 * @throws InvalidPresenceCursorError for anything but what `presenceCursor()` hands out
 */
export function readPresenceCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!CURSOR.test(cursor)) throw new InvalidPresenceCursorError();
  return Number(cursor);
}

/** The cursor of a position. */
export function presenceCursor(position: number): string {
  return String(position);
}
