require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { MessageBody, SubscribeMessage, WebSocketGateway } = require('@nestjs/websockets');
const realtime = require('@nestjs-realtime/core');
const { io } = require('socket.io-client');
const { RealtimeIoAdapter, RealtimeModule } = realtime;
