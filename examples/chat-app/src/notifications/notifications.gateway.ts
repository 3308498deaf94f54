import { UseGuards } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { RealtimeGateway, WsJwtGuard, type ContractGateway } from '@nestjs-realtime/core';
import type { NotificationsContract } from './notifications.contract.js';

/**
 * Where notifications arrive. It needs no handlers: each signed-in socket joins its user's room
 * at the handshake, and `RealtimeService.toUser()` reaches that room on every instance. Its one
 * event is `NotificationsContract`'s (a request added to the contract would need a handler here).
 */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ namespace: 'notifications' })
export class NotificationsGateway extends RealtimeGateway implements ContractGateway<NotificationsContract> {}
