import { describe, expect, it } from 'vitest';
import { extractToken } from './extract-token.js';

const handshake = (over: { auth?: Record<string, unknown>; headers?: Record<string, string>; query?: Record<string, string | string[]> }) => ({
  auth: over.auth ?? {},
  headers: over.headers ?? {},
  query: over.query ?? {},
});

describe('extractToken', () => {
  it('reads each source and follows the given order', () => {
    const h = handshake({ auth: { token: 'A' }, headers: { authorization: 'Bearer H', cookie: 'access_token=C' }, query: { token: 'Q' } });
    expect(extractToken(h, ['auth', 'header', 'cookie', 'query'], 'access_token')).toBe('A');
    expect(extractToken(h, ['header', 'auth'], 'access_token')).toBe('H');
    expect(extractToken(h, ['cookie'], 'access_token')).toBe('C');
    expect(extractToken(h, ['query'], 'access_token')).toBe('Q');
  });

  it('skips empty or non-string values and falls through to the next source', () => {
    const h = handshake({ auth: { token: '  ' }, headers: { authorization: 'Basic abc' }, query: { token: ['x'] } });
    expect(extractToken(h, ['auth', 'header', 'query'], 'access_token')).toBeUndefined();
    expect(extractToken(handshake({ auth: { token: 42 }, headers: { cookie: 'access_token=C' } }), ['auth', 'cookie'], 'access_token')).toBe('C');
  });

  it('accepts a "Bearer " prefix in handshake.auth.token, case-insensitively in the header', () => {
    expect(extractToken(handshake({ auth: { token: 'Bearer T' } }), ['auth'], 'x')).toBe('T');
    expect(extractToken(handshake({ headers: { authorization: 'bearer T' } }), ['header'], 'x')).toBe('T');
  });

  it('parses cookies by exact name, with quotes and URL encoding, and survives bad encoding', () => {
    const cookie = 'xaccess_token=wrong; access_token="a%2Eb"; other=1';
    expect(extractToken(handshake({ headers: { cookie } }), ['cookie'], 'access_token')).toBe('a.b');
    expect(extractToken(handshake({ headers: { cookie: 'sid=%E0%A4%A' } }), ['cookie'], 'sid')).toBe('%E0%A4%A');
    expect(extractToken(handshake({ headers: { cookie: 'novalue; sid=' } }), ['cookie'], 'sid')).toBeUndefined();
  });
});
