// Simulator sessions and limits: API-key users, JWT issue/validate/logout/expiry, per-token rolling 429 window.
import { mintToken, readToken } from './jwt.js';

export interface AuthOptions {
  readonly users: Readonly<Record<string, string>>;
  readonly tokenTtlMs: number;
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
}

export class SimAuth {
  private readonly revoked = new Set<string>();
  private readonly windows = new Map<string, number[]>();
  /** Fault injection: this many coming authenticated requests get 429. */
  burst429 = 0;
  retryAfterSeconds = 1;
  logins = 0;
  validations = 0;

  constructor(private readonly opts: AuthOptions, private readonly now: () => number = Date.now) {}

  login(userName: unknown, apiKey: unknown): { token: string } | { errorCode: number } {
    const name = typeof userName === 'string' ? userName.toLowerCase() : '';
    const entry = Object.entries(this.opts.users).find(([u]) => u.toLowerCase() === name);
    if (!entry) return { errorCode: 1 };
    if (entry[1] !== apiKey) return { errorCode: 3 };
    this.logins++;
    return { token: mintToken(entry[0], this.now(), this.opts.tokenTtlMs) };
  }

  /** The user a bearer token belongs to, or undefined when missing, unknown, revoked or expired. */
  check(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const c = readToken(token);
    if (!c || this.revoked.has(c.jti) || c.exp * 1000 <= this.now()) return undefined;
    return c.sub;
  }

  refresh(token: string): string {
    this.validations++;
    return mintToken(readToken(token)!.sub, this.now(), this.opts.tokenTtlMs);
  }

  revoke(token: string): void {
    const c = readToken(token);
    if (c) this.revoked.add(c.jti);
  }

  /** Expires every token issued so far (a token expiring mid-session). */
  revokeAllIssued(issued: Iterable<string>): void {
    for (const t of issued) this.revoke(t);
  }

  /** Counts a request against the token's rolling window; returns seconds to wait when over the limit. */
  admit(token: string): number | undefined {
    if (this.burst429 > 0) {
      this.burst429--;
      return this.retryAfterSeconds;
    }
    const t = this.now();
    const w = (this.windows.get(token) ?? []).filter((x) => x > t - this.opts.rateLimit.windowMs);
    if (w.length >= this.opts.rateLimit.requests) {
      this.windows.set(token, w);
      return Math.max(1, Math.ceil((w[0]! + this.opts.rateLimit.windowMs - t) / 1000));
    }
    w.push(t);
    this.windows.set(token, w);
    return undefined;
  }
}
