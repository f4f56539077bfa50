// The contract's channel names alone (no zod): what the Electron preload allowlists and main registers.
export const INVOKE_CHANNEL_NAMES = [
  'workspace:snapshot',
  'workspace:start-demo',
  'workspace:leave-demo',
  'workspace:demo-burst',
  'engine:start',
  'engine:pause',
  'engine:resume',
  'engine:resume-preview',
  'engine:halt',
  'engine:reconcile',
  'breaker:reset',
  'followers:set-state',
  'accounts:add',
  'accounts:update',
  'accounts:remove',
  'accounts:test',
  'credentials:set',
  'credentials:delete',
  'credentials:protect',
  'links:add',
  'links:update',
  'links:remove',
  'links:preview',
  'sync:view',
  'sync:apply',
  'alerts:ack',
  'alerts:list',
  'copies:list',
  'copies:get',
  'copies:export-csv',
  'audit:list',
  'stats:counts',
  'stats:followers',
  'stats:day-pnl',
  'risk:status',
  'risk:set-guards',
  'risk:lock',
  'risk:unlock',
] as const;
export type InvokeChannel = (typeof INVOKE_CHANNEL_NAMES)[number];

export const EVENT_CHANNEL_NAMES = [
  'workspace:changed',
  'engine:state-changed',
  'copy:updated',
  'alerts:raised',
  'breaker:tripped',
  'breaker:cleared',
  'accounts:status-changed',
  'risk:changed',
] as const;
export type EventChannel = (typeof EVENT_CHANNEL_NAMES)[number];

const invokeSet: ReadonlySet<string> = new Set(INVOKE_CHANNEL_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_CHANNEL_NAMES);
export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && invokeSet.has(c);
export const isEventChannel = (c: unknown): c is EventChannel => typeof c === 'string' && eventSet.has(c);
