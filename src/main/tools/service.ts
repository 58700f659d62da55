// The tool-synthesis service of one project: detect (mine, synthesize, validate, evolve), list, run in the sandbox, apply or reject, history, build outcomes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';
import { unifiedDiff } from '../apply/diff';
import type { Db } from '../db/open';
import { atomicWrite } from '../project/atomic-write';
import { commandSequences } from './commands';
import { detectTools, isFresh, type FreshTool } from './detect';
import { ALGORITHM_VERSION, examplesHash, examplesOf, reconcile, retireFailing, successRate } from './evolution';
import { gitText, mineCommits, ObjectReader, resolveRev, type MinedCommit, type RepoRef } from './history';
import { isSafeName } from './names';
import { runInSandbox, type SandboxLimits } from './sandbox';
import { siblingsInWorkTree } from './siblings';
import { LEARN_WINDOW } from './validate';
import { ToolStore, type ExecutionFile, type ExecutionRow, type ToolRow } from './store';
import type { ParamSpec, ToolSpec } from './runtime';
import type { Shape } from './shapes';
import { insideGitDir } from '../project/fs-access';

export interface DetectedItem {
  name: string;
  version: number;
  status: string;
  description: string;
  params: { name: string; required: boolean; description: string }[];
  templates: string[];
  registries: string[];
  examples: string[];
  support: number;
  validation: { cases: number; path_f1: number; line_f1: number };
  event: string;
}

export interface DetectResult {
  results: DetectedItem[];
  patterns: { files: number; commands: number };
  commits: { mined: number; new: number };
  took_ms: number;
}

export interface RunResult {
  tool: string;
  version: number;
  execution_id: number;
  run_id: number;
  files: { path: string; action: 'create' | 'modify'; content: string; diff: string }[];
  applied: boolean;
  took_ms: number;
}

/**
 * A hook for an LLM to refine a synthesized tool (better names, descriptions, a parameter the examples hint at).
 * It gets the spec and its examples and returns a spec, or null to keep it. Nothing calls an LLM unless one is set.
 */
export type ToolRefiner = (spec: ToolSpec, context: { examples: { sha: string; name: string }[]; templates: string[] }) => Promise<ToolSpec | null>;

