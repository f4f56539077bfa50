// Secret redaction, in one place for every adapter, logger and alert path: decode every layer a server may have used
// (JSON \uXXXX escapes, HTML entities, URL/form encoding), mask after each step, and only then let callers truncate.
// A run of 8 or more consecutive characters of a secret is masked too (a truncated frame may hold half a secret).

/** Secrets known to the process (credentials as they are loaded); every redaction masks them. */
const registry = new Set<string>();

/** Shortest secret masked at all; shorter strings would mask ordinary words. */
const MIN_SECRET = 4;
/** Any run this long of a secret's characters is masked (the secret's own length when shorter). */
const RUN = 8;
const MASK = '***';
/** Decoding rounds at most (a body escaped twice is decoded twice). */
const ROUNDS = 4;

export function registerSecret(secret: string): void {
  if (secret.length < MIN_SECRET || registry.has(secret)) return;
  registry.add(secret);
  listCache.clear();
}

/** The registry plus `extra`, one array per distinct extra list (the lists in use are few; rebuilt on registration). */
const listCache = new Map<string, string[]>();

function secretsWith(extra: readonly string[]): string[] {
  const key = extra.join('\u0000');
  let list = listCache.get(key);
  if (list) return list;
  const all = new Set(registry);
  for (const s of extra) if (s.length >= MIN_SECRET) all.add(s);
  list = [...all];
  if (listCache.size >= 256) listCache.delete(listCache.keys().next().value!);
  listCache.set(key, list);
  return list;
}

/**
 * Runs are found by sampling: every run of width w holds a 4-character piece starting at a multiple of (w - 3), so
 * only those pieces of the text are looked up (a bit filter of the secrets' pieces), and only around a hit is a window
 * compared with the runs themselves. Exact: every run is found, nothing else is.
 */
const PIECE = 4;
const FILTER_BITS = 16;

/** A 16-bit index for the 4 characters at i (MIN_SECRET is 4, so every secret has pieces). */
const pieceAt = (t: string, i: number): number =>
  Math.imul((t.charCodeAt(i) << 24) ^ (t.charCodeAt(i + 1) << 16) ^ (t.charCodeAt(i + 2) << 8) ^ t.charCodeAt(i + 3), 0x9e3779b1) >>> (32 - FILTER_BITS);

interface Runs {
  readonly runs: Set<string>;
  /** One bit per piece index of every run's pieces. */
  readonly pieces: Uint32Array;
}

const hasPiece = (f: Uint32Array, k: number): boolean => (f[k >>> 5]! & (1 << (k & 31))) !== 0;

/** The runs of each secret list, grouped by width (built once per list). */
const runCache = new WeakMap<readonly string[], Map<number, Runs>>();

function runsOf(secrets: readonly string[]): Map<number, Runs> {
  let byWidth = runCache.get(secrets);
  if (byWidth) return byWidth;
  byWidth = new Map();
  for (const s of secrets) {
    const w = Math.min(RUN, s.length);
    let r = byWidth.get(w);
    if (!r) byWidth.set(w, (r = { runs: new Set(), pieces: new Uint32Array((1 << FILTER_BITS) / 32) }));
    for (let i = 0; i + w <= s.length; i++) r.runs.add(s.slice(i, i + w));
    for (let i = 0; i + PIECE <= s.length; i++) {
      const k = pieceAt(s, i);
      r.pieces[k >>> 5]! |= 1 << (k & 31);
    }
  }
  runCache.set(secrets, byWidth);
  return byWidth;
}

/**
 * Calls found(i, width) for every window of the text that is a run of a secret (a window may be reported twice);
 * stops at the first when found returns true. A whole secret contains its runs, so it is found too.
 */
function scanRuns(text: string, secrets: readonly string[], found: (at: number, width: number) => boolean | void): boolean {
  for (const [w, { runs, pieces }] of runsOf(secrets)) {
    const stride = w - PIECE + 1;
    const last = text.length - w;
    for (let p = 0; p + PIECE <= text.length; p += stride) {
      if (!hasPiece(pieces, pieceAt(text, p))) continue;
      // the windows of width w that hold the piece at p
      for (let i = Math.max(0, p + PIECE - w); i <= p && i <= last; i++) {
        if (runs.has(text.slice(i, i + w)) && found(i, w) === true) return true;
      }
    }
  }
  return false;
}

