// Process guard for the headless CLI and the Electron main process. An unhandled promise rejection is logged with its
// stack and raised as a critical alert, and copying goes on (a forgotten catch must neither stop the copier silently
// nor kill it mid-copy). An uncaught exception is logged and alerted, the journal is flushed and closed, and the
// process exits 1: Node's state after one is undefined, and a restart rebuilds everything from the brokers.
import { redact } from '../brokers/shared/redact.js';
import type { Logger } from './logger.js';

/** The part of `process` the guard listens on. */
export interface ProcessEvents {
  on(event: 'unhandledRejection', fn: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', fn: (err: Error) => void): unknown;
}

export interface GuardDeps {
  readonly log: Pick<Logger, 'error'>;
  /** Raises the critical alert (journal, dashboard, notification). */
  readonly alert: (message: string) => void;
  /** Stops copying and closes the journal. */
  readonly close: () => Promise<void>;
  readonly exit: (code: number) => void;
  /** How long the close may take before the process exits anyway, ms. */
  readonly closeDeadlineMs?: number;
}

const describe = (reason: unknown): { message: string; stack: string } => {
  if (reason instanceof Error) return { message: `${reason.name}: ${reason.message}`, stack: reason.stack ?? reason.message };
  const text = typeof reason === 'string' ? reason : JSON.stringify(reason) ?? String(reason);
  return { message: text, stack: text };
};

/** Installs both handlers; returns nothing to undo (they live as long as the process). */
export function guardProcess(proc: ProcessEvents, deps: GuardDeps): void {
  const report = (what: string, reason: unknown, after: string): void => {
    const { message, stack } = describe(reason);
    deps.log.error(`${what}: ${redact(stack)}`);
    try {
      deps.alert(`Internal error (${what}): ${redact(message).slice(0, 300)}. ${after} The log has the details.`);
    } catch (err) {
      deps.log.error(`the alert for an ${what} could not be raised: ${redact(describe(err).message)}`);
    }
  };
  proc.on('unhandledRejection', (reason) => report('unhandled promise rejection', reason, 'Copying goes on.'));
  let exiting = false;
  proc.on('uncaughtException', (err) => {
    report('uncaught exception', err, 'Mirrordesk stops; start it again to resume.');
    if (exiting) return;
    exiting = true;
    const deadline = setTimeout(() => deps.exit(1), deps.closeDeadlineMs ?? 5_000);
    deadline.unref?.();
    deps
      .close()
      .catch((e: unknown) => deps.log.error(`closing after the uncaught exception failed: ${redact(describe(e).message)}`))
      .finally(() => {
        clearTimeout(deadline);
        deps.exit(1);
      });
  });
}
