import { it } from 'vitest';
import type { ParityAdapter } from './adapters.js';

/**
 * Expectations of Nest's behaviour our adapters do not meet yet, keyed `"<adapter>: <test title>"`
 * with the reason as value. Each runs as `it.fails`: the suite stays green while the gap is open,
 * and turns red the day the gap closes, so the entry is removed and the test runs as a plain `it`.
 */
export type KnownGaps = Readonly<Record<string, string>>;

/**
 * Upstream expectations that Nest's own adapter does not meet with the installed `@nestjs/*`
 * release either: the upstream spec was written for Nest code not released yet. Keyed and run as
 * `KnownGaps` (`it.fails`), on every row, until the dependency is upgraded.
 */
export type AheadOfInstalledNest = Readonly<Record<string, string>>;

/** A place where our documented contract says our adapters answer differently from Nest's. */
export interface ContractDifference {
  /** Short name shown in the test title. */
  readonly name: string;
  /** The page of our docs that states the difference. */
  readonly doc: string;
}

/** The documented differences the parity suite knows of. */
export const CONTRACT_DIFFERENCES = {
  errorPayload: {
    name: 'error payload',
    doc: 'docs/guide/errors.md: { status, code, message, details?, event, requestId } for every gateway (applyErrorContract)',
  },
  failureLog: {
    name: 'failure log line',
    doc: 'docs/guide/errors.md#where-it-applies: a failure a filter rethrows is logged as one line, Handler of "<event>" failed: <message>, control characters escaped',
  },
  connectionRefused: {
    name: 'handleConnection errors',
    doc: "docs/guide/errors.md#where-it-applies: event 'connection', then the socket is disconnected",
  },
} as const satisfies Record<string, ContractDifference>;

/** `PARITY_SHOW_GAPS=1` runs every listed test as a plain test, to see how each one fails today. */
const SHOW_GAPS = process.env.PARITY_SHOW_GAPS === '1';

type TestBody = () => Promise<void> | void;

/** The `it` of a parity spec: knows the spec's known gaps and names contract differences. */
export interface ParityIt {
  /** A test of Nest's behaviour; `it.fails` while `KNOWN_GAPS` lists it for this adapter. */
  (adapter: ParityAdapter, title: string, body: TestBody): void;
  /**
   * A test whose expectation on our adapter follows our documented contract instead of Nest's
   * behaviour: the body branches on `adapter.ours`, and on our rows the title names the difference.
   */
  contractDifference(adapter: ParityAdapter, difference: ContractDifference, title: string, body: TestBody): void;
  /** Fails when a `KNOWN_GAPS` or `AHEAD_OF_INSTALLED_NEST` entry names no test of the spec (a renamed test, a typo). */
  everyGapNamesATest(): void;
}

/** Builds the spec's `it` from its `KNOWN_GAPS` (and `AHEAD_OF_INSTALLED_NEST`). */
export function parityIt(knownGaps: KnownGaps, aheadOfInstalledNest: AheadOfInstalledNest = {}): ParityIt {
  const seen = new Set<string>();
  const define = (adapter: ParityAdapter, key: string, title: string, body: TestBody) => {
    const gapKey = `${adapter.name}: ${key}`;
    seen.add(gapKey);
    const gap = knownGaps[gapKey];
    const ahead = aheadOfInstalledNest[gapKey];
    if (SHOW_GAPS || (!gap && !ahead)) it(title, body);
    else if (gap) it.fails(`${title} [KNOWN GAP: ${gap}]`, body);
    else it.fails(`${title} [NEEDS A NEST RELEASE AFTER THE INSTALLED ONE: ${ahead}]`, body);
  };
  const parity = ((adapter, title, body) => define(adapter, title, title, body)) as ParityIt;
  parity.contractDifference = (adapter, difference, title, body) =>
    define(adapter, title, adapter.ours ? `${title} [contract difference: ${difference.name} — ${difference.doc}]` : title, body);
  parity.everyGapNamesATest = () =>
    it('every KNOWN_GAPS / AHEAD_OF_INSTALLED_NEST entry names a test of this spec', () => {
      const stale = [...Object.keys(knownGaps), ...Object.keys(aheadOfInstalledNest)].filter((key) => !seen.has(key));
      if (stale.length > 0) throw new Error(`KNOWN_GAPS entries that name no test: ${stale.join('; ')}`);
    });
  return parity;
}
