import { Logger } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { GATEWAY_METADATA } from '@nestjs/websockets/constants.js';
import type { Socket } from 'socket.io';
import { RealtimeExceptionFilter } from './realtime-exception.filter.js';
import { reportError } from './report-error.js';
import { disconnectClient, emitToClient, type NativeWsClient } from '../connection/client-transport.js';
import { EXCEPTION_EVENT, WS_CLOSE_REFUSED, CONNECTION_EVENT } from '../protocol/index.js';

const logger = new Logger('RealtimeGateway');

type GatewayHooks = {
  handleConnection?: (socket: Socket | NativeWsClient, ...rest: unknown[]) => unknown;
  handleDisconnect?: (socket: Socket | NativeWsClient, ...rest: unknown[]) => unknown;
};

/**
 * Gives every gateway of the app the error contract, before Nest wires them:
 * - `RealtimeExceptionFilter` becomes the gateway's last-resort filter (the gateway's own filters
 *   still run first), because Nest does not apply global filters to gateways;
 * - errors from `handleConnection` (sync or async) reach the client as the contract with
 *   `event: 'connection'`, and the socket is disconnected; errors from `handleDisconnect` are logged.
 *   Nest calls these hooks inside an RxJS subscriber, where a throw would crash the process.
 */
export function applyErrorContractToGateways(app: INestApplicationContext): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const { metatype, instance } = wrapper;
      if (typeof metatype !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, metatype)) continue;
      addFallbackFilter(metatype);
      if (instance && typeof instance === 'object') guardLifecycleHooks(instance as GatewayHooks);
    }
  }
}

// An instance, not the class: Nest resolves filter classes among the injectables it found while
// scanning, which is over by now. The filter has no dependencies, so one instance serves all.
const fallbackFilter = new RealtimeExceptionFilter();

function addFallbackFilter(gateway: Function): void {
  const filters: unknown[] = Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, gateway) ?? [];
  if (filters.some((f) => f === RealtimeExceptionFilter || f instanceof RealtimeExceptionFilter)) return;
  // Nest tries class filters last-declared first: the first entry is the last resort.
  Reflect.defineMetadata(EXCEPTION_FILTERS_METADATA, [fallbackFilter, ...filters], gateway);
}

// Both adapters apply the contract when a native WebSocket adapter serves beside the Socket.IO one.
const guarded = new WeakSet<GatewayHooks>();

function guardLifecycleHooks(gateway: GatewayHooks): void {
  if (guarded.has(gateway)) return;
  guarded.add(gateway);
  const { handleConnection, handleDisconnect } = gateway;
  if (typeof handleConnection === 'function') {
    gateway.handleConnection = function (socket, ...rest) {
      return settle(() => handleConnection.call(this, socket, ...rest), (error) => refuseConnection(socket, error));
    };
  }
  if (typeof handleDisconnect === 'function') {
    gateway.handleDisconnect = function (socket, ...rest) {
      return settle(() => handleDisconnect.call(this, socket, ...rest), (error) => {
        logger.error(`handleDisconnect failed for socket ${socket?.id}`, (error as Error)?.stack ?? String(error));
      });
    };
  }
}

/** Runs `fn`, routing a sync throw or an async rejection to `onError`. */
function settle(fn: () => unknown, onError: (error: unknown) => void): unknown {
  try {
    const result = fn();
    return result instanceof Promise ? result.catch(onError) : result;
  } catch (error) {
    onError(error);
    return undefined;
  }
}

function refuseConnection(socket: Socket | NativeWsClient, error: unknown): void {
  // A connection whose setup failed must not linger half-initialised.
  emitToClient(socket, EXCEPTION_EVENT, reportError(error, CONNECTION_EVENT, socket.id));
  disconnectClient(socket, WS_CLOSE_REFUSED, 'connection refused');
}
