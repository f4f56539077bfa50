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

/** Character codes of the base-32 digits 0-9a-v. */
const BASE32 = Array.from('0123456789abcdefghijklmnopqrstuv', (c) => c.charCodeAt(0));

/** Digit i (0 = most significant) of an unsigned 32-bit lane written as 7 base-32 digits: 2 bits, then 6 x 5 bits. */
const digit = (h: number, i: number): number => BASE32[i === 0 ? h >>> 30 : (h >>> (30 - 5 * i)) & 31]!;

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
    const a = finish(this.a, n);
    const b = finish(this.b, n);
    const c = finish(this.c, n);
    const d = finish(this.d, n);
    // One string built from its 26 character codes, instead of joining one-character strings (an allocation each).
    return String.fromCharCode(
      digit(a, 0), digit(a, 1), digit(a, 2), digit(a, 3), digit(a, 4), digit(a, 5), digit(a, 6),
      digit(b, 0), digit(b, 1), digit(b, 2), digit(b, 3), digit(b, 4), digit(b, 5), digit(b, 6),
      digit(c, 0), digit(c, 1), digit(c, 2), digit(c, 3), digit(c, 4), digit(c, 5), digit(c, 6),
      digit(d, 0), digit(d, 1), digit(d, 2), digit(d, 3), digit(d, 4),
    );
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
