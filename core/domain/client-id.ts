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

/** The first 5 base-32 digits of an unsigned 32-bit lane written as 7 (2 bits, then 6 x 5 bits, zero-padded). */
const head5 = (h: number): string =>
  BASE32[h >>> 30]! + BASE32[(h >>> 25) & 31]! + BASE32[(h >>> 20) & 31]! + BASE32[(h >>> 15) & 31]! + BASE32[(h >>> 10) & 31]!;

/** An unsigned 32-bit lane as 7 base-32 digits, zero-padded (toString(32).padStart(7, '0'), without the division). */
const lane = (h: number): string => head5(h) + BASE32[(h >>> 5) & 31]! + BASE32[h & 31]!;

/** Four independently seeded 32-bit MurmurHash3-style lanes, moved over one text in one pass. */
class Lanes {
  a = 0x9747b28c;
  b = 0x2c1b3c6d;
  c = 0x297a2d39;
  d = 0x7b9f4f1d;
  length = 0;

  /** Mixes in the UTF-16 code units of text. */
  feed(text: string): void {
    let { a, b, c, d } = this;
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
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.length += text.length;
  }

  /** The 128-bit digest as 26 base-32 characters (the last lane gives 5 of its 7 digits). */
  digest(): string {
    const n = this.length;
    return lane(finish(this.a, n)) + lane(finish(this.b, n)) + lane(finish(this.c, n)) + head5(finish(this.d, n));
  }
}

/**
 * A 128-bit digest as 26 base-32 characters: four independently seeded 32-bit MurmurHash3-style hashes, computed in
 * one pass over the text (it runs once per follower order on the copy path).
 */
export function digest128(text: string): string {
  const lanes = new Lanes();
  lanes.feed(text);
  return lanes.digest();
}

/**
 * md1-<26-char digest of follower|source>-<attempt>: at most 37 characters for attempts below 10^6.
 * `source` is the leader execution id, or a repair/flatten key chosen by the engine.
 */
export function followerClientId(follower: AccountId, source: string, attempt: number): ClientOrderId {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`bad attempt ${attempt}`);
  // digest128(`${follower}|${source}`), without building the joined text.
  const lanes = new Lanes();
  lanes.feed(follower);
  lanes.feed('|');
  lanes.feed(source);
  const id = `${CLIENT_ID_PREFIX}-${lanes.digest()}-${attempt}`;
  if (id.length > MAX_CLIENT_ID_LENGTH) throw new RangeError('client id too long');
  return id as ClientOrderId;
}

export const isOurClientId = (id: string | undefined): boolean => !!id && id.startsWith(`${CLIENT_ID_PREFIX}-`);
