// Write-behind queue for intent patches, intent events and follower fills: flushed in one transaction on the
// next macrotask, when it grows large, or on demand. A failed flush keeps every queued write for the next try.
import type BetterSqlite3 from 'better-sqlite3';
import type { IntentId } from '../domain/ids.js';
import type { FollowerFill, IntentPatch } from '../ports/journal.js';
import type { EventRecord } from './intent-insert.js';
import type { IntentRepo } from './intents.js';

export type StoredPatch = Omit<IntentPatch, 'raw'>;

export class WriteBehind {
  private patches = new Map<IntentId, StoredPatch>();
  private events: EventRecord[] = [];
  private fills: FollowerFill[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly flushTx: () => void;

  constructor(
    db: BetterSqlite3.Database,
    private readonly intents: IntentRepo,
    private readonly maxQueued: number,
    private readonly onBackgroundError: (err: Error) => void,
    /** The seq of an intent journaled by this process, if known: its patch finds the row by rowid. */
    private readonly seqOf: (id: IntentId) => number | undefined,
  ) {
    this.flushTx = db.transaction(() => {
      for (const [id, patch] of this.patches) this.intents.patch(id, patch, this.seqOf(id));
      this.intents.appendEvents(this.events);
      this.intents.insertFills(this.fills);
    });
  }

  get size(): number {
    return this.patches.size + this.events.length + this.fills.length;
  }

  /** True when a write for this intent is queued (so it is known to exist). */
  has(id: IntentId): boolean {
    return this.patches.has(id);
  }

  patch(id: IntentId, patch: StoredPatch, event: EventRecord | undefined): void {
    const merged: Record<string, unknown> = { ...this.patches.get(id) };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) merged[k] = v;
    this.patches.set(id, merged as StoredPatch);
    if (event) this.events.push(event);
    this.queued();
  }

  fill(fill: FollowerFill): void {
    this.fills.push(fill);
    this.queued();
  }

  /** Writes everything queued in one transaction; throws (keeping the queue) if the write fails. */
  flush(): void {
    this.cancel();
    if (this.size === 0) return;
    this.flushTx();
    this.patches = new Map();
    this.events = [];
    this.fills = [];
  }

  cancel(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  private queued(): void {
    if (this.size >= this.maxQueued) {
      this.flush();
      return;
    }
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      try {
        this.flush();
      } catch (err) {
        this.onBackgroundError(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
}
