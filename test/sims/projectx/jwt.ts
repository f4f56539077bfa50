// Simulator JWTs: real-looking three-part tokens with sub/exp/jti claims (the signature is random, never checked).
import { randomBytes } from 'node:crypto';

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

export interface TokenClaims {
  readonly sub: string;
  readonly exp: number;
  readonly jti: string;
}

/** Mints a token for userName that expires ttlMs from nowMs (exp in whole seconds, rounded up). */
export function mintToken(userName: string, nowMs: number, ttlMs: number): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims: TokenClaims = {
    sub: userName,
    exp: Math.ceil((nowMs + ttlMs) / 1000),
    jti: randomBytes(8).toString('hex'),
  };
  return `${header}.${b64url(JSON.stringify(claims))}.${b64url(randomBytes(32))}`;
}

export function readToken(token: string): TokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const c = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    return typeof c.sub === 'string' && typeof c.exp === 'number' && typeof c.jti === 'string'
      ? { sub: c.sub, exp: c.exp, jti: c.jti }
      : undefined;
  } catch {
    return undefined;
  }
}
