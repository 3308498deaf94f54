import { Controller, Get, Headers, ServiceUnavailableException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { RealtimeHealthIndicator } from '@nestjs-realtime/core';
import { bearerTokenOf } from '../auth/bearer-token.js';

/**
 * GET /health: 200 while this instance serves, 503 while it drains or has lost Redis. Anyone gets
 * `{ status }`, all a load balancer needs; the details (connections, adapter, Redis, heartbeat)
 * tell how the deployment is built and how loaded it is, so only a caller with a valid bearer
 * token (from /auth/login) gets them. A missing or bad token is not an error here: probes send none.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly realtime: RealtimeHealthIndicator,
    private readonly jwt: JwtService,
  ) {}

  @Get()
  @HealthCheck()
  async check(@Headers('authorization') authorization?: string): Promise<HealthCheckResult | Pick<HealthCheckResult, 'status'>> {
    const detailed = this.isSignedIn(authorization);
    try {
      const result = await this.health.check([() => this.realtime.isHealthy()]);
      return detailed ? result : { status: result.status };
    } catch (error) {
      // Terminus answers an unhealthy check with a 503 whose body is the whole result.
      if (detailed || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException({ status: (error.getResponse() as HealthCheckResult).status });
    }
  }

  private isSignedIn(authorization: string | undefined): boolean {
    const token = bearerTokenOf(authorization);
    if (!token) return false;
    try {
      this.jwt.verify(token);
      return true;
    } catch {
      return false;
    }
  }
}
