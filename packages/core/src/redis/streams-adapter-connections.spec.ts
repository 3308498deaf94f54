import { describe, expect, it } from 'vitest';
import { StreamsAdapterConnections } from './streams-adapter-connections.js';

/** The node-redis surface the streams adapter's reader uses: XREAD, and destroy() that throws on a closed client. */
class FakeReader {
  isOpen = true;
  destroyed = 0;
  xRead(): Promise<unknown> {
    return this.isOpen ? Promise.resolve(null) : Promise.reject(new Error('The client is closed'));
  }
  destroy(): void {
    if (!this.isOpen) throw new Error('The client is closed');
    this.isOpen = false;
    this.destroyed++;
  }
  disconnect(): Promise<void> {
    return Promise.resolve(this.destroy());
  }
}

/** A read on a closed connection fails within the same turn; one that is still pending at the next one never answers. */
const stateAfterATurn = (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => 'settled', () => 'settled'), new Promise((resolve) => setImmediate(resolve, 'pending'))]);

describe('StreamsAdapterConnections', () => {
  it('reads through while open; closeAll() closes each connection once', async () => {
    const connections = new StreamsAdapterConnections();
    const reader = new FakeReader();
    const held = connections.adopt(reader);
    await expect(held.xRead()).resolves.toBeNull();
    connections.closeAll();
    connections.closeAll();
    expect(reader.destroyed).toBe(1);
  });

  it("once closed, a read never answers (the adapter's loop ends instead of spinning) and disconnect() is a no-op", async () => {
    const connections = new StreamsAdapterConnections();
    const reader = new FakeReader();
    const held = connections.adopt(reader);
    connections.closeAll();
    expect(await stateAfterATurn(held.xRead())).toBe('pending');
    await expect(held.disconnect()).resolves.toBeUndefined();
    expect(reader.destroyed).toBe(1);
  });

  it('leaves alone a connection the adapter disconnected first', async () => {
    const connections = new StreamsAdapterConnections();
    const reader = new FakeReader();
    await connections.adopt(reader).disconnect();
    expect(() => connections.closeAll()).not.toThrow();
    expect(reader.destroyed).toBe(1);
  });
});
