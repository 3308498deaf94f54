/**
 * Child process that owns a throwaway `redis-server` on a free loopback port and kills it when
 * the benchmark goes away, even if the benchmark itself is killed (the IPC channel closes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { send } from './ipc.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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

async function main(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).error) {
    send({ kind: 'error', message: 'redis-server was not found on PATH: install it (apt-get install redis-server).' });
    return;
  }
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  let stopping = false;
  // Kill redis-server and wait for it, so it is reaped here rather than left as a zombie.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (redis.exitCode !== null || redis.signalCode !== null) process.exit(0);
    redis.once('exit', () => process.exit(0));
    redis.kill('SIGKILL');
  };
  process.on('exit', () => {
    if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The benchmark went away (even SIGKILLed): take redis-server down with us.
  process.on('disconnect', stop);
  redis.once('exit', (code, signal) => {
    if (stopping) return;
    send({ kind: 'error', message: `redis-server exited (${signal ?? code})` });
    process.exit(1);
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (Date.now() > deadline) {
      send({ kind: 'error', message: `redis-server on port ${port} did not answer PING within 10 s` });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  send({ kind: 'ready', url: `redis://127.0.0.1:${port}`, pid: redis.pid ?? 0 });
}

void main();
