// Where the bridge WebSocket lives and how the token rides in its URL (no schemas: the dashboard opens the socket
// with these before its contract schemas are built).

/** Query parameter carrying the token in the WebSocket URL (alternative: a first `auth` message). */
export const TOKEN_PARAM = 'token';
/** Path of the WebSocket endpoint on the bridge. */
export const BRIDGE_WS_PATH = '/ws';

/**
 * Query parameter of the WebSocket URL naming the first screen's queries, a JSON array of {channel, payload}: the
 * bridge runs them as soon as it accepts the connection and sends each result with the id `first:<index>`, so the
 * page need not wait for its own scripts to ask. Only the read-only queries below are run.
 */
export const FIRST_QUERIES_PARAM = 'first';
export const FIRST_QUERY_ID_PREFIX = 'first:';
export const FIRST_QUERY_CHANNELS: readonly string[] = ['workspace:snapshot', 'risk:status', 'copies:list'];
export const MAX_FIRST_QUERIES = 8;
