require('reflect-metadata');
const { Module, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { MessageBody, SubscribeMessage, WebSocketGateway } = require('@nestjs/websockets');
const { JwtService } = require('@nestjs/jwt');
const realtime = require('@nestjs-realtime/core');
const realtimeTesting = require('@nestjs-realtime/core/testing');
const { io } = require('socket.io-client');
const { RealtimeIoAdapter, RealtimeModule, WsAuthUser, WsJwtGuard } = realtime;
