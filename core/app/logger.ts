// Logger: timestamped lines to the console and an append-only log file, with every known secret redacted (in any
// encoding, by the shared redaction every alert and adapter path uses).
import { appendFileSync } from 'node:fs';
import { redact, registerSecret } from '../brokers/shared/redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Registers a secret string: it is replaced by *** in every later line. */
  addSecret(secret: string): void;
}

export interface LoggerOptions {
  file?: string;
  /** Where console lines go; defaults to stderr so stdout stays for the CLI's own output. */
  write?: (line: string) => void;
  minLevel?: LogLevel;
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const min = RANK[opts.minLevel ?? 'info'];
  const now = opts.now ?? (() => new Date());
  const logger: Logger = {
    log(level, message) {
      if (RANK[level] < min) return;
      const line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${redact(message, [...secrets])}`;
      write(line);
      if (opts.file) appendFileSync(opts.file, `${line}\n`);
    },
    info: (m) => logger.log('info', m),
    warn: (m) => logger.log('warn', m),
    error: (m) => logger.log('error', m),
    addSecret(secret) {
      if (secret.length >= 4) secrets.add(secret);
      registerSecret(secret);
    },
  };
  return logger;
}
