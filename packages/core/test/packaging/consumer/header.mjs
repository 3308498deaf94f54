import 'reflect-metadata';
import { Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { JwtService } from '@nestjs/jwt';
import * as realtime from '@nestjs-realtime/core';
import * as realtimeTesting from '@nestjs-realtime/core/testing';
import { io } from 'socket.io-client';
const { RealtimeIoAdapter, RealtimeModule, WsAuthUser, WsJwtGuard } = realtime;