const holdsRun = (text: string, secrets: readonly string[]): boolean => scanRuns(text, secrets, () => true);

/** Masks whole secrets and every run of RUN characters taken from one (one pass per run length); hit = masked any. */
function mask(text: string, secrets: readonly string[]): { out: string; hit: boolean } {
  let out = text;
  let whole = false;
  for (const s of secrets) {
    if (out.includes(s)) {
      out = out.split(s).join(MASK);
      whole = true;
    }
  }
  let marks: Uint8Array | undefined;
  scanRuns(out, secrets, (i, w) => void (marks ??= new Uint8Array(out.length)).fill(1, i, i + w));
  if (!marks) return { out, hit: whole };
  let res = '';
  for (let i = 0; i < out.length; i++) {
    if (!marks[i]) res += out[i];
    else if (i === 0 || !marks[i - 1]) res += MASK;
  }
  return { out: res, hit: true };
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const jsonUnescape = (t: string): string =>
  t
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(["\\/bfnrt])/g, (_m, c: string) => JSON_ESCAPES[c] ?? c);

const HTML_NAMED = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['#39', "'"]]);

const htmlUnescape = (t: string): string =>
  t.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+|#39);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16) % 0x110000);
    if (e.startsWith('#') && e !== '#39') return String.fromCodePoint(Number(e.slice(1)) % 0x110000);
    return HTML_NAMED.get(e) ?? m;
  });

/** Form decoding: + is a space, %XX a byte (runs of bytes decoded as UTF-8; undecodable runs left as they are). */
const formDecode = (t: string): string =>
  t.replace(/\+/g, ' ').replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });

const DECODERS = [jsonUnescape, htmlUnescape, formDecode];
/** Text without any of these characters is left as it is by every decoder. */
const ENCODED = /[\\&%+]/;

function scrub(text: string, secrets: readonly string[]): { out: string; hit: boolean } {
  let { out, hit } = mask(text, secrets);
  for (let round = 0; round < ROUNDS && ENCODED.test(out); round++) {
    let changed = false;
    for (const decode of DECODERS) {
      const next = decode(out);
      if (next !== out) {
        changed = true;
        const m = mask(next, secrets);
        out = m.out;
        hit ||= m.hit;
      }
    }
    if (!changed) break;
  }
  return { out, hit };
}

/**
 * The text with every known secret (and `extra` ones) masked, after every decoding step; truncate only after this.
 * Text that holds no secret in any encoding comes back unchanged; text that does comes back decoded and masked.
 */
export function redact(text: string, extra: readonly string[] = []): string {
  const secrets = secretsWith(extra);
  if (secrets.length === 0 || text.length === 0) return text;
  const { out, hit } = scrub(text, secrets);
  return hit ? out : text;
}

/**
 * Bearer tokens and access_token query parameters masked by their shape, known or not (a session token is fetched at
 * run time and may not be registered yet when a hub URL or an auth header lands in an error message).
 */
export function maskTokens(text: string): string {
  return text.replace(/access_token=[^&\s'"]+/g, 'access_token=***').replace(/Bearer \S+/g, 'Bearer ***');
}

/** Above this size only the plain and JSON-escaped forms are looked for (a full scan would stall the event loop). */
const FULL_SCAN_MAX = 65_536;

/** True when the text holds a secret in any encoding (the check before redacting a whole parsed structure). */
export function holdsSecret(text: string, extra: readonly string[] = []): boolean {
  const secrets = secretsWith(extra);
  if (secrets.length === 0 || text.length === 0) return false;
  if (text.length > FULL_SCAN_MAX) return secrets.some((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
  // scrub(text).hit without building masked copies: the same decoding steps, each form scanned for a run, stopping at
  // the first (until a hit, scrub's masked text is the decoded text itself).
  let out = text;
  if (holdsRun(out, secrets)) return true;
  for (let round = 0; round < ROUNDS && ENCODED.test(out); round++) {
    let changed = false;
    for (const decode of DECODERS) {
      const next = decode(out);
      if (next === out) continue;
      if (holdsRun(next, secrets)) return true;
      changed = true;
      out = next;
    }
    if (!changed) break;
  }
  return false;
}

const isPlain = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A copy of a JSON-like value with every string (keys too) redacted; class instances (decimals) are kept as they are. */
export function redactValue<T>(value: T, extra: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, extra);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && isPlain(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        Object.defineProperty(out, redact(k, extra), { value: walk(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
