// CommandQueue: runs the AppHost's commands one at a time, in the order they were asked for. A command that fails
// rejects its own caller only; the next one still runs.
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `fn` after every command queued before it has finished. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(fn).finally(() => this.pending--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Commands queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every command queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
