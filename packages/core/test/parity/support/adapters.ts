import type { INestApplication, ModuleMetadata, WebSocketAdapter } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../../src/index.js';
import { RealtimeWsAdapter } from '../../../src/ws/index.js';
import { SECRET } from '../../support/tokens.js';

/**
 * Our module as permissive as its options allow, so Nest's specs can run unchanged against it:
 * authentication configured but optional (Nest's clients send no token), no origin allowlist,
 * no rate limit, no connection limits, Socket.IO's transports. Everything else keeps its default,
 * the error contract included (`applyErrorContract: true`), since that is what users run.
 */
export const PERMISSIVE_OPTIONS: RealtimeModuleOptions = {
  auth: { secret: SECRET, required: false },
};

/** One row of the adapter matrix a parity spec runs over. */
export interface ParityAdapter {
  /** Shown in test names and used as the key of `KNOWN_GAPS` entries. */
  readonly name: string;
  /** Whether this row is one of this library's adapters. */
  readonly ours: boolean;
  /** Modules the app needs beside the spec's providers. */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** Makes the adapter for an app built from the spec's providers (Nest's `WsAdapter` options for WebSocket rows). */
  create(app: INestApplication, options?: WsAdapterOptions): WebSocketAdapter;
}

/** What Nest's specs pass to `new WsAdapter(app, options)`; ours takes the same. */
export interface WsAdapterOptions {
  messageParser?: (data: never) => { event: string; data: unknown } | void;
}

type Create = (app: INestApplication, options?: WsAdapterOptions) => WebSocketAdapter;

const nest = (name: string, create: Create): ParityAdapter => ({ name, ours: false, imports: [], create });

const ours = (name: string, create: Create): ParityAdapter => ({
  name,
  ours: true,
  imports: [RealtimeModule.forRoot(PERMISSIVE_OPTIONS)],
  create,
});

/** Nest's Socket.IO adapter and ours, for specs whose gateways speak Socket.IO. */
export const SOCKET_IO_ADAPTERS: readonly ParityAdapter[] = [
  nest('IoAdapter', (app) => new IoAdapter(app)),
  ours('RealtimeIoAdapter', (app) => new RealtimeIoAdapter(app)),
];

/** Nest's native WebSocket adapter and ours (installed alone), for Nest's WsAdapter specs. */
export const WS_ADAPTERS: readonly ParityAdapter[] = [
  nest('WsAdapter', (app, options) => new WsAdapter(app, options as ConstructorParameters<typeof WsAdapter>[1])),
  ours('RealtimeWsAdapter', (app, options) => new RealtimeWsAdapter(app, options as ConstructorParameters<typeof RealtimeWsAdapter>[1])),
];
