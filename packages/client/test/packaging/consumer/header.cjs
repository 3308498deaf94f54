const { RealtimeClient, RealtimeError } = require('@nestjs-realtime/client');
const moduleSystem = 'cjs';
const resolvedEntry = require.resolve('@nestjs-realtime/client');