export interface ToolsServiceOptions {
  limits?: SandboxLimits;
  refiner?: ToolRefiner;
  /** Progress of detection (shapes synthesized so far). */
  onProgress?: (stage: string, done: number, total: number) => void;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export class ToolsService {
  readonly store: ToolStore;
  private readonly repo: RepoRef;

  constructor(private readonly db: Db, readonly projectId: number, readonly root: string, private readonly opts: ToolsServiceOptions = {}) {
    this.store = new ToolStore(db, projectId);
    this.repo = { root };
  }

  // --- detection ----------------------------------------------------------------------------------------------

  /** Reads the commits not mined yet (all of them the first time, or after history was rewritten). */
  private async mine(): Promise<{ commits: MinedCommit[]; fresh: number }> {
    const head = await resolveRev(this.repo, 'HEAD');
    if (!head) return { commits: [], fresh: 0 };
    const state = this.store.miningState();
    let range = [head];
    if (state && state.head_sha !== head) {
      // the old head must still be an ancestor (history not rewritten) for the stored commits to stay valid
      const base = (await gitText(this.repo, ['merge-base', state.head_sha, head], { allowFail: true })).trim();
      const isAncestor = base === state.head_sha;
      if (isAncestor) range = [head, `^${state.head_sha}`];
      else this.store.resetMining();
    }
    const fresh: MinedCommit[] = [];
    if (!state || state.head_sha !== head) {
      for await (const c of mineCommits(this.repo, range)) fresh.push(c);
      this.store.saveMined(fresh, head);
    }
    return { commits: this.store.minedCommits(), fresh: fresh.length };
  }

  /**
   * Mines the history (incrementally), finds the shapes, synthesizes and validates a tool for each new or changed
   * shape, stores them as versions, and records repeated command sequences from the build runs.
   */
  private detecting: Promise<DetectResult> | null = null;

  async detect(opts: { limit?: number } = {}): Promise<DetectResult> {
    // one detection at a time per project: a second request joins the running one
    if (this.detecting) return this.detecting;
    this.detecting = this.detectOnce(opts).finally(() => {
      this.detecting = null;
    });
    return this.detecting;
  }

  private async detectOnce(opts: { limit?: number }): Promise<DetectResult> {
    const t0 = performance.now();
    // nothing moved since the last detection: the stored tools are the answer
    const head = await resolveRev(this.repo, 'HEAD');
    const marker = head ? `${head}@v${ALGORITHM_VERSION}@${opts.limit ?? ''}` : null;
    if (marker && this.store.detectedAt() === marker) return this.stored(t0);
    const { commits, fresh } = await this.mine();
    const reader = new ObjectReader(this.repo);
    const results: DetectedItem[] = [];
    try {
      const latest = new Map(this.store.allLatest().map((r) => [r.name, r]));
      const names = this.store.namesBySignature();
      const reuse = (shape: Shape, signature: string): boolean => {
        const name = names.get(signature);
        const prev = name ? latest.get(name) : undefined;
        return !!prev && prev.examples_hash === examplesHash(shape);
      };
      const found = await detectTools(commits, reader, { names, reuse, maxShapes: opts.limit, onProgress: (d, n) => this.opts.onProgress?.('detect', d, n) });
      for (const t of found) {
        const patternId = this.store.upsertPattern({
          kind: 'files',
          signature: t.signature,
          templates: t.shape.templates,
          registries: t.shape.registries,
          examples: examplesOf(t.shape).slice(0, 50),
          support: t.shape.support,
          first_seen: isoTime(t.shape.instances[t.shape.instances.length - 1]?.time),
          last_seen: isoTime(t.shape.instances[0]?.time),
        });
        let row: ToolRow;
        let event: string;
        if (isFresh(t)) {
          const tool = await this.refine(t);
          const r = await reconcile(this.store, patternId, tool, reader);
          row = r.row;
          event = r.event;
        } else {
          row = latest.get(t.name)!;
          event = 'unchanged';
        }
        results.push(this.item(row, t.shape, event));
      }
    } finally {
      reader.close();
    }
    const commandPatterns = this.mineCommands();
    if (marker) this.store.setDetectedAt(marker);
    results.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || b.support - a.support);
    return {
      results: results.filter((r) => r.status === 'active'),
      patterns: { files: results.length, commands: commandPatterns.length },
      commits: { mined: commits.length, new: fresh },
      took_ms: Math.round(performance.now() - t0),
    };
  }

  /** Repeated command sequences of the build runs, stored as patterns of kind 'commands'. */
  private mineCommands() {
    const found = commandSequences(this.store.buildRuns());
    for (const p of found) {
      this.store.upsertPattern({ kind: 'commands', signature: p.sequence.join('\n'), templates: p.sequence, registries: [], examples: [], support: p.support, first_seen: p.first_seen, last_seen: p.last_seen });
    }
    return found;
  }

  /** The result of the last detection, from the store. */
  private stored(t0: number): DetectResult {
    this.mineCommands();
    const results: DetectedItem[] = [];
    for (const row of this.activeTools()) {
      const p = row.pattern_id !== null ? this.store.pattern(row.pattern_id) : null;
      results.push({
        name: row.name,
        version: row.version,
        status: row.status,
        description: row.description,
        params: row.params.map((x) => ({ name: x.name, required: x.required, description: x.description })),
        templates: p?.templates ?? [],
        registries: row.spec.registries.map((r) => r.path),
        examples: (p?.examples ?? row.examples).slice(0, 20).map((e) => e.sha),
        support: p?.support ?? row.examples.length,
        validation: { cases: row.validation.cases, path_f1: round(row.validation.path_f1), line_f1: round(row.validation.line_f1) },
        event: 'unchanged',
      });
    }
    results.sort((a, b) => b.support - a.support);
    const state = this.store.miningState();
    return {
      results,
      patterns: { files: this.store.patterns('files').length, commands: this.store.patterns('commands').length },
      commits: { mined: state?.commits ?? 0, new: 0 },
      took_ms: Math.round(performance.now() - t0),
    };
  }

  /** The LLM hook: a refined spec replaces the synthesized one only if it keeps the same files and parameters valid. */
  private async refine(t: FreshTool): Promise<FreshTool> {
    if (!this.opts.refiner || !t.validated) return t;
    try {
      const spec = await this.opts.refiner(t.spec, { examples: t.shape.instances.slice(0, 10).map((i) => ({ sha: i.sha, name: i.name })), templates: t.shape.templates });
      if (spec && spec.format === 1 && spec.files.length === t.spec.files.length && spec.params.some((p) => p.name === 'name' && p.required)) return { ...t, spec: { ...spec, name: t.name } };
    } catch {
      /* a failing refiner leaves the synthesized tool as it is */
    }
    return t;
  }

