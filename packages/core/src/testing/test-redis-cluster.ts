import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

/** Options of {@link RedisClusterTestServer.start}. */
export interface RedisClusterTestServerOptions {
  /**
   * How long starting may take: the nodes answering, the cluster being created and every node
   * reporting `cluster_state:ok`, in milliseconds.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * The nodes' `cluster-node-timeout`: how long a master may be unreachable before the others
   * hold it failed and its replica takes over. Lower it to make a failover test quicker.
   * @default 2000
   */
  nodeTimeoutMs?: number;
}

/** A node as `CLUSTER NODES` describes it. */
interface ClusterNode {
  port: number;
  flags: string[];
  /** The ranges of slots it serves (masters only), as `[first, last]`. */
  slots: Array<[number, number]>;
}

/**
 * A throwaway Redis Cluster (from the machine's `redis-server` and `redis-cli`): 6 nodes on free
 * loopback ports, 3 masters and a replica of each, with their `nodes.conf` files in a temporary
 * directory of their own that `stop()` removes. Nothing is persisted.
 *
 * @example
 * const cluster = await RedisClusterTestServer.start();
 * // RealtimeModule.forRoot({ redis: { cluster: { nodes: cluster.urls }, adapter: 'sharded' } }) …
 * await cluster.stop();
 */
export class RedisClusterTestServer {
  private readonly processes: ChildProcess[] = [];

  private constructor(
    /** The nodes' ports: the first three start as masters. */
    readonly ports: readonly number[],
    private readonly dir: string,
    private readonly nodeTimeoutMs: number,
  ) {}

