// Deterministic follower client order ids: the same (follower, leader execution, attempt) always gives the same id.
import type { AccountId, ClientOrderId } from './ids.js';

/** Alpaca client_order_id allows 48 characters; ProjectX customTag has no documented limit, so 48 serves both. */
export const MAX_CLIENT_ID_LENGTH = 48;
export const CLIENT_ID_PREFIX = 'md1';

/** MurmurHash3-style finalizer of one 32-bit lane. */
function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BASE32 = '0123456789abcdefghijklmnopqrstuv';

/** An unsigned 32-bit lane as 7 base-32 digits, zero-padded (what toString(32).padStart(7, '0') gives, faster). */
function lane(h: number): string {
  let out = '';
  for (let shift = 30; shift >= 0; shift -= 5) out += BASE32[Math.floor(h / 2 ** shift) % 32];
  return out;
}

/**
 * A 128-bit digest as 26 base-32 characters: four independently seeded 32-bit MurmurHash3-style hashes, computed in
 * one pass over the text (it runs once per follower order on the copy path).
 */
export function digest128(text: string): string {
  let a = 0x9747b28c;
  let b = 0x2c1b3c6d;
  let c = 0x297a2d39;
  let d = 0x7b9f4f1d;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b ^= k;
    b = (Math.imul((b << 13) | (b >>> 19), 5) + 0xe6546b64) | 0;
    c ^= k;
    c = (Math.imul((c << 13) | (c >>> 19), 5) + 0xe6546b64) | 0;
    d ^= k;
    d = (Math.imul((d << 13) | (d >>> 19), 5) + 0xe6546b64) | 0;
  }
  const n = text.length;
  return (lane(finish(a, n)) + lane(finish(b, n)) + lane(finish(c, n)) + lane(finish(d, n))).slice(0, 26);
}

/**
 * md1-<26-char digest of follower|source>-<attempt>: at most 37 characters for attempts below 10^6.
 * `source` is the leader execution id, or a repair/flatten key chosen by the engine.
 */
export function followerClientId(follower: AccountId, source: string, attempt: number): ClientOrderId {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`bad attempt ${attempt}`);
  const id = `${CLIENT_ID_PREFIX}-${digest128(`${follower}|${source}`)}-${attempt}`;
  if (id.length > MAX_CLIENT_ID_LENGTH) throw new RangeError('client id too long');
  return id as ClientOrderId;
}

export const isOurClientId = (id: string | undefined): boolean => !!id && id.startsWith(`${CLIENT_ID_PREFIX}-`);