  private item(row: ToolRow, shape: Shape, event: string): DetectedItem {
    return {
      name: row.name,
      version: row.version,
      status: row.status,
      description: row.description,
      params: row.params.map((p) => ({ name: p.name, required: p.required, description: p.description })),
      templates: shape.templates,
      registries: row.spec.registries.map((r) => r.path),
      examples: shape.instances.slice(0, 20).map((i) => i.sha),
      support: shape.support,
      validation: { cases: row.validation.cases, path_f1: round(row.validation.path_f1), line_f1: round(row.validation.line_f1) },
      event,
    };
  }

  // --- listing and effectiveness ------------------------------------------------------------------------------

  /** The stored tools (newest version of each), with runs and success rate; `all` includes retired and unvalidated ones. */
  list(opts: { all?: boolean } = {}) {
    const t0 = performance.now();
    this.linkBuildOutcomes();
    retireFailing(this.store);
    const stats = this.store.stats();
    const results = this.store
      .allLatest()
      .map((row) => {
        const active = row.status === 'active' ? row : this.store.versions(row.name).filter((v) => v.status === 'active').pop() ?? row;
        const s = stats.get(row.name);
        const shas = [...new Set(active.examples.map((e) => e.sha))];
        const pattern = active.pattern_id !== null ? this.store.pattern(active.pattern_id) : null;
        return {
          name: row.name,
          version: active.version,
          status: active.status,
          description: active.description,
          runs: s?.runs ?? 0,
          accepted: s?.accepted ?? 0,
          rejected: s?.rejected ?? 0,
          successes: (s?.accepted ?? 0) - (s?.failed ?? 0),
          success_rate: successRate(s),
          validation: { cases: active.validation.cases, path_f1: round(active.validation.path_f1), line_f1: round(active.validation.line_f1) },
          examples: shas.slice(0, 20),
          commits: pattern?.support ?? shas.length,
          learned_from: Math.min(LEARN_WINDOW, active.examples.length),
          parameters: parameterSchema(active.params),
        };
      })
      .filter((r) => opts.all || r.status === 'active');
    return { results, took_ms: Math.round(performance.now() - t0) };
  }

  /** The build outcome of the first run after an applied change, for changes nobody reported an outcome for. */
  private linkBuildOutcomes(): void {
    for (const e of this.store.awaitingOutcome()) {
      const run = this.store.buildRuns(e.decided_at).find((r) => r.status !== 'running');
      if (run) this.store.setOutcome(e.id, run.id, run.status === 'done' && run.exit_code === 0);
    }
  }

  /**
   * For the build integration: the outcome of a build or test run attaches to the most recent applied tool run that
   * has none yet. Returns the execution it attached to.
   */
  recordBuildOutcome(projectId: number, runId: number | null, ok: boolean): number | null {
    const store = projectId === this.projectId ? this.store : new ToolStore(this.db, projectId);
    const id = store.attachOutcome(runId, ok);
    retireFailing(store);
    return id;
  }

  // --- running ------------------------------------------------------------------------------------------------

  /** The version that runs: the newest active one. */
  private runnable(name: string): ToolRow {
    const versions = this.store.versions(name);
    if (!versions.length) throw new MiraError('not_found', `there is no tool named ${name}`, 'see `mira tools list`, or run `mira tools detect` first');
    const active = versions.filter((v) => v.status === 'active').pop();
    if (!active) {
      const last = versions[versions.length - 1]!;
      throw new MiraError('refused', `tool ${name} is ${last.status} (version ${last.version})`, last.status === 'retired' ? 'its runs kept failing; see `mira tools history ' + name + '`' : 'it did not pass validation on its own history; see `mira tools history ' + name + '`');
    }
    return active;
  }

