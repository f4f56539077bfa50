// Link holds: how links a person just added start (until they arm) and the follower symbols a 'new_only' start or
// resume leaves as they are (until the leader trades them again). Journaled as they change, loaded when the engine is
// built, so a restart keeps the person's choice instead of copying or repairing what they chose to leave.
import type { LinkId } from '../../domain/ids.js';
import type { Journal, LinkStartRecord } from '../../ports/journal.js';

export type LinkStartChoice = LinkStartRecord['start'];
export type ConfirmedOrders = NonNullable<LinkStartRecord['orders']>;

const key = (linkId: string, symbol: string): string => `${linkId}\u0000${symbol}`;

export class LinkHolds {
  private readonly starts = new Map<string, LinkStartRecord>();
  private readonly alone = new Map<string, { readonly linkId: LinkId; readonly symbol: string }>();

  constructor(private readonly journal: Journal) {
    for (const s of journal.linkStarts()) this.starts.set(s.linkId, s);
    for (const r of journal.leftAlone()) this.alone.set(key(r.linkId, r.symbol), r);
  }

  /** How a link that has not armed yet starts, if a person chose. */
  startOf(linkId: string): LinkStartChoice | undefined {
    return this.starts.get(linkId)?.start;
  }

  /** Records a new link's start (journaled first: a failed write changes nothing). */
  requestStart(linkId: LinkId, start: LinkStartChoice, orders?: ConfirmedOrders): void {
    const record: LinkStartRecord = { linkId, start, ...(orders ? { orders } : {}) };
    this.journal.saveLinkStart(record);
    this.starts.set(linkId, record);
  }

  /** The start of a link that armed, taken off the journal: it applies once. */
  takeStart(linkId: string): LinkStartRecord | undefined {
    const s = this.starts.get(linkId);
    if (!s) return undefined;
    this.journal.deleteLinkStart(s.linkId);
    this.starts.delete(linkId);
    return s;
  }

  leaveAlone(linkId: LinkId, symbol: string): void {
    const k = key(linkId, symbol);
    if (this.alone.has(k)) return;
    this.journal.saveLeftAlone({ linkId, symbol });
    this.alone.set(k, { linkId, symbol });
  }

  /** True while the link is starting or a 'new_only' choice leaves this follower symbol as it is. */
  isLeftAlone(linkId: string, symbol: string): boolean {
    return this.starts.has(linkId) || this.alone.has(key(linkId, symbol));
  }

  get anyLeftAlone(): boolean {
    return this.alone.size > 0;
  }

  /** The leader traded the symbol: the follower symbol is back in line. */
  release(linkId: string, symbol: string): void {
    const r = this.alone.get(key(linkId, symbol));
    if (!r) return;
    this.journal.deleteLeftAlone(r);
    this.alone.delete(key(linkId, symbol));
  }

  /** A removed link takes its holds with it (a link added later under the same id starts clean). */
  forget(linkId: LinkId): void {
    this.takeStart(linkId);
    for (const [k, r] of [...this.alone]) {
      if (r.linkId !== linkId) continue;
      this.journal.deleteLeftAlone(r);
      this.alone.delete(k);
    }
  }
}
