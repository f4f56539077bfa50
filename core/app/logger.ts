// Logger: timestamped lines to the console and a size-rotated log file, with every known secret redacted (in any
// encoding, by the shared redaction every alert and adapter path uses).
import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { redact, registerSecret } from '../brokers/shared/redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Registers a secret string: it is replaced by *** in every later line. */
  addSecret(secret: string): void;
  /** Writes a line to the log file only (what the console already shows another way: copies); absent in fakes. */
  toFile?(level: LogLevel, message: string): void;
}

export interface LoggerOptions {
  file?: string;
  /** Where console lines go; defaults to stderr so stdout stays for the CLI's own output. */
  write?: (line: string) => void;
  minLevel?: LogLevel;
  now?: () => Date;
  /** The file is rotated (file -> file.1 -> file.2 ...) when a line would take it past this size; 10 MB by default. */
  maxFileBytes?: number;
  /** Rotated files kept besides the current one; 3 by default. */
  keepFiles?: number;
}

/** Bytes in each log file as this process last saw it, shared by every logger writing that file. */
const fileSizes = new Map<string, number>();

function appendRotated(file: string, text: string, maxBytes: number, keep: number): void {
  const bytes = Buffer.byteLength(text);
  let size = fileSizes.get(file) ?? (existsSync(file) ? statSync(file).size : 0);
  if (size > 0 && size + bytes > maxBytes) {
    for (let n = keep - 1; n >= 1; n--) if (existsSync(`${file}.${n}`)) renameSync(`${file}.${n}`, `${file}.${n + 1}`);
    if (keep > 0) renameSync(file, `${file}.1`);
    size = 0;
  }
  appendFileSync(file, text);
  fileSizes.set(file, size + bytes);
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const min = RANK[opts.minLevel ?? 'info'];
  const now = opts.now ?? (() => new Date());
  const format = (level: LogLevel, message: string) => `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${redact(message, [...secrets])}`;
  const toFile = (line: string) => {
    if (opts.file) appendRotated(opts.file, `${line}\n`, opts.maxFileBytes ?? 10 * 1024 * 1024, opts.keepFiles ?? 3);
  };
  const logger: Logger = {
    log(level, message) {
      if (RANK[level] < min) return;
      const line = format(level, message);
      write(line);
      toFile(line);
    },
    toFile(level, message) {
      if (RANK[level] >= min) toFile(format(level, message));
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