  private checkParams(row: ToolRow, params: Record<string, string>): void {
    const known = new Set(row.params.map((p) => p.name));
    const unknown = Object.keys(params).filter((k) => !known.has(k));
    if (unknown.length) throw new MiraError('bad_request', `tool ${row.name} has no parameter ${unknown.join(', ')}`, `its parameters: ${row.params.map((p) => `${p.name}${p.required ? ' (required)' : ''}`).join(', ')}`);
    for (const p of row.params) if (p.required && !params[p.name]) throw new MiraError('bad_request', `tool ${row.name} needs --param ${p.name}=...`, p.description);
    if (!isSafeName(params.name ?? '')) throw new MiraError('bad_request', `name ${JSON.stringify(params.name)} cannot be part of a file name`, 'use letters, digits, . _ - (no slashes, no ..)');
    for (const [k, v] of Object.entries(params)) if (v.length > 500 || /[\r\n]/.test(v)) throw new MiraError('bad_request', `parameter ${k} must be one short line`);
  }

  private readProject(rel: string): string | null {
    const abs = this.abs(rel);
    try {
      const st = fs.statSync(abs);
      return st.isFile() ? fs.readFileSync(abs, 'utf8') : null;
    } catch {
      return null;
    }
  }

  private abs(rel: string): string {
    const abs = path.resolve(this.root, rel);
    if (path.isAbsolute(rel) || !abs.startsWith(this.root + path.sep)) throw new MiraError('path_outside_root', `${rel} is outside the project`, 'a tool may only create or change files inside the project');
    if (insideGitDir(path.relative(this.root, abs).split(path.sep).join('/'))) throw new MiraError('refused', `${rel} is inside a .git folder`, 'a tool may only create or change project files');
    return abs;
  }

  /**
   * Runs a tool in its sandbox on a scratch copy holding only the files it needs (its registry files and the
   * current siblings it learns from), records the proposed change, and applies it when asked.
   */
  async run(name: string, params: Record<string, string>, opts: { apply?: boolean } = {}): Promise<RunResult> {
    const t0 = performance.now();
    const row = this.runnable(name);
    this.checkParams(row, params);
    const seeds = siblingsInWorkTree(this.root, row.spec.files, params.name!);
    for (const r of row.spec.registries) {
      const text = this.readProject(r.path);
      if (text !== null) seeds.set(r.path, text);
    }
    let files: ExecutionFile[];
    let durationMs = 0;
    try {
      const out = await runInSandbox(row.program, params, seeds, this.opts.limits, `tool ${name}`);
      durationMs = out.durationMs;
      files = [];
      // the program may only write what its spec declares: its files, and edits of its registry files
      const patterns = row.spec.files.map((f) => new RegExp(f.pattern));
      const registries = new Set(row.spec.registries.map((r) => r.path));
      for (const p of out.created.keys()) {
        if (!patterns.some((re) => re.test(p))) throw new MiraError('refused', `tool ${name} created ${p}, which it does not declare; nothing was kept`, 'the stored program does not match its spec: run `mira tools detect` to re-derive it');
      }
      for (const p of out.modified.keys()) {
        if (!registries.has(p)) throw new MiraError('refused', `tool ${name} changed ${p}, which it does not declare; nothing was kept`, 'the stored program does not match its spec: run `mira tools detect` to re-derive it');
      }
      for (const [p, content] of out.created) {
        this.abs(p);
        if (this.readProject(p) !== null || fs.existsSync(this.abs(p))) throw new MiraError('conflict', `${p} already exists`, `pick another name than ${params.name}`);
        files.push({ path: p, action: 'create', content, diff: unifiedDiff('', content, { fromFile: '/dev/null', toFile: `b/${p}` }), base_hash: null });
      }
      for (const [p, content] of out.modified) {
        const before = seeds.get(p) ?? '';
        files.push({ path: p, action: 'modify', content, diff: unifiedDiff(before, content, { fromFile: `a/${p}`, toFile: `b/${p}` }), base_hash: sha256(before) });
      }
    } catch (e) {
      this.store.insertExecution({ tool_id: row.id, tool_name: name, version: row.version, params, files: [], diff: '', duration_ms: performance.now() - t0, status: 'failed', error: (e as Error).message });
      throw e;
    }
    const diff = files.map((f) => f.diff).join('');
    const id = this.store.insertExecution({ tool_id: row.id, tool_name: name, version: row.version, params, files, diff, duration_ms: durationMs, status: 'proposed' });
    let applied = false;
    if (opts.apply) {
      this.apply(id);
      applied = true;
    }
    return {
      tool: name,
      version: row.version,
      execution_id: id,
      run_id: id,
      files: files.map((f) => ({ path: f.path, action: f.action, content: f.content, diff: f.diff })),
      applied,
      took_ms: Math.round(performance.now() - t0),
    };
  }

