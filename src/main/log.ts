// Logging with pino to $MIRA_HOME/logs/, with keys and tokens redacted by path and by pattern.
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

const SECRET_PATTERNS = [/sk-[A-Za-z0-9_-]{8,}/g, /(token=)[A-Za-z0-9_-]+/gi, /(Bearer\s+)[A-Za-z0-9._-]+/gi];
const known = new Set<string>();

/** Remembers a secret value so it is scrubbed from every later log line, whatever key it hides under. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value);
}

export function scrub(text: string): string {
  let out = text;
  for (const s of known) out = out.split(s).join('[redacted]');
  for (const re of SECRET_PATTERNS) out = out.replace(re, (_m, pre?: string) => (typeof pre === 'string' ? `${pre}[redacted]` : '[redacted]'));
  return out;
}

function scrubDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrub(v);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[k] = /key|token|secret|password|authorization/i.test(k) ? '[redacted]' : scrubDeep(x, depth + 1);
  }
  return out;
}

export function createLogger(home: string, name = 'mira'): Logger {
  const dir = path.join(home, 'logs');
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return pino({ enabled: false });
  }
  const dest = pino.destination({ dest: path.join(dir, `${name}.log`), sync: true, mkdir: true });
  return pino(
    {
      level: process.env.MIRA_LOG_LEVEL || 'info',
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubDeep(a)) as Parameters<typeof method>);
        },
      },
    },
    dest,
  );
}
