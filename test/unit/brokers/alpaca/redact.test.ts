// Secret redaction (issue 10 #14): after every decoding step and before truncation, in one place.
import { describe, expect, it } from 'vitest';
import { httpError } from '../../../../core/brokers/alpaca/errors.js';
import { holdsSecret, redact, redactValue } from '../../../../core/brokers/shared/redact.js';

/** Every printable ASCII character, in an order of our own, never starting or ending with a space. */
const SECRET = 'Zq' + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + ((i * 37) % 95))).join('') + 'x9';
/** Every 8-character run of the secret: none may appear anywhere. */
const runs = (s: string) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8));
const leaks = (text: string) => runs(SECRET).filter((r) => text.includes(r) || text.includes(JSON.stringify(r).slice(1, -1)));
const uEscape = (s: string) => [...s].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');

describe('redaction', () => {
  it('issue 10 #14: an error body escaping + / & = as \\uXXXX does not carry the secret into the error', () => {
    const body = `{"code":40310000,"message":"denied for ${uEscape(SECRET)}"}`;
    const err = httpError('POST', '/v2/orders', 403, body, { secrets: [SECRET] });
    expect(leaks(err.message)).toEqual([]);
    expect(leaks(JSON.stringify(err.raw))).toEqual([]);
    expect(err.message).toMatch(/denied for \*\*\*/);
  });

  it('issue 10 #14: a truncated sample never holds part of a secret (redacted before truncation)', () => {
    const frame = `{"stream":"trade_updates","data":{"note":"${SECRET.slice(0, 60)}`;
    expect(leaks(redact(frame, [SECRET]).slice(0, 120))).toEqual([]);
  });

  it('issue 10 #14: URL, form, HTML and double JSON encodings are decoded before masking', () => {
    for (const encoded of [
      encodeURIComponent(SECRET),
      new URLSearchParams({ k: SECRET }).toString(),
      [...SECRET].map((c) => `&#${c.charCodeAt(0)};`).join(''),
      JSON.stringify(JSON.stringify(SECRET)),
    ]) {
      expect(leaks(redact(`before ${encoded} after`, [SECRET])), encoded).toEqual([]);
    }
    const plain = 'nothing secret here: AAPL +100 @ 1.5, 50%25 &amp; \\u0041 Ctrl+C';
    expect(redact(plain, [SECRET])).toBe(plain);
  });

  it('redacts keys and values of parsed bodies and leaves class instances alone', () => {
    const when = new Date(0);
    const out = redactValue({ [SECRET]: [SECRET, 1, { when }] }, [SECRET]);
    expect(leaks(JSON.stringify(out))).toEqual([]);
    expect(Object.values(out)[0]![2]).toEqual({ when });
  });

  it('holdsSecret answers exactly when redact would mask something, in every encoding and for partial runs', () => {
    const short = 'k3Y!';
    const texts = [
      'nothing secret here: AAPL +100 @ 1.5, 50%25 &amp; \\u0041 Ctrl+C',
      `{"id":"${SECRET}"}`,
      `{"id":"${uEscape(SECRET)}"}`,
      `before ${encodeURIComponent(SECRET)} after`,
      new URLSearchParams({ k: SECRET.slice(20, 29) }).toString(),
      [...SECRET.slice(5, 14)].map((c) => `&#${c.charCodeAt(0)};`).join(''),
      JSON.stringify(JSON.stringify(SECRET.slice(40, 48))),
      `cut ${SECRET.slice(0, 7)} short of a run`,
      `cut ${SECRET.slice(30, 38)} exactly a run`,
      `a short secret ${short} whole`,
      `a short secret ${short.slice(0, 3)} in part`,
      encodeURIComponent(encodeURIComponent(short)),
    ];
    for (const text of texts) expect(holdsSecret(text, [SECRET, short]), text).toBe(redact(text, [SECRET, short]) !== text);
    expect(texts.filter((t) => holdsSecret(t, [SECRET, short]))).toHaveLength(texts.length - 3);
  });

  it('finds a run at every offset and for every secret length (runs are looked up by sampled pieces)', () => {
    for (let len = 4; len <= 13; len++) {
      const secret = 'Kq7#Zp2!Wm9$Xr4%'.slice(0, len);
      const width = Math.min(8, len);
      for (let at = 0; at <= 12; at++) {
        for (let from = 0; from + width <= len; from++) {
          const text = '~'.repeat(at) + secret.slice(from, from + width) + '~'.repeat(12 - at);
          expect(holdsSecret(text, [secret]), `${len}/${at}/${from}`).toBe(true);
          expect(redact(text, [secret]), `${len}/${at}/${from}`).toBe(`${'~'.repeat(at)}***${'~'.repeat(12 - at)}`);
        }
        const short = '~'.repeat(at) + secret.slice(0, width - 1) + '~'.repeat(12 - at);
        expect(holdsSecret(short, [secret]), `${len}/${at} short`).toBe(false);
      }
    }
  });
});
