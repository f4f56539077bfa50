// The bridge message envelope (WebSocket): auth, invoke with a request id, its result, pushed events.
import { z } from 'zod';
import { MAX_FIRST_QUERIES } from './bridge-address.js';
import { contractErrorSchema } from './result.js';

/** Largest accepted client message, bytes (a workspace import is the biggest legitimate one). */
export const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

const requestId = z.union([z.string().min(1).max(64), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(256) }).strict(),
  z.object({ type: z.literal('invoke'), id: requestId, channel: z.string().max(100), payload: z.unknown().optional() }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z
    .object({
      type: z.literal('result'),
      id: requestId,
      result: z.union([
        z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
        z.object({ ok: z.literal(false), error: contractErrorSchema }).strict(),
      ]),
    })
    .strict(),
  z.object({ type: z.literal('event'), channel: z.string(), payload: z.unknown() }).strict(),
  z.object({ type: z.literal('error'), error: contractErrorSchema }).strict(),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export { BRIDGE_WS_PATH, FIRST_QUERIES_PARAM, FIRST_QUERY_CHANNELS, FIRST_QUERY_ID_PREFIX, TOKEN_PARAM } from './bridge-address.js';

/** The first screen's queries carried in the WebSocket URL (see FIRST_QUERIES_PARAM). */
export const firstQueriesSchema = z.array(z.object({ channel: z.string().max(100), payload: z.unknown().optional() }).strict()).max(MAX_FIRST_QUERIES);
