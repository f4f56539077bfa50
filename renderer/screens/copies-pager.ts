// Paged, cached access to copies:list for the virtualised Activity table: fetch only the pages in view, refresh on
// events. Offsets are pinned to a frame (`to` = just after the newest copy seen), so copies that arrive between two
// page loads never shift rows under the reader; a refresh moves to a new frame and reports how many rows it added.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CopiesQuery, CopyRow } from '../../core/contract/index.js';
import { query } from '../state/session.js';
import { firstReply } from '../state/transport.js';
import { PAGE_SIZE } from './first-screen.js';
export type CopyFilter = Pick<CopiesQuery, 'followerAccountId' | 'symbol' | 'status'>;

export interface Pager {
  total: number;
  /** Row at an absolute index, if its page is loaded. */
  row(i: number): CopyRow | undefined;
  /** Makes sure the pages covering [from, to) are loaded. */
  ensure(from: number, to: number): void;
  /** Moves to the newest frame and reloads the pages covering [from, to); resolves with the rows added on top. */
  refresh(from: number, to: number): Promise<number>;
  error: string | null;
  loaded: boolean;
}

interface Fetched {
  items: CopyRow[];
  total: number;
}

/** The frame bound after a first page: just after its newest copy (undefined when the rows carry no time). */
const frameAfter = (items: readonly CopyRow[]): number | undefined => {
  const t = items[0]?.createdAt;
  return t === undefined ? undefined : t + 1;
};

export function usePager(filter: CopyFilter): Pager {
  const [, bump] = useState(0);
  const pages = useRef(new Map<number, CopyRow[]>());
  const inflight = useRef(new Set<number>());
  const total = useRef(0);
  const frameTo = useRef<number | undefined>(undefined);
  const frameId = useRef(0);
  const gen = useRef(0);
  const [error, setError] = useState<string | null>(null);
  // The unfiltered first page may already be here from page load (state/early-link.ts): the first render shows rows.
  const seeded = useRef<boolean | null>(null);
  if (seeded.current === null) {
    const first = Object.keys(filter).length === 0 ? firstReply('copies:list', { limit: PAGE_SIZE, offset: 0 }) : undefined;
    seeded.current = first !== undefined;
    if (first) {
      pages.current.set(0, first.items);
      total.current = first.total;
      frameTo.current = frameAfter(first.items);
    }
  }
  const [loaded, setLoaded] = useState(() => seeded.current === true);
  const key = JSON.stringify(filter);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const fetchPage = useCallback(
    async (p: number, g: number, to: number | undefined): Promise<Fetched | null> => {
      const r = await query('copies:list', { ...filterRef.current, limit: PAGE_SIZE, offset: p * PAGE_SIZE, ...(to !== undefined ? { to } : {}) });
      if (g !== gen.current) return null;
      if (!r.ok) {
        setError(r.error.message);
        return null;
      }
      setError(null);
      return { items: r.value.items, total: r.value.total };
    },
    [key],
  );

  const load = useCallback(
    async (p: number) => {
      if (inflight.current.has(p)) return;
      inflight.current.add(p);
      const g = gen.current;
      const frame = frameId.current;
      const first = frameTo.current === undefined && p === 0;
      const res = await fetchPage(p, g, frameTo.current);
      inflight.current.delete(p);
      // A refresh moved to a newer frame meanwhile: these rows sit at old offsets.
      if (!res || frame !== frameId.current) return;
      if (first) {
        frameTo.current = frameAfter(res.items);
        total.current = res.total;
      }
      pages.current.set(p, res.items);
      setLoaded(true);
      bump((n) => n + 1);
    },
    [fetchPage],
  );

  useEffect(() => {
    if (seeded.current) {
      seeded.current = false;
      return;
    }
    gen.current++;
    pages.current = new Map();
    inflight.current = new Set();
    frameId.current++;
    total.current = 0;
    frameTo.current = undefined;
    setLoaded(false);
    void load(0);
  }, [load]);

  const pageRange = (from: number, to: number): number[] => {
    const first = Math.max(0, Math.floor(from / PAGE_SIZE));
    const last = Math.max(first, Math.floor(Math.max(from, to - 1) / PAGE_SIZE));
    return Array.from({ length: last - first + 1 }, (_, k) => first + k);
  };

  return {
    total: total.current,
    loaded,
    error,
    row: (i) => pages.current.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    ensure: (from, to) => {
      for (const p of pageRange(from, to)) if (!pages.current.has(p)) void load(p);
    },
    refresh: async (from, to) => {
      const g = gen.current;
      const head = await fetchPage(0, g, undefined);
      if (!head) return 0;
      const nextTo = frameAfter(head.items);
      const added = Math.max(0, head.total - total.current);
      // The caller keeps the reader's rows in place by scrolling down `added` rows: load the pages they will see.
      const wanted = pageRange(from + added, to + added).filter((p) => p !== 0);
      const rest = await Promise.all(wanted.map(async (p) => [p, await fetchPage(p, g, nextTo)] as const));
      if (g !== gen.current || rest.some(([, r]) => r === null)) return 0;
      const next = new Map<number, CopyRow[]>([[0, head.items]]);
      for (const [p, r] of rest) if (r) next.set(p, r.items);
      pages.current = next;
      frameTo.current = nextTo;
      frameId.current++;
      total.current = head.total;
      setLoaded(true);
      bump((n) => n + 1);
      return added;
    },
  };
}
