// Quality metrics in the index: the per-file stage that stores them, the project pass that adds call-graph and clone
// facts, and the queries behind `mira quality`.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { classifyContent } from '../project/content';
import type { FileStage, IndexedFile, StageContext } from '../project/indexer';
import { analysable, analyzeFile, type FileAnalysis } from './analyze';
import { detectClones, packFingerprints, unpackFingerprints, type Fingerprint } from './clones';
import type { PackedFileMetrics } from './metrics';
import { isTestPath } from './paths';

export interface QualityRow {
  path: string;
  /** The function (`Class.method`), or for a file row its most complex function (null when it has none). */
  symbol: string | null;
  kind: string;
  line: number;
  end_line: number;
  complexity: number;
  cognitive: number;
  lines: number;
  nesting: number;
  params: number;
  fan_in: number;
  fan_out: number;
  tested: boolean | null;
  duplicated_lines: number;
  functions?: number;
  max_complexity?: number;
  max_cognitive?: number;
  code_lines?: number;
  tested_share?: number | null;
  approx?: boolean;
  clones?: { path: string; lines: [number, number]; other_lines: [number, number] }[];
}

export type QualitySort = 'complexity' | 'cognitive' | 'lines' | 'nesting' | 'fan_in' | 'fan_out' | 'duplication';

interface ElementRow {
  id: number;
  name: string;
  qualified_name: string;
  start_line: number;
  end_line: number;
}

/** Timings of the quality pass in the last index run (the benchmark reads them). */
export interface QualityTimings {
  analyze_ms: number;
  write_ms: number;
  project_ms: number;
  files: number;
}

/** A file's analysis as the stage writes it: the fingerprints packed for storage (null when there are none). */
export interface StageAnalysis extends Omit<FileAnalysis, 'fingerprints'> {
  fingerprints: Uint8Array | null;
}

/** Metrics another stage already took from the file's syntax tree in this batch (the code stage's parse), if any. */
export type MeasuredElsewhere = (file: IndexedFile) => PackedFileMetrics | undefined;

export class QualityIndex {
  timings: QualityTimings = { analyze_ms: 0, write_ms: 0, project_ms: 0, files: 0 };
  private dirty = false;

  constructor(private readonly db: Db) {}

  private stmts?: ReturnType<QualityIndex['prepare']>;
  private get s() {
    return (this.stmts ??= this.prepare());
  }

