// Deterministic follower client order ids: the same (follower, leader execution, attempt) always gives the same id.
import type { AccountId, ClientOrderId } from './ids.js';

/** Alpaca client_order_id allows 48 characters; ProjectX customTag has no documented limit, so 48 serves both. */
export const MAX_CLIENT_ID_LENGTH = 48;
export const CLIENT_ID_PREFIX = 'md1';

/** 32-bit MurmurHash3-style mix of a string with a seed (pure, fast, no node:crypto). */
function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 128-bit digest as 26 base-32 characters (four independently seeded 32-bit hashes). */
export function digest128(text: string): string {
  const seeds = [0x9747b28c, 0x2c1b3c6d, 0x297a2d39, 0x7b9f4f1d];
  return seeds.map((s) => hash32(text, s).toString(32).padStart(7, '0')).join('').slice(0, 26);
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
