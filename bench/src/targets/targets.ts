import { fileURLToPath } from 'node:url';

/** The three servers every workload runs against. */
export type TargetId = 'a' | 'b' | 'c';

export interface Target {
  id: TargetId;
  /** Short column name. */
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

export const TARGETS: Record<TargetId, Target> = {
  a: {
    id: 'a',
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

export const TARGET_IDS: TargetId[] = ['a', 'b', 'c'];
