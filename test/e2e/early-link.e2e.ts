// The dashboard's early link without a browser (part of the dashboard suite): the socket opened at page load hands
// its backlog to the session in order, keeps the replies to the first screen's queries for one taker, and never hands
// out a reply that an event, a drop or a closed socket made unusable.
import { describe, expect, it } from 'vitest';
import { openEarlyLink, type EarlySocket } from '../../renderer/state/early-link.js';
import type { FirstQuery } from '../../renderer/screens/first-screen.js';

class FakeSocket {
  readyState = 1;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(): void {}
  close(): void {}
  receive(m: object): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

const QUERIES: FirstQuery[] = [
  { channel: 'risk:status', payload: undefined, staleOn: ['risk:changed'] },
  { channel: 'copies:list', payload: { limit: 100, offset: 0 }, staleOn: [] },
];
const risk = { ok: true, value: { accounts: [] } };
const copies = { ok: true, value: { items: [], total: 0 } };

function open() {
  const ws = new FakeSocket();
  const link = openEarlyLink(QUERIES, ws as unknown as EarlySocket);
  const seen: unknown[] = [];
  const adopt = async () => {
    link.socket.onmessage = (ev) => seen.push(JSON.parse(String(ev.data)));
    link.socket.onclose = () => seen.push('closed');
    link.adopt();
    await Promise.resolve();
  };
  return { ws, link, seen, adopt };
}

describe('early link', () => {
  it('replays what came before adoption in order, keeps the first replies out of it, and gives each reply once', async () => {
    const { ws, link, seen, adopt } = open();
    ws.receive({ type: 'ready' });
    ws.receive({ type: 'result', id: 'first:1', result: copies });
    ws.receive({ type: 'event', channel: 'workspace:changed', payload: { n: 1 } });
    ws.receive({ type: 'result', id: 'first:0', result: risk });
    expect(seen).toEqual([]);
    await adopt();
    expect(seen).toEqual([{ type: 'ready' }, { type: 'event', channel: 'workspace:changed', payload: { n: 1 } }]);
    ws.receive({ type: 'result', id: 7, result: risk });
    expect(seen).toHaveLength(3);
    // Same query whatever the key order; a different page is not it.
    expect(link.take('copies:list', { limit: 100, offset: 100 })).toBeUndefined();
    await expect(link.take('copies:list', { offset: 0, limit: 100 })).resolves.toEqual(copies);
    expect(link.take('copies:list', { limit: 100, offset: 0 })).toBeUndefined();
    expect(link.peek('risk:status', undefined)).toEqual({ raw: risk });
    expect(link.take('risk:status', undefined)).toBeUndefined();
  });

  it('drops a reply that an event named in staleOn followed, and every reply on drop()', async () => {
    const { ws, link, seen, adopt } = open();
    await adopt();
    ws.receive({ type: 'ready' });
    ws.receive({ type: 'result', id: 'first:0', result: risk });
    ws.receive({ type: 'event', channel: 'risk:changed', payload: {} });
    expect(seen).toContainEqual({ type: 'event', channel: 'risk:changed', payload: {} });
    expect(link.take('risk:status', undefined)).toBeUndefined();
    ws.receive({ type: 'event', channel: 'copy:updated', payload: {} });
    link.drop();
    ws.receive({ type: 'result', id: 'first:1', result: copies });
    expect(link.take('copies:list', { limit: 100, offset: 0 })).toBeUndefined();
    expect(seen.some((m) => (m as { id?: unknown }).id === 'first:1')).toBe(false);
  });

  it('peeks only at a reply that is already here; a close rejects the one still due and reaches the session', async () => {
    const { ws, link, seen, adopt } = open();
    await adopt();
    expect(link.peek('copies:list', { limit: 100, offset: 0 })).toBeUndefined();
    const due = link.take('copies:list', { limit: 100, offset: 0 });
    expect(due).toBeDefined();
    ws.onclose?.({});
    await expect(due).rejects.toThrow('connection closed');
    expect(seen).toEqual(['closed']);
    expect(link.take('risk:status', undefined)).toBeUndefined();
  });
});
