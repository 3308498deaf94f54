import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RealtimeHealthIndicator } from '@nestjs-realtime/core';

/** GET /health: 200 while this instance serves, 503 while it drains or has lost Redis. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly realtime: RealtimeHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.realtime.isHealthy()]);
  }
}
