// What a `module: node16` CommonJS project sees when it imports core statically: TS1479 for each
// core entry point (TypeScript's node16 has no require(esm)), and nothing for the client.
import { RealtimeModule } from '@nestjs-realtime/core';
import { signToken } from '@nestjs-realtime/core/testing';
import { RealtimeWsAdapter } from '@nestjs-realtime/core/ws';
import { RealtimeClient } from '@nestjs-realtime/client';
import { RealtimeWsClient } from '@nestjs-realtime/client/ws';

export const used = [RealtimeModule, signToken, RealtimeWsAdapter, RealtimeClient, RealtimeWsClient];