  /** Writes a proposed change, refusing when any of its files changed (or appeared) since the tool ran. */
  apply(executionId: number): { execution_id: number; applied: boolean; files: string[] } {
    const e = this.store.execution(executionId);
    if (!e) throw new MiraError('not_found', `there is no tool run ${executionId}`, 'run the tool again');
    if (e.status !== 'proposed') throw new MiraError('conflict', `tool run ${executionId} is already ${e.status}`, 'run the tool again for a fresh change');
    for (const f of e.files) {
      const now = this.readProject(f.path);
      const exists = now !== null || fs.existsSync(this.abs(f.path));
      const hash = now === null ? null : sha256(now);
      if ((f.base_hash === null && exists) || (f.base_hash !== null && hash !== f.base_hash)) {
        throw new MiraError('conflict', `${f.path} changed since tool ${e.tool_name} ran; nothing was applied`, `run \`mira tools run ${e.tool_name}\` again`);
      }
    }
    for (const f of e.files) {
      const abs = this.abs(f.path);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      atomicWrite(abs, f.content);
    }
    this.store.decide(executionId, 'applied');
    return { execution_id: executionId, applied: true, files: e.files.map((f) => f.path) };
  }

  reject(executionId: number): { execution_id: number; rejected: boolean } {
    const e = this.store.execution(executionId);
    if (!e) throw new MiraError('not_found', `there is no tool run ${executionId}`);
    if (e.status !== 'proposed') throw new MiraError('conflict', `tool run ${executionId} is already ${e.status}`);
    this.store.decide(executionId, 'rejected');
    retireFailing(this.store);
    return { execution_id: executionId, rejected: true };
  }

  // --- history ------------------------------------------------------------------------------------------------

  history(name?: string, limit = 50) {
    const runs = (rows: ExecutionRow[]) =>
      rows.map((x) => ({ id: x.id, tool: x.tool_name, version: x.version, params: x.params, files: x.files.map((f) => f.path), status: x.status, outcome: x.outcome, created_at: x.created_at }));
    if (!name) return { name: null, results: runs(this.store.recentExecutions(limit)), versions: [], evolution: [], executions: [] };
    const versions = this.store.versions(name);
    if (!versions.length) throw new MiraError('not_found', `there is no tool named ${name}`, 'see `mira tools list`');
    return {
      name,
      results: runs(this.store.executions(name, limit)),
      versions: versions.map((v) => ({
        version: v.version,
        status: v.status,
        created_at: v.created_at,
        description: v.description,
        validation: { cases: v.validation.cases, path_f1: round(v.validation.path_f1), line_f1: round(v.validation.line_f1) },
        examples: v.examples.slice(0, 20).map((x) => x.sha),
        program: v.program,
      })),
      evolution: this.store.evolution(name).map((e) => ({ from_version: e.from_version, to_version: e.to_version, event: e.event, reason: e.reason, commit: e.commit_sha, created_at: e.created_at })),
      executions: this.store.executions(name, limit).map((x) => ({
        id: x.id,
        version: x.version,
        params: x.params,
        files: x.files.map((f) => f.path),
        status: x.status,
        outcome: x.outcome,
        duration_ms: x.duration_ms,
        created_at: x.created_at,
        error: x.error,
      })),
    };
  }

  /** The active tools' specs, for adapters (the LLM assistant). */
  activeTools(): ToolRow[] {
    return this.store.allLatest().flatMap((r) => {
      if (r.status === 'active') return [r];
      const a = this.store.versions(r.name).filter((v) => v.status === 'active').pop();
      return a ? [a] : [];
    });
  }
}

/** A tool's parameters as a JSON Schema object. */
export function parameterSchema(params: ParamSpec[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of params) properties[p.name] = { type: 'string', description: p.description, ...(p.default !== undefined ? { default: p.default } : {}), ...(p.examples?.length ? { examples: p.examples } : {}) };
  return { type: 'object', properties, required: params.filter((p) => p.required).map((p) => p.name), additionalProperties: false };
}

function isoTime(t: number | undefined): string | null {
  return t === undefined ? null : new Date(t * 1000).toISOString();
}
