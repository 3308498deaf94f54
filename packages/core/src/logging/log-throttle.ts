/**
 * Lets a line that clients can trigger at will (a refused token, a failed key lookup) reach the
 * log once per interval per kind, carrying how many were held back since, so a flood of refusals
 * costs a few lines instead of one per attempt.
 */
export class LogThrottle {
  private readonly kinds = new Map<string, { loggedAt: number; heldBack: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    /** The clock; tests pass their own. */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Calls `log` unless a line of this kind was logged less than an interval ago; `repeats` says how
   * many of its kind were held back before it (`''` when none). Kinds must be a small fixed set,
   * never client-supplied text.
   */
  run(kind: string, log: (repeats: string) => void): void {
    const now = this.now();
    const last = this.kinds.get(kind);
    if (last && now - last.loggedAt < this.intervalMs) {
      last.heldBack += 1;
      return;
    }
    const heldBack = last?.heldBack ?? 0;
    this.kinds.set(kind, { loggedAt: now, heldBack: 0 });
    log(heldBack > 0 ? ` (${heldBack} more like it were not logged in the last ${Math.round((now - last!.loggedAt) / 1000)} s)` : '');
  }
}
