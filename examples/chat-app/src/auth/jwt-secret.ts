import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';

/**
 * JWT_SECRET from the environment. Without one, a random secret per process: nothing secret is
 * shipped in the repo, and tokens simply stop working after a restart. Instances that must accept
 * each other's tokens (several behind a load balancer) need the same JWT_SECRET.
 */
export function jwtSecretFrom(config: ConfigService): string {
  const secret = config.get<string>('JWT_SECRET');
  if (secret) return secret;
  new Logger('DemoAuth').warn('JWT_SECRET is not set: using a random secret; tokens will not survive a restart.');
  return randomBytes(32).toString('hex');
}
