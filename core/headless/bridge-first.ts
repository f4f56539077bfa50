// The first screen's queries named in the WebSocket URL: parsed at the upgrade, run as soon as the session is
// admitted (read-only channels only), each answered once with the id `first:<index>`.
import { FIRST_QUERIES_PARAM, FIRST_QUERY_CHANNELS, FIRST_QUERY_ID_PREFIX, firstQueriesSchema, type ServerMessage } from '../contract/envelope.js';
import type { Dispatcher } from '../app/dispatcher.js';

export interface FirstQuery {
  readonly channel: string;
  readonly payload?: unknown;
}

/** The queries in the URL: none when the parameter is absent, null when it is malformed (the upgrade is refused). */
export function parseFirstQueries(url: URL): FirstQuery[] | null {
  const raw = url.searchParams.get(FIRST_QUERIES_PARAM);
  if (raw === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = firstQueriesSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Runs each query (all at once) and sends its result; a channel that is not a first-screen query gets an error. */
export function runFirstQueries(queries: readonly FirstQuery[], dispatcher: Dispatcher, actor: string, send: (m: ServerMessage) => void): void {
  queries.forEach((q, i) => {
    const id = `${FIRST_QUERY_ID_PREFIX}${i}`;
    if (!FIRST_QUERY_CHANNELS.includes(q.channel)) {
      const error = { code: 'invalid_request' as const, message: `${q.channel.slice(0, 60)} is not a first-screen query`, retryable: false };
      send({ type: 'result', id, result: { ok: false, error } });
      return;
    }
    void dispatcher.dispatch(q.channel, q.payload, actor).then((result) => send({ type: 'result', id, result }));
  });
}
