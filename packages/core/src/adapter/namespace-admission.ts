import type { Namespace, Socket } from 'socket.io';
import type { HandshakePipeline } from '../handshake/handshake-pipeline.js';
import { Logger } from '@nestjs/common';
import { ADMISSION_FAILED, connectError } from '../handshake/handshake-refusal.js';
import { logSafe } from '../logging/log-safe.js';
import { takeMissedPackets } from './session-recovery.js';
import { clientIp, type TrustedHop } from '../proxy/trust-proxy.js';
import { DUPLICATE_NAMESPACE } from '../protocol/index.js';

// Socket.IO keeps these private; read only, to tell joined and joining sockets apart.
type ClientNamespaces = { nsps: Map<string, Socket> };
type PendingSockets = { _preConnectSockets?: Map<string, Socket> };

const logger = new Logger('RealtimeHandshake');

// The socket each connection is joining a namespace with, while its middlewares run.
const joining = new WeakMap<Socket['client'], Map<string, Socket>>();
// Connections that have sent a CONNECT: their next ones are handshakes of their own.
const hasConnected = new WeakSet<Socket['client']>();

/**
 * The first middleware of every namespace, before authentication (installed on a dynamic
 * namespace's parent, it runs on each child: hence `socket.nsp`, never the namespace it was given):
 * - one Engine.IO connection holds at most one socket per namespace. Socket.IO itself accepts any
 *   number of `CONNECT` packets for one namespace, and each socket would get its own rate-limit
 *   budget, count as one more connection of the user and receive every broadcast again;
 * - `socket.handshake.address` becomes the client's IP as `trustProxy` resolves it;
 * - every `CONNECT` but the connection's first takes a handshake from that IP's
 *   `limits.handshakesPerIp`, none is let in while the server drains, and its auth object passes
 *   the payload shape limits (`HandshakePipeline.admitNamespaceConnect`).
 */
export function admitNamespaceSocket(namespace: Namespace, trusted: TrustedHop, handshake: Pick<HandshakePipeline, 'admitNamespaceConnect'>): void {
  namespace.use((socket, next) => {
    takeMissedPackets(socket);
    const { client, nsp } = socket;
    if ((client as unknown as ClientNamespaces).nsps.has(nsp.name) || isJoining(client, nsp, socket)) {
      return next(Object.assign(new Error('Already connected to this namespace on this connection'), {
        data: { code: 'FORBIDDEN', reason: DUPLICATE_NAMESPACE },
      }));
    }
    let pending = joining.get(client);
    if (!pending) joining.set(client, (pending = new Map()));
    pending.set(nsp.name, socket);
    const address = clientIp(socket.request, trusted);
    socket.handshake.address = address;
    const first = !hasConnected.has(client);
    hasConnected.add(client);
    handshake.admitNamespaceConnect(address, nsp.name, first, socket.handshake.auth).then(
      (refusal) => next(refusal && connectError(refusal)),
      (error: unknown) => {
        logger.error(`Namespace CONNECT admission failed: ${logSafe(error instanceof Error ? (error.stack ?? error.message) : error, 2000)}`);
        next(connectError(ADMISSION_FAILED));
      },
    );
  });
  // A claim ends when its socket connects: nothing is kept per connection once it is in.
  namespace.on('connection', (socket: Socket) => {
    const pending = joining.get(socket.client);
    const name = socket.nsp.name;
    if (pending?.get(name) !== socket) return;
    pending.delete(name);
    if (pending.size === 0) joining.delete(socket.client);
  });
}

/**
 * Whether another socket of this connection is still joining the namespace (its middlewares, such
 * as token verification, have not finished). A claim whose socket has since connected or been
 * refused has left Socket.IO's pending sockets and no longer counts.
 */
function isJoining(client: Socket['client'], namespace: Namespace, socket: Socket): boolean {
  const claimant = joining.get(client)?.get(namespace.name);
  if (!claimant || claimant === socket) return false;
  return (namespace as unknown as PendingSockets)._preConnectSockets?.has(claimant.id) ?? false;
}
