import { RealtimeClient, RealtimeError } from '@nestjs-realtime/client';
const moduleSystem = 'esm';
const resolvedEntry = import.meta.resolve('@nestjs-realtime/client');
