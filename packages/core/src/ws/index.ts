export { RealtimeWsAdapter } from './realtime-ws.adapter.js';
export type { NativeWsClient, NativeWsGatewayOptions, RealtimeWsAdapterOptions } from './realtime-ws.adapter.js';
export type { WsFrame, WsMessageParser } from './ws-frame.js';
export {
  WS_CLOSE_AUTH_EXPIRED,
  WS_CLOSE_DISCONNECTED,
  WS_CLOSE_GOING_AWAY,
  WS_CLOSE_RATE_LIMITED,
  WS_CLOSE_REFUSED,
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  WS_TOKEN_PROTOCOL,
} from '../protocol/index.js';