  private prepare() {
    const db = this.db;
    return {
      elements: db.prepare(`SELECT id, name, qualified_name, start_line, end_line FROM code_elements WHERE file_id = ? AND kind IN ('function', 'method')`),
      delUnits: db.prepare('DELETE FROM code_quality WHERE file_id = ?'),
      delFile: db.prepare('DELETE FROM code_quality_files WHERE file_id = ?'),
      insUnit: db.prepare(`INSERT INTO code_quality (project_id, file_id, symbol_id, path, symbol, kind, start_line, end_line, complexity, cognitive, nesting, params, lines)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insFile: db.prepare(`INSERT INTO code_quality_files (file_id, project_id, path, language, approx, lines, code_lines, functions, complexity, cognitive, max_complexity, max_cognitive, nesting, max_params, fingerprints)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  /**
   * The per-file stage. With `measured` (the code stage's parse, registered before this one) a file's metrics come from
   * the tree that parse made; a file it did not measure (no extractor, a failed parse, no code stage) is parsed here.
   */
  fileStage(measured?: MeasuredElsewhere): FileStage<StageAnalysis> {
    return {
      name: 'codemap-quality',
      analyze: async (files: IndexedFile[]) => {
        const t0 = performance.now();
        const out = new Map<string, StageAnalysis>();
        for (const f of files) {
          if (!analysable(f.language)) continue;
          const m = measured?.(f);
          if (m) {
            out.set(f.path, { ...m, fingerprints: m.fingerprints.byteLength ? m.fingerprints : null, approx: false });
            continue;
          }
          const a = await analyzeFile(f.path, f.language!, f.text);
          out.set(f.path, { ...a, fingerprints: a.fingerprints.length ? packFingerprints(a.fingerprints) : null });
        }
        this.timings.analyze_ms += performance.now() - t0;
        this.timings.files += out.size;
        return out;
      },
      write: (ctx: StageContext, file: IndexedFile, data: StageAnalysis | undefined) => {
        const t0 = performance.now();
        this.s.delUnits.run(file.id);
        this.s.delFile.run(file.id);
        this.dirty = true;
        if (data) this.writeFile(ctx.project.id, file, data);
        this.timings.write_ms += performance.now() - t0;
      },
      remove: (_ctx: StageContext, ids: number[]) => {
        for (const id of ids) {
          this.s.delUnits.run(id);
          this.s.delFile.run(id);
        }
        this.dirty = true;
      },
    };
  }

  /** Stores one file's metrics, linking each function to the code index's element on the same lines. */
  private writeFile(projectId: number, file: IndexedFile, a: StageAnalysis): void {
    const elements = this.s.elements.all(file.id) as ElementRow[];
    let maxCx = 0;
    let maxCog = 0;
    let maxParams = 0;
    for (const u of a.units) {
      const el = matchElement(elements, u.name, u.start_line, u.end_line);
      this.s.insUnit.run(projectId, file.id, el?.id ?? null, file.path, el?.qualified_name ?? u.name, u.kind, u.start_line, u.end_line, u.complexity, u.cognitive, u.nesting, u.params, u.lines);
      maxCx = Math.max(maxCx, u.complexity);
      maxCog = Math.max(maxCog, u.cognitive);
      maxParams = Math.max(maxParams, u.params);
    }
    this.s.insFile.run(
      file.id,
      projectId,
      file.path,
      file.language,
      a.approx ? 1 : 0,
      a.lines,
      a.code_lines,
      a.units.length,
      a.complexity,
      a.cognitive,
      maxCx,
      maxCog,
      a.nesting,
      maxParams,
      a.fingerprints && Buffer.from(a.fingerprints.buffer, a.fingerprints.byteOffset, a.fingerprints.byteLength),
    );
  }

  /**
   * Analyses indexed code files that have no metrics yet: files indexed before the code map existed (an upgrade), or
   * whose analysis was interrupted. A file that changed on disk since it was indexed is left to the next index run.
   * Returns how many files it analysed.
   */
  async backfill(ctx: StageContext, projectId: number, root: string): Promise<number> {
    const missing = this.db
      .prepare(
        `SELECT f.id, f.path, f.hash, f.size, f.language FROM files f LEFT JOIN code_quality_files q ON q.file_id = f.id
         WHERE f.project_id = ? AND f.skip_reason IS NULL AND f.hash IS NOT NULL AND q.file_id IS NULL`,
      )
      .all(projectId) as { id: number; path: string; hash: string; size: number; language: string | null }[];
    const todo = missing.filter((f) => analysable(f.language));
    if (!todo.length) return 0;
    // These files were not parsed by this run's code stage: the stage measures them itself.
    const stage = this.fileStage();
    let done = 0;
    const BATCH = 200;
    for (let i = 0; i < todo.length; i += BATCH) {
      if (ctx.signal?.aborted) break;
      const files: IndexedFile[] = [];
      for (const f of todo.slice(i, i + BATCH)) {
        const abs = path.join(root, f.path);
        let c: ReturnType<typeof classifyContent>;
        try {
          c = classifyContent(fs.readFileSync(abs));
        } catch {
          continue; // gone since it was indexed: the next walk removes it
        }
        if (c.skip || c.hash !== f.hash || c.text === null) continue;
        files.push({ id: f.id, path: f.path, abs, hash: f.hash, size: f.size, language: f.language, text: c.text });
      }
      const analysed = await stage.analyze!(files, ctx);
      this.db.transaction(() => {
        for (const f of files) stage.write(ctx, f, analysed.get(f.path));
      })();
      done += files.length;
    }
    if (done) ctx.log('quality metrics added for files indexed before them', { files: done });
    return done;
  }

  /** Whether files were written or removed since the project pass last ran. */
  get changed(): boolean {
    return this.dirty;
  }

  /**
   * The project-wide facts: fan-in and fan-out from the resolved call graph, test reach, duplicated lines. Runs after
   * the code stages resolved calls; only rows whose values changed are written.
   */
  projectPass(projectId: number, opts: { force?: boolean } = {}): void {
    if (!this.dirty && !opts.force) return;
    const t0 = performance.now();
    const db = this.db;
    const fanIn = new Map<number, number>();
    for (const r of db
      .prepare(`SELECT callee_id AS id, count(DISTINCT coalesce(caller_id, -file_id)) AS n FROM call_graph WHERE project_id = ? AND callee_id IS NOT NULL GROUP BY callee_id`)
      .iterate(projectId) as Iterable<{ id: number; n: number }>)
      fanIn.set(r.id, r.n);
    const fanOut = new Map<number, number>();
    for (const r of db
      .prepare(`SELECT caller_id AS id, count(DISTINCT coalesce(CAST(callee_id AS TEXT), callee_name)) AS n FROM call_graph WHERE project_id = ? AND caller_id IS NOT NULL GROUP BY caller_id`)
      .iterate(projectId) as Iterable<{ id: number; n: number }>)
      fanOut.set(r.id, r.n);
    const reach = testReach(db, projectId);

    const units = db
      .prepare(`SELECT q.id, q.file_id, q.symbol_id, q.symbol, q.fan_in, q.fan_out, q.tested, q.test_distance, coalesce(e.is_test, 0) AS is_test
        FROM code_quality q LEFT JOIN code_elements e ON e.id = q.symbol_id WHERE q.project_id = ?`)
      .all(projectId) as {
      id: number;
      file_id: number;
      symbol_id: number | null;
      symbol: string;
      fan_in: number;
      fan_out: number;
      tested: number;
      test_distance: number | null;
      is_test: number;
    }[];
    const upUnit = db.prepare('UPDATE code_quality SET fan_in = ?, fan_out = ?, tested = ?, test_distance = ? WHERE id = ?');
    const perFile = new Map<number, { n: number; tested: number }>();
    const files = db.prepare('SELECT file_id, path, fan_in, fan_out, tested_share, dup_lines, clones, fingerprints FROM code_quality_files WHERE project_id = ?').all(projectId) as {
      file_id: number;
      path: string;
      fan_in: number;
      fan_out: number;
      tested_share: number | null;
      dup_lines: number;
      clones: string;
      fingerprints: Buffer | null;
    }[];
    const testFiles = new Set(files.filter((f) => isTestPath(f.path)).map((f) => f.file_id));
    const fileFans = fileFanInOut(db, projectId);
    const prints = new Map<string, Fingerprint[]>();
    for (const f of files) prints.set(f.path, unpackFingerprints(f.fingerprints));
    const clones = detectClones(prints);

    const upFile = db.prepare('UPDATE code_quality_files SET fan_in = ?, fan_out = ?, tested_share = ?, dup_lines = ?, clones = ? WHERE file_id = ?');
    db.transaction(() => {
      for (const u of units) {
        const fi = u.symbol_id ? (fanIn.get(u.symbol_id) ?? 0) : 0;
        const fo = u.symbol_id ? (fanOut.get(u.symbol_id) ?? 0) : 0;
        const dist = u.symbol_id ? (reach.get(u.symbol_id) ?? null) : null;
        const tested = dist !== null ? 1 : 0;
        if (fi !== u.fan_in || fo !== u.fan_out || tested !== u.tested || dist !== u.test_distance) upUnit.run(fi, fo, tested, dist, u.id);
        // Tests inside a source file (Rust's `mod tests`, test methods) are not code that tests should reach.
        if (!testFiles.has(u.file_id) && !u.is_test && !INLINE_TEST.test(u.symbol)) {
          const s = perFile.get(u.file_id) ?? { n: 0, tested: 0 };
          s.n++;
          s.tested += tested;
          perFile.set(u.file_id, s);
        }
      }
      for (const f of files) {
        const fans = fileFans.get(f.file_id);
        const t = perFile.get(f.file_id);
        const share = t && t.n ? Math.round((t.tested / t.n) * 1000) / 1000 : null;
        const c = clones.get(f.path);
        const dup = c?.duplicated_lines ?? 0;
        const cl = JSON.stringify(c?.partners ?? []);
        const fi = fans?.in ?? 0;
        const fo = fans?.out ?? 0;
        if (fi !== f.fan_in || fo !== f.fan_out || share !== f.tested_share || dup !== f.dup_lines || cl !== f.clones) upFile.run(fi, fo, share, dup, cl, f.file_id);
      }
    })();
    this.dirty = false;
    this.timings.project_ms += performance.now() - t0;
  }

  resetTimings(): void {
    this.timings = { analyze_ms: 0, write_ms: 0, project_ms: 0, files: 0 };
  }
}

const INLINE_TEST = /(^|\.)tests?\./;

/** The element the code index found on the same lines (its start may include decorators or `export`). */
function matchElement(elements: ElementRow[], name: string, start: number, end: number): ElementRow | undefined {
  const last = name.split('.').pop() ?? name;
  const sameEnd = elements.filter((e) => e.end_line === end && e.start_line <= start);
  return sameEnd.find((e) => e.name === last) ?? (sameEnd.length === 1 ? sameEnd[0] : undefined) ?? elements.find((e) => e.name === last && e.start_line <= start && e.end_line >= end && e.start_line >= start - 3);
}

/**
 * Symbols reached from tests through the call graph, with the number of calls in between. Test code is any symbol in a
 * test file or marked as a test; calls made at a test file's top level (describe/it callbacks) count too.
 */
export function testReach(db: Db, projectId: number, maxDepth = 6): Map<number, number> {
  const testFiles = new Set(
    (db.prepare('SELECT id, path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(projectId) as { id: number; path: string }[])
      .filter((f) => isTestPath(f.path))
      .map((f) => f.id),
  );
  const testSymbols = new Set((db.prepare('SELECT id FROM code_elements WHERE project_id = ? AND is_test = 1').all(projectId) as { id: number }[]).map((r) => r.id));
  const edges = new Map<number, number[]>();
  const dist = new Map<number, number>();
  let frontier: number[] = [];
  for (const r of db.prepare('SELECT caller_id, callee_id, file_id FROM call_graph WHERE project_id = ? AND callee_id IS NOT NULL').iterate(projectId) as Iterable<{
    caller_id: number | null;
    callee_id: number;
    file_id: number;
  }>) {
    const fromTest = testFiles.has(r.file_id) || (r.caller_id !== null && testSymbols.has(r.caller_id));
    if (fromTest) {
      if (!dist.has(r.callee_id)) {
        dist.set(r.callee_id, 1);
        frontier.push(r.callee_id);
      }
    } else if (r.caller_id !== null) {
      let list = edges.get(r.caller_id);
      if (!list) edges.set(r.caller_id, (list = []));
      list.push(r.callee_id);
    }
  }
  for (let d = 2; d <= maxDepth && frontier.length; d++) {
    const next: number[] = [];
    for (const id of frontier) {
      for (const callee of edges.get(id) ?? []) {
        if (!dist.has(callee)) {
          dist.set(callee, d);
          next.push(callee);
        }
      }
    }
    frontier = next;
  }
  return dist;
}

/** Per file: how many other files call into it or import it, and how many it calls or imports. */
function fileFanInOut(db: Db, projectId: number): Map<number, { in: number; out: number }> {
  const ins = new Map<number, Set<number>>();
  const outs = new Map<number, Set<number>>();
  const add = (from: number, to: number) => {
    if (from === to) return;
    let o = outs.get(from);
    if (!o) outs.set(from, (o = new Set()));
    o.add(to);
    let i = ins.get(to);
    if (!i) ins.set(to, (i = new Set()));
    i.add(from);
  };
  for (const r of db
    .prepare('SELECT DISTINCT g.file_id AS a, e.file_id AS b FROM call_graph g JOIN code_elements e ON e.id = g.callee_id WHERE g.project_id = ?')
    .iterate(projectId) as Iterable<{ a: number; b: number }>)
    add(r.a, r.b);
  for (const r of db
    .prepare('SELECT DISTINCT file_id AS a, target_file_id AS b FROM code_imports WHERE project_id = ? AND target_file_id IS NOT NULL')
    .iterate(projectId) as Iterable<{ a: number; b: number }>)
    add(r.a, r.b);
  const out = new Map<number, { in: number; out: number }>();
  for (const id of new Set([...ins.keys(), ...outs.keys()])) out.set(id, { in: ins.get(id)?.size ?? 0, out: outs.get(id)?.size ?? 0 });
  return out;
}

const ORDER: Record<QualitySort, string> = {
  complexity: 'complexity DESC, cognitive DESC',
  cognitive: 'cognitive DESC, complexity DESC',
  lines: 'lines DESC, complexity DESC',
  nesting: 'nesting DESC, cognitive DESC',
  fan_in: 'fan_in DESC, complexity DESC',
  fan_out: 'fan_out DESC, complexity DESC',
  duplication: 'dup DESC, complexity DESC',
};

/** Reads stored metrics: the functions of one file, or the project's files (worst first). */
export class QualityQueries {
  constructor(private readonly db: Db, private readonly projectId: number) {}

  /** Functions of a file, worst first. */
  symbols(path: string, opts: { k?: number; sort?: QualitySort } = {}): QualityRow[] {
    const order = ORDER[opts.sort ?? 'complexity'].replace('dup DESC', 'lines DESC');
    const rows = this.db
      .prepare(`SELECT q.path, q.symbol, q.kind, q.start_line, q.end_line, q.complexity, q.cognitive, q.nesting, q.params, q.lines, q.fan_in, q.fan_out, q.tested
        FROM code_quality q WHERE q.file_id = (SELECT id FROM files WHERE project_id = ? AND path = ?) ORDER BY ${order}, q.start_line LIMIT ?`)
      .all(this.projectId, path, opts.k ?? 1000) as {
      path: string;
      symbol: string;
      kind: string;
      start_line: number;
      end_line: number;
      complexity: number;
      cognitive: number;
      nesting: number;
      params: number;
      lines: number;
      fan_in: number;
      fan_out: number;
      tested: number;
    }[];
    const dup = this.fileDuplication(path);
    return rows.map((r) => ({
      path: r.path,
      symbol: r.symbol,
      kind: r.kind,
      line: r.start_line,
      end_line: r.end_line,
      complexity: r.complexity,
      cognitive: r.cognitive,
      lines: r.lines,
      nesting: r.nesting,
      params: r.params,
      fan_in: r.fan_in,
      fan_out: r.fan_out,
      tested: !!r.tested,
      duplicated_lines: dup.inRange(r.start_line, r.end_line),
    }));
  }

  /** The file's own row (totals), or null when the file has no metrics. */
  file(path: string): QualityRow | null {
    return this.files({ path, k: 1 })[0] ?? null;
  }

  /** Files worst first (by total complexity unless `sort` says otherwise). */
  files(opts: { k?: number; sort?: QualitySort; path?: string } = {}): QualityRow[] {
    const order = ORDER[opts.sort ?? 'complexity'].replace('dup DESC', 'dup_lines DESC');
    const rows = this.db
      .prepare(`SELECT f.path, f.language, f.approx, f.lines, f.code_lines, f.functions, f.complexity, f.cognitive, f.max_complexity, f.max_cognitive, f.nesting, f.max_params AS params,
          f.fan_in, f.fan_out, f.tested_share, f.dup_lines, f.dup_lines AS dup, f.clones,
          (SELECT q.symbol FROM code_quality q WHERE q.file_id = f.file_id ORDER BY q.complexity DESC, q.cognitive DESC, q.start_line LIMIT 1) AS worst
        FROM code_quality_files f WHERE f.project_id = ? AND (? IS NULL OR f.file_id = (SELECT id FROM files WHERE project_id = f.project_id AND path = ?)) ORDER BY ${order}, f.path LIMIT ?`)
      .all(this.projectId, opts.path ?? null, opts.path ?? null, opts.k ?? 50) as {
      path: string;
      approx: number;
      lines: number;
      code_lines: number;
      functions: number;
      complexity: number;
      cognitive: number;
      max_complexity: number;
      max_cognitive: number;
      nesting: number;
      params: number;
      fan_in: number;
      fan_out: number;
      tested_share: number | null;
      dup_lines: number;
      clones: string;
      worst: string | null;
    }[];
    return rows.map((r) => ({
      path: r.path,
      symbol: r.worst,
      kind: 'file',
      line: 1,
      end_line: r.lines,
      complexity: r.complexity,
      cognitive: r.cognitive,
      lines: r.lines,
      nesting: r.nesting,
      params: r.params,
      fan_in: r.fan_in,
      fan_out: r.fan_out,
      tested: r.tested_share === null ? null : r.tested_share > 0,
      duplicated_lines: r.dup_lines,
      functions: r.functions,
      max_complexity: r.max_complexity,
      max_cognitive: r.max_cognitive,
      code_lines: r.code_lines,
      tested_share: r.tested_share,
      approx: !!r.approx,
      clones: JSON.parse(r.clones) as QualityRow['clones'],
    }));
  }

  /** Lines of a file that are copies of code elsewhere, per line range (from the stored clone partners). */
  private fileDuplication(path: string): { inRange(a: number, b: number): number } {
    const row = this.db.prepare('SELECT clones FROM code_quality_files WHERE file_id = (SELECT id FROM files WHERE project_id = ? AND path = ?)').get(this.projectId, path) as
      | { clones: string }
      | undefined;
    const ranges = row ? (JSON.parse(row.clones) as { lines: [number, number] }[]).map((c) => c.lines) : [];
    return {
      inRange(a, b) {
        const rows = new Set<number>();
        for (const [s, e] of ranges) for (let r = Math.max(a, s); r <= Math.min(b, e); r++) rows.add(r);
        return rows.size;
      },
    };
  }
}
