import { Body, Controller, HttpCode, Param, Post, Req, UseGuards, ValidationPipe } from '@nestjs/common';
import { contractTarget, RealtimeService } from '@nestjs-realtime/core';
import { IsString, Length } from 'class-validator';
import { BearerAuthGuard } from '../auth/bearer-auth.guard.js';
import { JsonDepthPipe } from './json-depth.pipe.js';
import type { NotificationsContract } from './notifications.contract.js';

class NotificationDto {
  @IsString()
  @Length(1, 500)
  text!: string;
}

/**
 * HTTP and WebSocket in one app: a signed-in user notifies another one. With REDIS_URL set, the
 * instance that takes this request need not be the one the recipient is connected to.
 */
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly realtime: RealtimeService) {}

  @Post(':userId')
  @HttpCode(202)
  @UseGuards(BearerAuthGuard)
  notify(
    @Param('userId') userId: string,
    @Body(new JsonDepthPipe(4), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })) body: NotificationDto,
    @Req() request: { user: { sub: string; name: string } },
  ): { status: 'sent' } {
    // No namespace: every socket of the user gets it, native WebSocket devices included.
    contractTarget<NotificationsContract>(this.realtime.toUser(userId.toLowerCase())).emit('notification', {
      from: request.user.name,
      text: body.text,
      at: new Date().toISOString(),
      via: `instance on port ${process.env.PORT ?? 3000}`,
    });
    return { status: 'sent' };
  }
}
