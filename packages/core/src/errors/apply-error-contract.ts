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
type GatewayClass = new (...args: never[]) => GatewayHooks;

// Gateways already given the contract (both adapters apply it when they serve side by side).
const contracted = new WeakSet<object>();

/**
 * Gives the app's gateways the error contract, before Nest wires them, without touching their
 * classes (whose metadata is process-wide: a second app in the same process, on Nest's own
 * adapter, must see the gateway as declared). Each gateway of this app becomes an instance of a
 * subclass made for this app, which
 * - declares `RealtimeExceptionFilter` as its last-resort filter (the gateway's own filters still
 *   run first), because Nest does not apply global filters to gateways;
 * - routes errors from `handleConnection` (sync or async) to the client as the contract with
 *   `event: 'connection'`, then disconnects it; errors from `handleDisconnect` are logged. Nest
 *   calls these hooks where a throw would crash the process or go unreported.
 * A singleton gateway's instance gets the subclass's prototype; a request-scoped gateway's
 * wrapper creates its per-connection instances from the subclass.
 */
export function applyErrorContractToGateways(app: INestApplicationContext): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const { metatype, instance } = wrapper;
      if (typeof metatype !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, metatype) || contracted.has(wrapper)) continue;
      contracted.add(wrapper);
      const gateway = withErrorContract(metatype as GatewayClass);
      if (wrapper.isDependencyTreeStatic()) {
        if (instance && typeof instance === 'object') Object.setPrototypeOf(instance, gateway.prototype);
      } else {
        (wrapper as { metatype: unknown }).metatype = gateway;
      }
    }
  }
}

// An instance, not the class: Nest resolves filter classes among the injectables it found while
// scanning, which is over by now. The filter has no dependencies, so one instance serves all.
const fallbackFilter = new RealtimeExceptionFilter();

function withErrorContract(gateway: GatewayClass): GatewayClass {
  const Contracted = class extends gateway {};
  // Logs and Nest's own messages name the gateway as the app declared it.
  Object.defineProperty(Contracted, 'name', { value: gateway.name });
  const filters: unknown[] = Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, gateway) ?? [];
  if (!filters.some((f) => f === RealtimeExceptionFilter || f instanceof RealtimeExceptionFilter)) {
    // Nest tries class filters last-declared first: the first entry is the last resort.
    Reflect.defineMetadata(EXCEPTION_FILTERS_METADATA, [fallbackFilter, ...filters], Contracted);
  }
  const { handleConnection, handleDisconnect } = gateway.prototype;
  if (typeof handleConnection === 'function') {
    Contracted.prototype.handleConnection = function (this: GatewayHooks, socket, ...rest) {
      return settle(() => handleConnection.call(this, socket, ...rest), (error) => refuseConnection(socket, error));
    };
  }
  if (typeof handleDisconnect === 'function') {
    Contracted.prototype.handleDisconnect = function (this: GatewayHooks, socket, ...rest) {
      return settle(() => handleDisconnect.call(this, socket, ...rest), (error) => {
        logger.error(`handleDisconnect failed for socket ${socket?.id}`, (error as Error)?.stack ?? String(error));
      });
    };
  }
  return Contracted;
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
