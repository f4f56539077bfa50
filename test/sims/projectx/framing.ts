// SignalR JSON hub protocol text framing: records terminated by 0x1E, several per frame, split across frames.
export const RS = '\x1e';

export const frame = (records: readonly unknown[]): string => records.map((r) => JSON.stringify(r) + RS).join('');

/** Accumulates text frames and yields complete records; a partial trailing record waits for the next frame. */
export class RecordReader {
  private buffer = '';

  push(chunk: string): string[] {
    this.buffer += chunk;
    const parts = this.buffer.split(RS);
    this.buffer = parts.pop() ?? '';
    return parts.filter((p) => p.length > 0);
  }
}
