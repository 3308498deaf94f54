import { ValidationPipe, type PipeTransform } from '@nestjs/common';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, RealtimeValidationPipe } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { NativePostsGateway, PostsController, PostsGateway, invalidPost, postWithExtras, validPost } from '../support/global-pipe-app.js';
import { WsTestClient } from '../support/ws-client.js';

// One global pipe, as `app.useGlobalPipes()` sets it: HTTP routes and gateways of both transports
// go through it. A validation failure must reach HTTP clients as a 400 and socket clients as the
// contract's BAD_REQUEST with `details: { fields, messages }`, whichever of the two pipes it is.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Details {
  fields: Record<string, string[]>;
  messages: string[];
}

/** What Nest's list format sends for `invalidPost`: nested messages begin with their parent's path. */
const listMessages = [
  'text must be longer than or equal to 1 characters',
  'A post needs some text',
  'each value in tags must be a string',
  'author.name must be longer than or equal to 2 characters',
  'attachments.0.size must not be less than 0',
];
const listDetails: Details = {
  fields: {
    text: ['text must be longer than or equal to 1 characters'],
    tags: ['each value in tags must be a string'],
    'author.name': ['author.name must be longer than or equal to 2 characters'],
    'attachments.0.size': ['attachments.0.size must not be less than 0'],
  },
  // The custom message names no property: it is only here.
  messages: listMessages,
};

/** What class-validator's error tree gives for `invalidPost` (RealtimeValidationPipe, Nest's grouped format). */
const treeDetails: Details = {
  fields: {
    text: ['text must be longer than or equal to 1 characters', 'A post needs some text'],
    tags: ['each value in tags must be a string'],
    'author.name': ['name must be longer than or equal to 2 characters'],
    'attachments.0.size': ['size must not be less than 0'],
  },
  messages: [
    'text must be longer than or equal to 1 characters',
    'A post needs some text',
    'each value in tags must be a string',
    'name must be longer than or equal to 2 characters',
    'size must not be less than 0',
  ],
};

const BAD_REQUEST = { error: 'Bad Request', statusCode: 400 };

interface Refusal {
  body: unknown;
  /** The HTTP response body. */
  http: unknown;
  /** The contract's `details` on both socket transports. */
  details: Details;
}

interface PipeCase {
  name: string;
  pipe: () => PipeTransform;
  /** Whether handlers receive an instance of the DTO. */
  transforms: boolean;
  refusals: Record<string, Refusal>;
}

const PIPES: PipeCase[] = [
  {
    name: 'new ValidationPipe()',
    pipe: () => new ValidationPipe(),
    transforms: false,
    refusals: { 'an invalid post': { body: invalidPost, http: { message: listMessages, ...BAD_REQUEST }, details: listDetails } },
  },
  {
    name: 'new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })',
    pipe: () => new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }),
    transforms: false,
    refusals: {
      'an invalid post': { body: invalidPost, http: { message: listMessages, ...BAD_REQUEST }, details: listDetails },
      'undeclared properties': {
        body: postWithExtras,
        http: { message: ['property isAdmin should not exist', 'author.property role should not exist'], ...BAD_REQUEST },
        details: {
          fields: { isAdmin: ['property isAdmin should not exist'], 'author.role': ['author.property role should not exist'] },
          messages: ['property isAdmin should not exist', 'author.property role should not exist'],
        },
      },
    },
  },
  {
    name: "new ValidationPipe({ errorFormat: 'grouped' })",
    pipe: () => new ValidationPipe({ errorFormat: 'grouped' }),
    transforms: false,
    refusals: { 'an invalid post': { body: invalidPost, http: { message: treeDetails.fields, ...BAD_REQUEST }, details: treeDetails } },
  },
  {
    name: 'new RealtimeValidationPipe()',
    pipe: () => new RealtimeValidationPipe(),
    transforms: true,
    refusals: {
      'an invalid post': { body: invalidPost, http: { message: treeDetails.messages, ...BAD_REQUEST, details: treeDetails }, details: treeDetails },
      'undeclared properties': {
        body: postWithExtras,
        http: {
          message: ['property isAdmin should not exist', 'property role should not exist'],
          ...BAD_REQUEST,
          details: {
            fields: { isAdmin: ['property isAdmin should not exist'], 'author.role': ['property role should not exist'] },
            messages: ['property isAdmin should not exist', 'property role should not exist'],
          },
        },
        details: {
          fields: { isAdmin: ['property isAdmin should not exist'], 'author.role': ['property role should not exist'] },
          messages: ['property isAdmin should not exist', 'property role should not exist'],
        },
      },
    },
  },
];

