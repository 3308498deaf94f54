import { describe, expect, it } from 'vitest';
import { guardAdapterClient } from './guard-adapter-client.js';
import { LostCommandsLog } from './lost-commands-log.js';

/** Stands in for a client's pub/sub surface: each command answers with the promise it is given. */
class FakeClient {
  next: Promise<unknown> = Promise.resolve('OK');
  readonly options = { lazyConnect: true };
  copies: FakeClient[] = [];
  publish(_channel: string, _message: string): Promise<unknown> {
    return this.next;
  }
  sSubscribe(_channel: string): Promise<unknown> {
    return this.next;
  }
  xRead(): Promise<unknown> {
    return this.next;
  }
  connect(): Promise<unknown> {
    return this.next;
  }
  duplicate(): FakeClient {
    const copy = new FakeClient();
    this.copies.push(copy);
    return copy;
  }
  self(): this {
    return this;
  }
}

function setup() {
  const lines: string[] = [];
  const log = new LostCommandsLog('(your client)', (line) => lines.push(line));
  const client = new FakeClient();
  return { lines, client, guarded: guardAdapterClient(client, log) };
}

/** Lets every promise reaction queued so far run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('guardAdapterClient', () => {
  it('handles a fire-and-forget command that fails, reports it, and returns the same promise to a caller that awaits it', async () => {
    const { lines, client, guarded } = setup();
    const failure = Promise.reject(new Error('Connection is closed.'));
    client.next = failure;
    expect(guarded.publish('ch', 'm')).toBe(failure);
    await expect(guarded.publish('ch', 'm')).rejects.toThrow('Connection is closed.');
    await settled();
    expect(lines).toEqual([expect.stringContaining("the Socket.IO adapter's publish failed (Error: Connection is closed.)")]);
  });

  it('leaves the client untouched, and reads everything else through unchanged, so the adapters take the same code path', () => {
    const { client, guarded } = setup();
    const own = { ...client };
    const prototype = Object.getPrototypeOf(client);
    expect(guarded.publish).not.toBe(client.publish);
    expect(guarded.publish).toBe(guarded.publish); // stable identity
    expect(typeof guarded.sSubscribe).toBe('function'); // how the adapters recognise node-redis
    expect(guarded.xRead).toBe(client.xRead); // not fire-and-forget: the adapter handles it
    expect(guarded.options).toBe(client.options);
    expect(guarded.constructor).toBe(FakeClient); // how they recognise an ioredis Cluster (by name)
    expect(guarded).toBeInstanceOf(FakeClient);
    expect(guarded.self()).toBe(guarded); // methods run with the stand-in as `this`
    expect({ ...client }).toEqual(own);
    expect(Object.getPrototypeOf(client)).toBe(prototype);
    expect(Object.hasOwn(client, 'publish')).toBe(false);
  });

  it('guards what duplicate() returns, which the streams adapter subscribes with', async () => {
    const { lines, client, guarded } = setup();
    const copy = guarded.duplicate();
    expect(copy).not.toBe(client.copies[0]);
    client.copies[0]!.next = Promise.reject(new Error('Disconnects client'));
    void copy.sSubscribe('ch');
    await settled();
    expect(lines).toEqual([expect.stringContaining("the Socket.IO adapter's sSubscribe failed")]);
  });

  it("resolves a duplicate's connect() that fails, and reports it: the streams adapter awaits it in a promise nobody handles", async () => {
    const { lines, client, guarded } = setup();
    const copy = guarded.duplicate();
    client.copies[0]!.next = Promise.reject(new Error('Connection is closed.'));
    await expect(copy.connect()).resolves.toBeUndefined();
    expect(lines).toEqual([expect.stringContaining("the Socket.IO adapter's connect failed (Error: Connection is closed.)")]);
  });

  it('a success ends the outage: the next failure is reported again', async () => {
    const { lines, client, guarded } = setup();
    client.next = Promise.reject(new Error('down'));
    void guarded.publish('ch', 'm');
    void guarded.publish('ch', 'm');
    await settled();
    client.next = Promise.resolve(1);
    void guarded.publish('ch', 'm');
    await settled();
    client.next = Promise.reject(new Error('down again'));
    void guarded.publish('ch', 'm');
    await settled();
    expect(lines).toHaveLength(2);
  });
});
