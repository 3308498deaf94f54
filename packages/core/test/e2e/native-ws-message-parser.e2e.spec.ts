import type { INestApplication } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter, type WsMessageParser } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { PathlessNativeGateway } from '../support/native-ws-gateways.js';
import { WsTestClient } from '../support/ws-client.js';

// An app's own message parser decides what a frame is, as with Nest's WsAdapter: returning
// nothing drops the frame (a keep-alive, a frame of another protocol on the same socket), where
// the default JSON parser's frames that name no event are the client's mistake (BAD_REQUEST).

/** Frames as `[event, data]` arrays; the text `keepalive` is dropped. */
const arrayFrames: WsMessageParser = (raw) => {
  const text = raw.toString();
  if (text === 'keepalive') return;
  const [event, data] = JSON.parse(text) as [string, unknown];
  return { event, data };
};

describe("RealtimeWsAdapter with an app's message parser", () => {
  let rt: RealtimeTestingApp;
  afterEach(() => rt?.close());

  const start = async (options: RealtimeModuleOptions, adapter: (app: INestApplication) => RealtimeWsAdapter) => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot(options)], providers: [PathlessNativeGateway] }, { adapter });
    return WsTestClient.open(rt.url.replace('http', 'ws'));
  };

  it.each([
    ['given to the constructor', (app: INestApplication) => new RealtimeWsAdapter(app, { messageParser: arrayFrames })],
    [
      'set with setMessageParser()',
      (app: INestApplication) => {
        const adapter = new RealtimeWsAdapter(app);
        adapter.setMessageParser(arrayFrames as never);
        return adapter;
      },
    ],
  ])('drops a frame the parser returns nothing for, and serves the next (parser %s)', async (_how, adapter) => {
    const client = await start({}, adapter);
    const pong = client.next('pong');
    client.sendRaw('keepalive');
    client.sendRaw(JSON.stringify(['ping', 'after']));
    // Frames are answered in order: an answer to the keep-alive would have come first.
    expect((await pong).data).toBe('after');
    expect(client.frames).toEqual([]);
    client.close();
  });

  it('still counts a dropped frame against the rate limit', async () => {
    const client = await start({ rateLimit: { points: 2, durationMs: 60_000 } }, (app) => new RealtimeWsAdapter(app, { messageParser: arrayFrames }));
    client.sendRaw('keepalive');
    client.sendRaw('keepalive');
    const refused = client.next('exception');
    client.sendRaw(JSON.stringify(['ping', 'one too many']));
    expect((await refused).data).toMatchObject({ code: 'RATE_LIMITED' });
    client.close();
  });

  it("answers a frame the app's parser throws on with BAD_REQUEST that does not speak of JSON", async () => {
    const client = await start({}, (app) => new RealtimeWsAdapter(app, { messageParser: arrayFrames }));
    const exception = client.next('exception');
    client.sendRaw('not an array');
    expect((await exception).data).toMatchObject({ code: 'BAD_REQUEST', message: 'The frame could not be parsed' });
    client.close();
  });

  it('answers a frame that names no event with BAD_REQUEST under the default JSON parser, `null` included', async () => {
    const client = await start({}, (app) => new RealtimeWsAdapter(app));
    const exception = client.next('exception');
    client.sendRaw('null');
    expect((await exception).data).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('"event" is missing') });
    client.close();
  });
});
