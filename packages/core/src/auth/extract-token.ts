import type { Socket } from 'socket.io';
import type { TokenSource } from '../options/auth-options.interface.js';

export type HandshakeLike = Pick<Socket['handshake'], 'auth' | 'headers' | 'query'>;

const BEARER = /^Bearer\s+(\S+)$/i;

/** The token of the first source in `sources` that carries one. */
export function extractToken(handshake: HandshakeLike, sources: readonly TokenSource[], cookieName: string): string | undefined {
  for (const source of sources) {
    const token = tokenFrom(handshake, source, cookieName);
    if (token) return token;
  }
  return undefined;
}

function tokenFrom(handshake: HandshakeLike, source: TokenSource, cookieName: string): string | undefined {
  switch (source) {
    case 'auth':
      return stringOrUndefined(handshake.auth?.token)?.replace(/^Bearer\s+/i, '');
    case 'header':
      return BEARER.exec(handshake.headers.authorization ?? '')?.[1];
    case 'cookie':
      return readCookie(handshake.headers.cookie, cookieName);
    case 'query':
      return stringOrUndefined(handshake.query?.token);
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const raw = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return stringOrUndefined(decodeURIComponent(raw));
    } catch {
      return stringOrUndefined(raw);
    }
  }
  return undefined;
}