  /** `redis://127.0.0.1:<port>` of every node. */
  get urls(): string[] {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`);
  }

  /** Starts the nodes, creates the cluster and resolves once every node reports `cluster_state:ok` and every replica is in sync. */
  static async start({ timeoutMs = 30_000, nodeTimeoutMs = 2000 }: RedisClusterTestServerOptions = {}): Promise<RedisClusterTestServer> {
    assertInstalled();
    const deadline = Date.now() + timeoutMs;
    const ports = await distinctFreePorts(6);
    const server = new RedisClusterTestServer(ports, mkdtempSync(join(tmpdir(), 'realtime-redis-cluster-')), nodeTimeoutMs);
    try {
      for (const port of ports) server.processes.push(server.spawnNode(port));
      await Promise.all(ports.map((port) => waitFor(() => ask(port, ['PING']).then((reply) => reply.startsWith('+PONG')), deadline, `node ${port} to answer PING`)));
      await createCluster(ports, deadline);
      await Promise.all(ports.map((port) => waitFor(() => clusterOk(port), deadline, `node ${port} to report cluster_state:ok with 3 masters and 3 replicas`)));
      await Promise.all(ports.slice(3).map((port) => waitFor(() => replicaSynced(port), deadline, `replica ${port} to be in sync with its master`)));
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** The ports of the masters serving slots now, as the live nodes see them. */
  async masters(): Promise<number[]> {
    return (await this.nodes()).filter(isServingMaster).map((node) => node.port);
  }

  /** The port of the master serving `key`'s slot now (`CLUSTER KEYSLOT`, then the masters' slot ranges). */
  async nodeFor(key: string): Promise<number> {
    const port = this.livePorts()[0]!;
    const slot = Number(/^:(\d+)/.exec(await ask(port, ['CLUSTER', 'KEYSLOT', key]))?.[1]);
    const owner = (await this.nodes()).find((node) => isServingMaster(node) && node.slots.some(([first, last]) => slot >= first && slot <= last));
    if (!owner || Number.isNaN(slot)) throw new Error(`Redis Cluster: no master serves the slot of ${JSON.stringify(key)}`);
    return owner.port;
  }

  /** SIGKILLs one node, as a crash would: no goodbye to the cluster nor to its clients. */
  async kill(port: number): Promise<void> {
    const child = this.processes[this.ports.indexOf(port)];
    if (!child) throw new Error(`Redis Cluster: no node on port ${port}`);
    await kill(child);
  }

  /**
   * Resolves with the port of the replica promoted in place of the master on `port` (killed
   * before), once every live node reports `cluster_state:ok` and sees the new master serving its
   * slots. Takes about `nodeTimeoutMs` plus an election.
   */
  async waitForFailover(port: number, timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let promoted: number | undefined;
    const done = async () => {
      const views = await Promise.all(this.livePorts().map(async (live) => ({ info: await ask(live, ['CLUSTER', 'INFO']), nodes: parseNodes(await ask(live, ['CLUSTER', 'NODES'])) })));
      if (!views.every(({ info }) => info.includes('cluster_state:ok'))) return false;
      const candidates = views.map(({ nodes }) => {
        const failed = nodes.find((node) => node.port === port);
        const masters = nodes.filter(isServingMaster);
        return failed?.flags.includes('fail') && failed.slots.length === 0 && masters.length === 3 ? masters.find((node) => !this.wasMaster(node.port))?.port : undefined;
      });
      promoted = candidates[0];
      return promoted !== undefined && candidates.every((candidate) => candidate === promoted);
    };
    await waitFor(done, deadline, `a replica to take over from the master on port ${port}`);
    return promoted!;
  }

  /** Kills every node and removes their directory. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.splice(0).map(kill));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The ports of the nodes still running. */
  private livePorts(): number[] {
    return this.ports.filter((_, i) => this.processes[i] && this.processes[i]!.exitCode === null && this.processes[i]!.signalCode === null);
  }

  /** The first three nodes start as masters; a replica that is a master now was promoted. */
  private wasMaster(port: number): boolean {
    return this.ports.indexOf(port) < 3;
  }

  /** The cluster as a live node sees it. */
  private async nodes(): Promise<ClusterNode[]> {
    for (const port of this.livePorts()) {
      const nodes = parseNodes(await ask(port, ['CLUSTER', 'NODES']));
      if (nodes.length > 0) return nodes;
    }
    throw new Error('Redis Cluster: no live node answered CLUSTER NODES');
  }

  private spawnNode(port: number): ChildProcess {
    // Each node needs a config file of its own: the cluster writes its view of itself there.
    return spawn(
      'redis-server',
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-node-timeout', String(this.nodeTimeoutMs),
        '--dir', this.dir,
        '--save', '',
        '--appendonly', 'no',
        // A replica that never synced cannot take over: sync at once rather than after 5 s.
        '--repl-diskless-sync-delay', '0',
      ],
      { stdio: 'ignore' },
    );
  }
}

function assertInstalled(): void {
  for (const binary of ['redis-server', 'redis-cli']) {
    if (spawnSync(binary, ['--version']).error) {
      throw new Error(`${binary} was not found: install it (apt-get install redis-server; redis-tools for redis-cli) to start a Redis Cluster.`);
    }
  }
}

/** Six ports at once: `freePort()` may hand out the same port twice when nothing listens on it in between. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  // Cluster nodes also listen on port + 10000 (the cluster bus), which must fit in 16 bits.
  while (ports.size < count) {
    const port = await freePort();
    if (port + 10_000 <= 65_535) ports.add(port);
  }
  return [...ports];
}

async function createCluster(ports: readonly number[], deadline: number): Promise<void> {
  const args = ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'];
  const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`redis-cli --cluster create failed (exit ${code}):\n${output.slice(-2000)}`);
}

/**
 * The node serves every slot and sees the final roles: right after creation, a node can say
 * `cluster_state:ok` while it still takes the replicas for masters (their role travels by gossip).
 */
async function clusterOk(port: number): Promise<boolean> {
  if (!(await ask(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) return false;
  const roles = (await ask(port, ['CLUSTER', 'NODES']))
    .split('\n')
    .map((line) => line.split(' ')[2]?.split(',') ?? []);
  return roles.filter((flags) => flags.includes('master')).length === 3 && roles.filter((flags) => flags.includes('slave')).length === 3;
}

/** The replica's link to its master is up: it holds a copy of the data and may be promoted. */
async function replicaSynced(port: number): Promise<boolean> {
  return (await ask(port, ['INFO', 'replication'])).includes('master_link_status:up');
}

/** Polls `check` until it is true; throws naming `what` once `deadline` has passed. */
async function waitFor(check: () => Promise<boolean>, deadline: number, what: string): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `CLUSTER NODES`' lines, parsed ('' gives none). */
function parseNodes(reply: string): ClusterNode[] {
  const body = reply.replace(/^\$\d+\r\n/, '');
  return body
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length >= 8)
    .map((fields) => ({
      port: Number(/:(\d+)@/.exec(fields[1]!)?.[1]),
      flags: fields[2]!.split(','),
      // Slots being imported or migrated (`[…]`) are not served yet: skipped.
      slots: fields.slice(8).filter((range) => !range.startsWith('[')).map((range) => {
        const [first, last = first] = range.split('-').map(Number);
        return [first!, last!] as [number, number];
      }),
    }));
}

function isServingMaster(node: ClusterNode): boolean {
  return node.flags.includes('master') && !node.flags.includes('fail') && !node.flags.includes('fail?') && node.slots.length > 0;
}

/** One command's raw reply ('' when the node cannot be reached), sent as a RESP array so any key goes through. */
function ask(port: number, args: readonly string[]): Promise<string> {
  const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = () => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (data) => {
      reply += data.toString();
      // A bulk reply ($<length>) may come in several chunks: wait for all of it.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (!bulk || reply.length >= bulk[0].length + Number(bulk[1]) + 2) done();
    });
    socket.once('error', done);
    socket.once('timeout', done);
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}
