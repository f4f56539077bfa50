// Workspace edits: pure functions from (workspace, request) to the next workspace, the accounts to reconnect and the
// audit entry. AppHost validates the whole result before anything is saved or audited.
import { accountConfigSchema, type AccountConfig, type AccountConfigInput } from '../domain/account-config.js';
import { ValidationError } from '../domain/errors.js';
import type { LinkId } from '../domain/ids.js';
import { defaultLinkId, linkConfigSchema, type LinkConfig, type LinkConfigInput, type WorkspaceConfig } from '../domain/workspace-config.js';

export interface Edit<T> {
  readonly next: WorkspaceConfig;
  /** Accounts whose adapters must be rebuilt. */
  readonly changedAccounts: readonly string[];
  readonly action: string;
  readonly details: Record<string, unknown>;
  readonly result: T;
}

export function requireAccount(ws: WorkspaceConfig, id: string): AccountConfig {
  const account = ws.accounts.find((a) => a.id === id);
  if (!account) throw new ValidationError('id', `no account "${id}"`);
  return account;
}

function requireLink(ws: WorkspaceConfig, id: LinkId): LinkConfig {
  const link = ws.links.find((l) => l.id === id);
  if (!link) throw new ValidationError('id', `no link "${id}"`);
  return link;
}

export function addAccount(ws: WorkspaceConfig, input: AccountConfigInput): Edit<AccountConfig> {
  const account = accountConfigSchema.parse(input);
  if (ws.accounts.some((a) => a.id === account.id)) throw new ValidationError('id', `an account "${account.id}" already exists`);
  return {
    next: { ...ws, accounts: [...ws.accounts, account] },
    changedAccounts: [account.id],
    action: 'account-add',
    details: { id: account.id, broker: account.broker, environment: account.environment },
    result: account,
  };
}

export function updateAccount(ws: WorkspaceConfig, id: string, patch: Partial<AccountConfigInput>): Edit<AccountConfig> {
  const current = requireAccount(ws, id);
  const account = accountConfigSchema.parse({ ...current, ...patch, id: current.id });
  return {
    next: { ...ws, accounts: ws.accounts.map((a) => (a.id === id ? account : a)) },
    changedAccounts: [id],
    action: 'account-update',
    details: { id, fields: Object.keys(patch) },
    result: account,
  };
}

export function removeAccount(ws: WorkspaceConfig, id: string): Edit<void> {
  requireAccount(ws, id);
  if (ws.links.some((l) => l.leader === id || l.follower === id)) {
    throw new ValidationError('id', `"${id}" is used by a link; remove the link first`);
  }
  return { next: { ...ws, accounts: ws.accounts.filter((a) => a.id !== id) }, changedAccounts: [id], action: 'account-remove', details: { id }, result: undefined };
}

export function addLink(ws: WorkspaceConfig, input: LinkConfigInput): Edit<LinkConfig> {
  const parsed = linkConfigSchema.parse(input);
  const link: LinkConfig = { ...parsed, id: parsed.id ?? defaultLinkId(parsed.leader, parsed.follower) };
  return { next: { ...ws, links: [...ws.links, link] }, changedAccounts: [], action: 'link-add', details: { id: link.id }, result: link };
}

export function updateLink(ws: WorkspaceConfig, id: LinkId, patch: Partial<LinkConfigInput>): Edit<LinkConfig> {
  const current = requireLink(ws, id);
  const merged = linkConfigSchema.parse({ ...JSON.parse(JSON.stringify(current)), ...patch, id, leader: current.leader, follower: current.follower });
  const link: LinkConfig = { ...merged, id };
  return {
    next: { ...ws, links: ws.links.map((l) => (l.id === id ? link : l)) },
    changedAccounts: [],
    action: 'link-update',
    details: { id, fields: Object.keys(patch) },
    result: link,
  };
}

export function removeLink(ws: WorkspaceConfig, id: LinkId): Edit<void> {
  requireLink(ws, id);
  return { next: { ...ws, links: ws.links.filter((l) => l.id !== id) }, changedAccounts: [], action: 'link-remove', details: { id }, result: undefined };
}
