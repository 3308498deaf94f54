import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

const NAME = /^[\p{L}\p{N} _-]{1,32}$/u;

/**
 * Demo sign-in: anyone may pick a name and gets a short-lived JWT for it. A real app signs
 * tokens in its identity service; the realtime side only verifies them.
 */
@Controller('auth')
export class DemoLoginController {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
  ) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() body: { name?: unknown }): { token: string; expiresAt: number; userId: string } {
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    if (!NAME.test(name)) throw new BadRequestException('name: 1 to 32 letters, digits, spaces, "-" or "_"');
    const ttlSeconds = Number(this.config.get('DEMO_TOKEN_TTL_SECONDS') ?? 900);
    const userId = name.toLowerCase();
    const token = this.jwt.sign({ sub: userId, name }, { expiresIn: ttlSeconds });
    return { token, expiresAt: Date.now() + ttlSeconds * 1000, userId };
  }
}
