// A pool of worker threads that parse files in parallel, with an in-thread fallback when workers cannot start or die.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedFile } from './model';
import { parseFile, type ParseOptions } from './parse';

export interface ParseInput {
  path: string;
  language: string;
  text: string;
}

export interface ParseJob {
  id: number;
  files: ParseInput[];
  opts: ParseOptions;
}

export interface ParseReply {
  id: number;
  results: ParsedFile[];
}

export interface ParsePoolOptions {
  /** Worker count; default: one per core (at most 8). 0 parses in the calling thread. */
  size?: number;
  /** Below this many files a batch is parsed in-thread: starting workers costs more than it saves. */
  minFiles?: number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** The calling thread parses too while workers start (default true); false leaves the work to the workers. */
  shareWork?: boolean;
  /** How to start a worker (tests inject broken ones); default: the parse-worker entry. */
  spawn?: () => Worker | null;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  job: ParseJob | null;
  done: ((r: ParsedFile[]) => void) | null;
  fail: ((e: Error) => void) | null;
}

const JOB_FILES = 24;
const JOB_CHARS = 400_000;
const START_TIMEOUT_MS = 30_000;
const JOB_TIMEOUT_MS = 120_000;

/**
 * How a worker is started. Under tsx (the CLI from source, vitest) the worker is the .ts file, loaded through tsx's
 * loader registered inside the worker (`--import tsx` in execArgv is not honoured by Node 20 workers). In a build, the
 * bundler emits parse-worker.js next to this module (keep it a separate entry).
 */
function spawn(): Worker | null {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(here)) {
    const target = new URL('./parse-worker.ts', here).href;
    const tsx = resolveTsx();
    if (!tsx) return null;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
    return new Worker(boot, { eval: true });
  }
  // The bundle may put this module in a chunk folder below the entries: look next to it, then one level up.
  for (const rel of ['./parse-worker.js', './parse-worker.mjs', '../parse-worker.js', '../parse-worker.mjs']) {
    const built = new URL(rel, here);
    if (fs.existsSync(fileURLToPath(built))) return new Worker(built);
  }
  return null;
}

function resolveTsx(): string | null {
  try {
    const r = (import.meta as ImportMeta & { resolve?: (s: string) => string }).resolve;
    if (typeof r === 'function') return r('tsx/esm/api');
  } catch {
    /* fall through to require.resolve */
  }
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  } catch {
    return null;
  }
}

export class ParsePool {
  private slots: Slot[] = [];
  private starting: Promise<void> | null = null;
  private broken = false;
  private nextId = 1;
  readonly size: number;
  private readonly minFiles: number;

  constructor(private readonly opts: ParsePoolOptions = {}) {
    this.size = opts.size ?? Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
    this.minFiles = opts.minFiles ?? 24;
  }

  /** Whether the last parse used workers (for logs and the benchmark). */
  usedWorkers = false;

