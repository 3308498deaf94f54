// Stands in for "your app" on pages that import it without defining it.
import { UseGuards } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { RoomsGateway, WsJwtGuard } from '@nestjs-realtime/core';

@UseGuards(WsJwtGuard)
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway extends RoomsGateway {}