describe.each(PIPES)('$name as the global pipe', ({ pipe, transforms, refusals }) => {
  let rt: RealtimeTestingApp;
  let socket: Socket;
  let native: WsTestClient;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      { imports: [RealtimeModule.forRoot({})], controllers: [PostsController], providers: [PostsGateway, NativePostsGateway] },
      {
        adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }),
        configure: (app) => {
          app.useGlobalPipes(pipe());
        },
      },
    );
    socket = await rt.connect({ namespace: 'posts' });
    native = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/ws-posts`);
  });
  afterEach(() => {
    // A frame a test did not await would be taken for the next test's answer.
    expect(native.frames).toEqual([]);
  });
  afterAll(async () => {
    native?.close();
    await rt?.close();
  });

  const postOverHttp = async (body: unknown) => {
    const response = await fetch(`${rt.url}/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('lets a valid post through on HTTP, Socket.IO and native WebSocket', async () => {
    const accepted = { accepted: true, isDto: transforms, post: validPost };
    expect(await postOverHttp(validPost)).toEqual({ status: 201, body: accepted });
    expect(await socket.emitWithAck('post', validPost)).toEqual(accepted);
    expect(await native.request('post', validPost)).toEqual(accepted);
  });

  it.each(Object.entries(refusals))('refuses %s: HTTP 400, and BAD_REQUEST with the fields on both socket transports', async (_name, refusal) => {
    const contract = { status: 'error', code: 'BAD_REQUEST', message: 'Validation failed', details: refusal.details, event: 'post', requestId: expect.stringMatching(UUID) };

    expect(await postOverHttp(refusal.body)).toEqual({ status: 400, body: refusal.http });
    expect(await socket.emitWithAck('post', refusal.body)).toEqual(contract);
    const exception = waitForEvent(socket, 'exception');
    socket.emit('post', refusal.body);
    expect(await exception).toEqual(contract);
    expect(await native.request('post', refusal.body, 'exception')).toEqual(contract);

    // The refusal took nothing down.
    expect(await socket.emitWithAck('post', validPost)).toMatchObject({ accepted: true });
    expect(await native.request('post', validPost)).toMatchObject({ accepted: true });
  });
});

describe('RealtimeValidationPipe as the global pipe, on HTTP bodies over its shape limits', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      { imports: [RealtimeModule.forRoot({})], controllers: [PostsController] },
      { configure: (app) => void app.useGlobalPipes(new RealtimeValidationPipe({ maxPayloadDepth: 4, maxPayloadNodes: 20 })) },
    );
  });
  afterAll(() => rt?.close());

  const post = async (body: unknown) => {
    const response = await fetch(`${rt.url}/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers a body nested deeper than maxPayloadDepth with 400 and the reason', async () => {
    expect(await post({ ...validPost, author: { name: 'Ann', a: { b: { c: { d: 1 } } } } })).toEqual({
      status: 400,
      body: { message: 'The message nests deeper than 4 levels', ...BAD_REQUEST, details: { reason: 'too_deep', maxDepth: 4 } },
    });
  });

  it('answers a body with more values than maxPayloadNodes with 413 and the reason', async () => {
    expect(await post({ ...validPost, tags: Array.from({ length: 30 }, (_, i) => `tag${i}`) })).toEqual({
      status: 413,
      body: { message: 'The message holds more than 20 values', error: 'Payload Too Large', statusCode: 413, details: { reason: 'too_many_nodes', maxNodes: 20 } },
    });
  });
});