  /**
   * Parses files, in order of the input. The calling thread starts on the work at once while the workers boot
   * (starting one costs a few hundred milliseconds); workers join as they become ready and take jobs from the same
   * queue. A small batch is therefore done before any worker would have helped, and a large one uses every core.
   */
  async parseAll(files: ParseInput[], opts: ParseOptions = {}): Promise<ParsedFile[]> {
    this.usedWorkers = false;
    if (!files.length) return [];
    if (this.size === 0 || this.broken || files.length < this.minFiles) return this.inThread(files, opts);
    const jobs: ParseJob[] = chunk(files).map((f) => ({ id: this.nextId++, files: f, opts }));
    const queue = [...jobs];
    const results = new Map<number, ParsedFile[]>();
    const starting = this.start();
    const workerLoops = (async () => {
      await starting;
      const slots = [...this.slots];
      for (const s of slots) s.worker.ref();
      try {
        await Promise.all(
          slots.map(async (slot) => {
            while (queue.length && this.slots.includes(slot)) {
              const job = queue.shift()!;
              try {
                results.set(job.id, await this.run(slot, job));
                this.usedWorkers = true;
              } catch (e) {
                // The worker died on this job (a crash in the wasm runtime): parse it here, and go on without that worker.
                this.opts.log?.('parse worker failed; parsing its files in-thread', { error: (e as Error).message });
                this.drop(slot);
                results.set(job.id, await this.inThread(job.files, opts));
              }
            }
          }),
        );
      } finally {
        for (const s of slots) s.worker.unref();
      }
    })();
    if (this.opts.shareWork === false) await workerLoops;
    // This thread takes jobs too, one file at a time so worker replies are handled in between (and all of them when no
    // worker could start).
    while (queue.length) {
      const job = queue.shift()!;
      const out: ParsedFile[] = [];
      for (const f of job.files) {
        out.push(await parseFile(f.path, f.language, f.text, opts));
        await new Promise<void>((r) => setImmediate(r));
      }
      results.set(job.id, out);
    }
    await workerLoops;
    return jobs.flatMap((j) => results.get(j.id) ?? []);
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    this.starting = null;
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private async inThread(files: ParseInput[], opts: ParseOptions): Promise<ParsedFile[]> {
    const out: ParsedFile[] = [];
    for (const f of files) out.push(await parseFile(f.path, f.language, f.text, opts));
    return out;
  }

  private start(): Promise<void> {
    if (this.slots.length) return Promise.resolve();
    this.starting ??= (async () => {
      const started: Promise<Slot | null>[] = [];
      for (let i = 0; i < this.size; i++) started.push(this.startOne());
      const slots = (await Promise.all(started)).filter((s): s is Slot => s !== null);
      if (!slots.length) {
        this.broken = true;
        this.opts.log?.('parse workers unavailable; parsing in-thread');
      }
      this.slots = slots;
    })().finally(() => (this.starting = null));
    return this.starting;
  }

  private startOne(): Promise<Slot | null> {
    return new Promise((resolve) => {
      let worker: Worker | null;
      try {
        worker = (this.opts.spawn ?? spawn)();
      } catch (e) {
        this.opts.log?.('cannot start a parse worker', { error: (e as Error).message });
        return resolve(null);
      }
      if (!worker) return resolve(null);
      const w = worker;
      const slot: Slot = { worker: w, busy: false, job: null, done: null, fail: null };
      const timer = setTimeout(() => {
        void w.terminate();
        resolve(null);
      }, START_TIMEOUT_MS);
      timer.unref();
      const onFirst = (m: unknown) => {
        if ((m as { ready?: boolean })?.ready) {
          clearTimeout(timer);
          w.off('message', onFirst);
          w.on('message', (reply: ParseReply) => {
            const done = slot.done;
            slot.busy = false;
            slot.job = null;
            slot.done = slot.fail = null;
            done?.(reply.results);
          });
          w.unref();
          resolve(slot);
        }
      };
      w.on('message', onFirst);
      w.on('error', (e) => {
        clearTimeout(timer);
        const fail = slot.fail;
        slot.done = slot.fail = null;
        if (fail) fail(e);
        else resolve(null);
        this.drop(slot);
      });
      w.on('exit', (code) => {
        const fail = slot.fail;
        slot.done = slot.fail = null;
        if (fail) fail(new Error(`parse worker exited with code ${code}`));
        this.drop(slot);
      });
    });
  }

  private run(slot: Slot, job: ParseJob): Promise<ParsedFile[]> {
    return new Promise((resolve, reject) => {
      // Each file's parse has its own deadline; this only catches a worker that stopped answering altogether.
      const timer = setTimeout(() => reject(new Error('parse worker stopped answering')), JOB_TIMEOUT_MS);
      slot.busy = true;
      slot.job = job;
      slot.done = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      slot.fail = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      slot.worker.postMessage(job);
    });
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate().catch(() => 0);
  }
}

/** Splits files into jobs of bounded size, so one worker never holds most of the work. */
function chunk(files: ParseInput[]): ParseInput[][] {
  const out: ParseInput[][] = [];
  let cur: ParseInput[] = [];
  let chars = 0;
  for (const f of files) {
    if (cur.length && (cur.length >= JOB_FILES || chars + f.text.length > JOB_CHARS)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(f);
    chars += f.text.length;
  }
  if (cur.length) out.push(cur);
  return out;
}
