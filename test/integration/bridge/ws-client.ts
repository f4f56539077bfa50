// A small test client for the bridge: connects with chosen headers, records messages, waits for one by predicate.
import WebSocket from 'ws';

export interface TestClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the first recorded or future message matching `pred`. */
  next(pred: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  invoke(channel: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

let ids = 1;

/** Resolves once open, or rejects with the HTTP status the upgrade was refused with. */
export function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  const waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: TestClient = {
    ws,
    messages,
    closed,
    next(pred) {
      const found = messages.find(pred);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    async invoke(channel, payload) {
      const id = ids++;
      ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      const m = await client.next((x) => x.type === 'result' && x.id === id);
      return m.result as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export const wsUrl = (httpUrl: string, mutate?: (u: URL) => void): string => {
  const u = new URL(httpUrl);
  u.protocol = 'ws:';
  u.pathname = '/ws';
  mutate?.(u);
  return u.toString();
};
