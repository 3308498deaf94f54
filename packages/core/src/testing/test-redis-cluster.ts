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
  ) {}

  /** `redis://127.0.0.1:<port>` of every node. */
  get urls(): string[] {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`);
  }

  /** Starts the nodes, creates the cluster and resolves once every node reports `cluster_state:ok`. */
  static async start({ timeoutMs = 30_000 }: RedisClusterTestServerOptions = {}): Promise<RedisClusterTestServer> {
    assertInstalled();
    const deadline = Date.now() + timeoutMs;
    const ports = await distinctFreePorts(6);
    const server = new RedisClusterTestServer(ports, mkdtempSync(join(tmpdir(), 'realtime-redis-cluster-')));
    try {
      for (const port of ports) server.processes.push(server.spawnNode(port));
      await Promise.all(ports.map((port) => waitFor(() => ask(port, 'PING').then((reply) => reply.startsWith('+PONG')), deadline, `node ${port} to answer PING`)));
      await createCluster(ports, deadline);
      await Promise.all(ports.map((port) => waitFor(() => clusterOk(port), deadline, `node ${port} to report cluster_state:ok with 3 masters and 3 replicas`)));
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Kills every node and removes their directory. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.splice(0).map(kill));
    rmSync(this.dir, { recursive: true, force: true });
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
        '--cluster-node-timeout', '2000',
        '--dir', this.dir,
        '--save', '',
        '--appendonly', 'no',
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
  if (!(await ask(port, 'CLUSTER INFO')).includes('cluster_state:ok')) return false;
  const roles = (await ask(port, 'CLUSTER NODES'))
    .split('\n')
    .map((line) => line.split(' ')[2]?.split(',') ?? []);
  return roles.filter((flags) => flags.includes('master')).length === 3 && roles.filter((flags) => flags.includes('slave')).length === 3;
}

/** Polls `check` until it is true; throws naming `what` once `deadline` has passed. */
async function waitFor(check: () => Promise<boolean>, deadline: number, what: string): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One inline command's raw reply ('' when the node cannot be reached). */
function ask(port: number, inline: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = () => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write(`${inline}\r\n`));
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
