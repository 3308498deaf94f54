import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A throwaway `redis-server` (from the machine's PATH) on a free port, owned by the test: it can
 * stop and restart it on the same port to simulate an outage. Nothing is persisted.
 *
 * @example
 * const redis = await RedisTestServer.start();
 * // RealtimeModule.forRoot({ redis: { url: redis.url } }) …
 * await redis.stop();
 */
export class RedisTestServer {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server and resolves once it answers PING. */
  static async start(): Promise<RedisTestServer> {
    const server = new RedisTestServer(await freePort());
    await server.run();
    return server;
  }

  /** Kills the server, as a crash would. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Kills and starts it again on the same port: every client connection drops. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  private async run(): Promise<void> {
    assertRedisServerInstalled();
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPong(this.port);
  }
}

/** The Redis a suite uses: `REDIS_URL` when set, else a throwaway server of its own. */
export async function redisForTests(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const server = await RedisTestServer.start();
  return { url: server.url, stop: () => server.stop() };
}

function assertRedisServerInstalled(): void {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server was not found: install it (apt-get install redis-server) or set REDIS_URL to a Redis 7 server.');
  }
}

async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
