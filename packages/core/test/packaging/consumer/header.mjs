import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import * as realtime from '@nestjs-realtime/core';
import { io } from 'socket.io-client';
const { RealtimeIoAdapter, RealtimeModule } = realtime;
