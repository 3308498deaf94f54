import { UseGuards } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { RealtimeGateway, WsJwtGuard } from '@nestjs-realtime/core';

/**
 * Where notifications arrive. It needs no handlers: each signed-in socket joins its user's room
 * at the handshake, and `RealtimeService.toUser()` reaches that room on every instance.
 */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ namespace: 'notifications' })
export class NotificationsGateway extends RealtimeGateway {}
