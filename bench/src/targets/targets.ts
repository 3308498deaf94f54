import { fileURLToPath } from 'node:url';

/**
 * The table's three columns: (a) the raw library, (b) a plain Nest gateway on Nest's own adapter,
 * (c) the same gateway on the module's adapter with its features on.
 */
export type TargetId = 'a' | 'b' | 'c';

/** What clients speak: Socket.IO, or native WebSocket (`{ event, data }` JSON frames). */
export type Transport = 'socket.io' | 'ws';

export interface Target {
  id: TargetId;
  transport: Transport;
  /** Short name, in progress lines and the docs' list of targets. */
  name: string;
  /** What it is, in the docs' words. */
  description: { en: string; zh: string };
  /** The server's entry file (compiled), forked once per measurement. */
  entry: string;
  /** Clients must send a JWT at the handshake. */
  requiresToken: boolean;
  /** Has presence (join/leave go through PresenceService). */
  hasPresence: boolean;
}

const entry = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));

/** Column headers: which server fills a column depends on the row's transport. */
export const COLUMNS: Record<TargetId, string> = {
  a: '(a) raw',
  b: '(b) plain Nest',
  c: '(c) nestjs-realtime',
};

/** The Socket.IO servers (most workloads). */
export const TARGETS: Record<TargetId, Target> = {
  a: {
    id: 'a',
    transport: 'socket.io',
    name: '(a) Socket.IO',
    description: {
      en: 'raw Socket.IO server, no Nest, hand-written handlers',
      zh: '原生 Socket.IO 服务器，不用 Nest，手写处理函数',
    },
    entry: entry('raw-socketio.server.js'),
    requiresToken: false,
    hasPresence: false,
  },
  b: {
    id: 'b',
    transport: 'socket.io',
    name: '(b) Nest IoAdapter',
    description: {
      en: "plain Nest gateway on Nest's IoAdapter, no auth, no presence",
      zh: 'Nest 自带 IoAdapter 上的普通网关，无认证、无在线状态',
    },
    entry: entry('nest-plain.server.js'),
    requiresToken: false,
    hasPresence: false,
  },
  c: {
    id: 'c',
    transport: 'socket.io',
    name: '(c) nestjs-realtime',
    description: {
      en: 'the same gateway on RealtimeIoAdapter: JWT handshake auth, WsJwtGuard, error contract, presence (RoomsGateway)',
      zh: '同一网关运行在 RealtimeIoAdapter 上：JWT 握手认证、WsJwtGuard、错误约定、在线状态（RoomsGateway）',
    },
    entry: entry('nest-realtime.server.js'),
    requiresToken: true,
    hasPresence: true,
  },
};

/** The native WebSocket servers (rows labelled "native ws"). */
export const WS_TARGETS: Record<TargetId, Target> = {
  a: {
    id: 'a',
    transport: 'ws',
    name: '(a) ws',
    description: {
      en: 'raw `ws` WebSocketServer, no Nest, a hand-written message listener',
      zh: '原生 `ws` WebSocketServer，不用 Nest，手写 message 监听器',
    },
    entry: entry('raw-ws.server.js'),
    requiresToken: false,
    hasPresence: false,
  },
  b: {
    id: 'b',
    transport: 'ws',
    name: '(b) Nest WsAdapter',
    description: {
      en: "plain Nest gateway on Nest's WsAdapter (@nestjs/platform-ws), no auth",
      zh: 'Nest 自带 WsAdapter（@nestjs/platform-ws）上的普通网关，无认证',
    },
    entry: entry('nest-plain-ws.server.js'),
    requiresToken: false,
    hasPresence: false,
  },
  c: {
    id: 'c',
    transport: 'ws',
    name: '(c) RealtimeWsAdapter',
    description: {
      en: 'the same gateway on RealtimeWsAdapter: JWT checked at the upgrade (token as subprotocol), WsJwtGuard, error contract, payload limits',
      zh: '同一网关运行在 RealtimeWsAdapter 上：升级时校验 JWT（令牌作为子协议）、WsJwtGuard、错误约定、负载限制',
    },
    entry: entry('nest-realtime-ws.server.js'),
    requiresToken: true,
    hasPresence: false,
  },
};

export const TARGETS_BY_TRANSPORT: Record<Transport, Record<TargetId, Target>> = {
  'socket.io': TARGETS,
  ws: WS_TARGETS,
};

export const TARGET_IDS: TargetId[] = ['a', 'b', 'c'];
