export { createRealtimeTestingApp } from './create-realtime-testing-app.js';
export type { RealtimeTestingApp, RealtimeTestingAppOptions, TestingConnectOptions } from './create-realtime-testing-app.js';
export { signToken } from './sign-token.js';
export { connectClient, ConnectRefusedError, waitForEvent } from './connect-client.js';
export type { ConnectOptions } from './connect-client.js';
export { RedisTestServer, redisForTests } from './test-redis.js';
export { RedisClusterTestServer } from './test-redis-cluster.js';
export type { RedisClusterTestServerOptions } from './test-redis-cluster.js';
export { freePort } from './free-port.js';
export {
  contractViolation,
  deeplyNestedJson,
  fuzzScale,
  fuzzSeed,
  FuzzRng,
  gatewayHandlers,
  isErrorReply,
  leakIn,
  mutateText,
  randomValue,
} from './fuzz.js';
export type { GatewayHandler, RandomValueOptions } from './fuzz.js';
