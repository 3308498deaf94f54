import { Controller, Get, UseFilters } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Public, RealtimeExceptionFilter, RealtimeModule, WsAuthUser, WsJwtGuard } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { SECRET, sign } from '../support/tokens.js';

@UseFilters(RealtimeExceptionFilter)
@WebSocketGateway({ namespace: 'open', public: true })
class UnguardedLookingGateway {
  @SubscribeMessage('mine')
  mine(@WsAuthUser('id') id: string) {
    return { id };
  }

  @Public()
  @SubscribeMessage('anyone')
  anyone() {
    return 'welcome';
  }
}

@Controller('health')
class HealthController {
  @Get()
  health() {
    return { ok: true };
  }
}

describe('WsJwtGuard as a global guard (APP_GUARD)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })],
      controllers: [HealthController],
      providers: [UnguardedLookingGateway, { provide: APP_GUARD, useClass: WsJwtGuard }],
    });
  });
  afterAll(() => rt?.close());

  it('guards every gateway handler without @UseGuards', async () => {
    const anonymous = await rt.connect({ namespace: 'open' });
    expect(await anonymous.emitWithAck('mine')).toMatchObject({ code: 'UNAUTHENTICATED', event: 'mine' });
    expect(await anonymous.emitWithAck('anyone')).toBe('welcome');
    const user = await rt.connect({ namespace: 'open', auth: { token: sign({ sub: 'u1' }) } });
    expect(await user.emitWithAck('mine')).toEqual({ id: 'u1' });
  });

  it('lets HTTP requests through untouched', async () => {
    const response = await fetch(`${rt.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
