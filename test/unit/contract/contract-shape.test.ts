// Contract conventions: commands area:verb, events area:past-tense, every channel with schemas, names unique.
import { describe, expect, it } from 'vitest';
import { EVENTS, EVENT_CHANNEL_NAMES, INVOKE, INVOKE_CHANNEL_NAMES } from '../../../core/contract/index.js';

describe('contract shape', () => {
  it('names commands area:verb and events area:past-tense', () => {
    for (const c of INVOKE_CHANNEL_NAMES) expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const e of EVENT_CHANNEL_NAMES) expect(e).toMatch(/^[a-z]+:([a-z]+-)?([a-z]+ed)$/);
    expect(new Set([...INVOKE_CHANNEL_NAMES, ...EVENT_CHANNEL_NAMES]).size).toBe(INVOKE_CHANNEL_NAMES.length + EVENT_CHANNEL_NAMES.length);
  });

  it('gives every channel a request and response schema and every event a payload schema', () => {
    expect(Object.keys(INVOKE).sort()).toEqual([...INVOKE_CHANNEL_NAMES].sort());
    expect(Object.keys(EVENTS).sort()).toEqual([...EVENT_CHANNEL_NAMES].sort());
    for (const c of INVOKE_CHANNEL_NAMES) {
      expect(typeof INVOKE[c].request.safeParse).toBe('function');
      expect(typeof INVOKE[c].response.safeParse).toBe('function');
    }
  });

  it('never carries a secret back: no response or event schema has a credential field', () => {
    const text = JSON.stringify([Object.values(INVOKE).map((s) => s.response.toJSONSchema?.({ unrepresentable: 'any' })), Object.values(EVENTS).map((s) => s.toJSONSchema?.({ unrepresentable: 'any' }))]);
    for (const field of ['secretKey', 'apiKey', 'keyId', 'password', 'passphrase']) expect(text).not.toContain(field);
    expect(text).toContain('hasCredentials');
  });
});
