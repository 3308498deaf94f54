/** Command-line options and the two profiles (full, quick). */

export interface Profile {
  name: 'full' | 'quick';
  /** Load runs this long before a target's first measured window (JIT, connection warm-up). */
  warmupMs: number;
  /** …and this long before each later window (the load was paused while other targets ran). */
  rewarmMs: number;
  /** One measured window. */
  measureMs: number;
  /** Windows per number: targets are interleaved (a b c, b c a, c a b…) and each number is the median. */
  rounds: number;
  echo: { clients: number; depth: number };
  /** Payload sizes, each with its own concurrency (big payloads need fewer in flight). */
  payloads: { bytes: number; label: string; clients: number; depth: number }[];
  fanout: { receivers: number; window: number };
  handshake: { concurrency: number };
  memory: { connections: number; concurrency: number };
  presence: { clients: number; rooms: number };
  cluster: { receivers: number; window: number };
  /** The scale-out workload: the cross-instance fan-out (Redis pub/sub) over each of these numbers of instances. */
  scaleOut: { instances: number[]; receivers: number; window: number };
  /**
   * (c) only: one room filled one join after another; server CPU per join measured over the last
   * fifth of the joins (at least `measuredJoins`) before each of `sizes`, and over `emptyJoins` joins into rooms of their
   * own; then `burst` users join a room of `burst` members at once.
   */
  bigRoom: { sizes: number[]; measuredJoins: number; emptyJoins: number; burst: number };
  /** (c) only: paced echo clients, with and without one client flooding at `times` its rate limit. */
  flood: { victims: number; victimRatePerS: number; limitPerS: number; times: number };
}

const FULL: Profile = {
  name: 'full',
  warmupMs: 1000,
  rewarmMs: 300,
  measureMs: 1000,
  rounds: 3,
  echo: { clients: 16, depth: 4 },
  payloads: [
    { bytes: 100, label: '100 B', clients: 16, depth: 4 },
    { bytes: 10 * 1024, label: '10 KiB', clients: 16, depth: 2 },
    { bytes: 512 * 1024, label: '512 KiB', clients: 4, depth: 1 },
  ],
  fanout: { receivers: 200, window: 8 },
  handshake: { concurrency: 8 },
  memory: { connections: 2000, concurrency: 50 },
  presence: { clients: 32, rooms: 8 },
  cluster: { receivers: 200, window: 8 },
  scaleOut: { instances: [2, 3, 4], receivers: 200, window: 8 },
  flood: { victims: 8, victimRatePerS: 50, limitPerS: 100, times: 10 },
  bigRoom: { sizes: [100, 1000, 5000], measuredJoins: 100, emptyJoins: 100, burst: 1000 },
};

const QUICK: Profile = {
  ...FULL,
  name: 'quick',
  warmupMs: 500,
  rewarmMs: 200,
  measureMs: 1000,
  rounds: 1,
  fanout: { receivers: 50, window: 8 },
  memory: { connections: 300, concurrency: 50 },
  cluster: { receivers: 50, window: 8 },
  scaleOut: { instances: [2, 3, 4], receivers: 50, window: 8 },
  bigRoom: { sizes: [100, 1000], measuredJoins: 50, emptyJoins: 50, burst: 1000 },
};

export interface CliOptions {
  profile: Profile;
  /** Workload ids to run, in registry order; undefined = all. */
  only?: string[];
  verbose: boolean;
  /** Profile the server processes (V8 .cpuprofile files). */
  cpuProf: boolean;
  /** Rewrite docs/guide/performance.md (default: only after a full run of every workload). */
  docs: boolean | undefined;
  list: boolean;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [-- options]

  --quick             short windows and smaller N, for development (results not written to the docs)
  --only a,b          run only these workloads (see --list); env BENCH_ONLY=a,b works too
  --rounds n          measured windows per number, targets interleaved (a b c, b c a…); the median is
                      reported (default 3, quick 1)
  --measure-ms n      length of each measured window (default 1000)
  --warmup-ms n       load before a target's first window (default 1000, quick 500)
  --docs / --no-docs  force / skip rewriting docs/guide/performance.md (default: full runs of every workload only)
  --verbose           show every measured window and the output of every child process
  --cpu-prof          write a V8 CPU profile of every server process to bench/results/profiles/
                      (open in Chrome DevTools; numbers of such a run are not comparable)
  --list              list the workloads
`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const args = argv.filter((arg) => arg !== '--');
  const quick = args.includes('--quick') || env.BENCH_QUICK === '1';
  const profile: Profile = structuredClone(quick ? QUICK : FULL);
  const options: CliOptions = { profile, verbose: false, cpuProf: false, docs: undefined, list: false, help: false };
  const onlyFromEnv = env.BENCH_ONLY?.trim();
  if (onlyFromEnv) options.only = splitList(onlyFromEnv);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inlineValue] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inlineValue ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        break;
      case '--only':
        options.only = splitList(value());
        break;
      case '--rounds':
        profile.rounds = positiveInt(flag, value());
        break;
      case '--measure-ms':
        profile.measureMs = positiveInt(flag, value());
        break;
      case '--warmup-ms':
        profile.warmupMs = positiveInt(flag, value());
        break;
      case '--docs':
        options.docs = true;
        break;
      case '--no-docs':
        options.docs = false;
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--cpu-prof':
        options.cpuProf = true;
        break;
      case '--list':
        options.list = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return options;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got "${value}"`);
  return n;
}
