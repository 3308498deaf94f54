import { RealtimeConfigError } from './realtime-config.error.js';
import { checkKnownKeys, isPlainObject } from './option-checks.js';

/** The object a group was given, as the user wrote it: not validated yet, only known to be a plain object. */
export type GivenOptions = Readonly<Record<string, unknown>>;

/** How one option reads in the Configuration page's table. */
export interface OptionDoc {
  /** The Type column, in Markdown. */
  type: string;
  /** The "What it does" column, in Markdown: one or two sentences. */
  text: string;
  /**
   * The Default column, in Markdown, when the default is not a plain value the table can print
   * itself (an object, a function, a default that depends on other options).
   */
  default?: string;
}

interface OptionSpecBase<Out> {
  /**
   * Validates the value (given, or the default) and returns what the resolved options hold.
   * @throws {RealtimeConfigError} naming `option`, the dotted path of this option.
   */
  check(value: unknown, option: string, given: GivenOptions): Out;
  /** Its row in the Configuration page (the user-facing interface keeps the longer JSDoc editors show). */
  doc: OptionDoc;
}

/** An option the user may leave out. */
export interface OptionalOptionSpec<In, Out = unknown> extends OptionSpecBase<Out> {
  /** What leaving it out means, written as the user would write it; it goes through `check` too. */
  default?: In;
  /** A default that depends on the group's other options; `undefined` leaves the option unset. */
  defaultFrom?(given: GivenOptions): In | undefined;
  required?: never;
}

/** An option the user must give: `check` sees `undefined` when it is missing, and says so. */
export interface RequiredOptionSpec<Out = unknown> extends OptionSpecBase<Out> {
  required: true;
  default?: never;
  defaultFrom?: never;
}

/**
 * One spec per key of the user-facing options interface `O`: no key missing, none extra, each
 * default of the interface's type, `required` exactly where the interface has no `?`.
 */
export type OptionSpecs<O> = {
  [K in keyof O]-?: object extends Pick<O, K> ? OptionalOptionSpec<Exclude<O[K], undefined>> : RequiredOptionSpec;
};

type CheckedValue<S> = S extends { check(...args: never[]): infer Out } ? Out : never;

/** Whether the option can stay unset once resolved: no default, or a derived default that may be `undefined`. */
type MayStayUnset<S> = S extends { required: true }
  ? false
  : S extends { defaultFrom(given: GivenOptions): infer D }
    ? undefined extends D
      ? true
      : false
    : S extends { default: unknown }
      ? false
      : true;

type Flatten<T> = { [K in keyof T]: T[K] };

/** The options of a group after validation: each default applied; an option without one is absent when unset. */
export type ResolvedOptions<S> = Flatten<
  { [K in keyof S as MayStayUnset<S[K]> extends true ? never : K]: CheckedValue<S[K]> } & {
    [K in keyof S as MayStayUnset<S[K]> extends true ? K : never]?: CheckedValue<S[K]> | undefined;
  }
>;

/** What a group says when it is given something other than an object. */
export interface OptionGroupSettings {
  /** What the group accepts, for the error message, e.g. `'an object with url or client'`. */
  expected: string;
  /** Keep the given value out of that message: it may be a secret put in the wrong place. */
  redact?: boolean;
  /** Checks across options (e.g. "exactly one of url and client"), after unknown keys, before each option. */
  check?(given: GivenOptions): void;
}

/** One option group, declared once: the known keys, each option's default, check and doc line. */
export interface OptionGroup<S> {
  /** Each option's spec, by key: what the docs tables and the `Resolved*` types are derived from. */
  readonly specs: S;
  /** The keys the group accepts, in declaration order; any other key is a boot error. */
  readonly keys: readonly string[];
  /**
   * Validates `value` and applies every default.
   * @param path where the group sits, e.g. `'auth'` (`''` for the module's own options).
   * @throws {RealtimeConfigError} naming the first invalid option.
   */
  resolve(value: unknown, path: string): ResolvedOptions<S>;
}

/**
 * Declares the option group of the user-facing interface `O` (which keeps the JSDoc editors show).
 * Curried so that `O` is given and the specs are inferred: `defineOptionGroup<RealtimeDrainOptions>()({ ... }, settings)`.
 */
export function defineOptionGroup<O>() {
  return <S extends OptionSpecs<O>>(specs: S & Record<Exclude<keyof S, keyof O>, never>, settings: OptionGroupSettings): OptionGroup<S> => {
    const entries = Object.entries(specs as Record<string, OptionalOptionSpec<unknown> | RequiredOptionSpec>);
    const keys = entries.map(([key]) => key);
    return {
      specs,
      keys,
      resolve(value, path) {
        if (!isPlainObject(value)) throw new RealtimeConfigError(path || '(options)', value, settings.expected, settings.redact);
        checkKnownKeys(path, value, keys);
        settings.check?.(value);
        const resolved: Record<string, unknown> = {};
        for (const [key, spec] of entries) {
          const option = path ? `${path}.${key}` : key;
          const checked = resolveOption(spec, value[key], option, value);
          if (checked !== undefined) resolved[key] = checked;
        }
        return resolved as ResolvedOptions<S>;
      },
    };
  };
}

function resolveOption(spec: OptionalOptionSpec<unknown> | RequiredOptionSpec, given: unknown, option: string, group: GivenOptions): unknown {
  let value = given;
  if (value === undefined && !spec.required) {
    value = spec.defaultFrom ? spec.defaultFrom(group) : spec.default;
    if (value === undefined) return undefined;
  }
  return spec.check(value, option, group);
}
