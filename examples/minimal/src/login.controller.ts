import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

const NAME = /^[\p{L}\p{N}_-]{1,32}$/u;

/**
 * Demo sign-in: anyone may pick a name and gets a token for it. A real app signs tokens in its own
 * login (or identity provider); the realtime side only verifies them.
 */
@Controller('auth')
export class LoginController {
  constructor(private readonly jwt: JwtService) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() body: { name?: unknown }): { token: string } {
    const name = body?.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new BadRequestException('name: 1 to 32 letters, digits, "_" or "-"');
    }
    return { token: this.jwt.sign({ sub: name.toLowerCase(), name }) };
  }
}
