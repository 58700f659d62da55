// The operation engine: plan → gather → propose (the model calls tools and proposes edits) → review → apply → verify, stored step by step so it survives a restart.
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { MiraError } from '../../shared/errors';
import { applyEdit, sha256, unifiedDiff } from '../apply';
import type { RunOutcome } from '../build/runner';
import type { Db } from '../db/open';
import { notConfigured, ToolRegistry, type ChatMessage, type ContextItem, type ContextProvider, type Effort, type LlmService, type LlmTool, type ToolCall } from '../llm';
import { scrub } from '../log';
import type { Memory } from '../memory';
import type { ProjectFs } from '../project/fs-access';
import { encode, hashOnDisk, readState, restore, writeIfUnchanged } from './files';
import { computeHunks, diffStats, partialContent } from './hunks';
import { fixRoundMessage, operationSystemPrompt, verificationReport } from './prompts';
import { ACTIVE, OpsStore, TERMINAL, type ArtifactRow, type HunkDecision, type OperationOptions, type OperationRow, type OpStatus, type StepInput, type StepRow } from './store';
import { operationSummary, operationView, stepInfo, type OperationSummaryData, type OperationViewData } from './view';

export const DEFAULT_MAX_STEPS = 16;
export const DEFAULT_MAX_ROUNDS = 2;
/** A verification that runs longer than this is stopped (and fails): a hung test must not hold the operation forever. */
export const VERIFY_TIMEOUT_MS = 15 * 60_000;
/** Failures a later `resume` can get past (more budget, more steps, the server back). */
const RESUMABLE = new Set(['budget_exceeded', 'step_limit', 'llm_error', 'llm_unreachable', 'rate_limited', 'timeout']);

export interface OpsProject {
  id: number;
  root: string;
  name: string;
  fs: ProjectFs;
}

/** What the engine needs from Mira; the handler builds it, so the engine imports no transport and no other capability's internals. */
export interface OpsHost {
  db: Db;
  project: OpsProject;
  llm: LlmService;
  memory: Memory;
  emit(event: string, data: unknown): void;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Mira's tools offered to the model (search, locate, callers, impact, ...); read_file and propose_edit are the engine's own. */
  tools(): LlmTool[];
  /** Code (and document) context for the task. */
  context: ContextProvider;
  contextTokens: number;
  /** Runs a build or test command through the build runner (which records errors and resolutions). */
  runCommand(command: string, opts: { trigger: string; signal?: AbortSignal; timeoutMs?: number }): Promise<RunOutcome>;
  /** The project's configured test command, if any. */
  testCommand(): string | undefined;
}

export interface StartInput {
  task: string;
  apply?: boolean;
  verify?: string;
  noVerify?: boolean;
  maxSteps?: number;
  maxRounds?: number;
  model?: string;
  effort?: Effort;
  confirm?: 'deny' | 'allow';
  learn?: boolean;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** Per database handle: who we are, and what runs. Services on one handle (one Mira) share it; another Mira is another owner. */
interface OwnerRecord {
  id: string;
  db: Db;
  running: Map<number, Running>;
}
const ownerByDb = new WeakMap<Db, OwnerRecord>();
const owners = new Map<string, OwnerRecord>();

function ownerFor(db: Db): OwnerRecord {
  let o = ownerByDb.get(db);
  if (!o) {
    o = { id: `${process.pid}-${crypto.randomBytes(6).toString('hex')}`, db, running: new Map() };
    ownerByDb.set(db, o);
    owners.set(o.id, o);
  }
  return o;
}

/** Whether the process (or, in this process, the Mira) that owns an operation is still running it. */
function ownerRunning(row: OperationRow): boolean {
  if (!row.owner || !row.pid) return false;
  if (row.pid !== process.pid) {
    try {
      process.kill(row.pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const o = owners.get(row.owner);
  return !!o && o.db.open && o.running.has(row.id);
}

function cancelledError(): MiraError {
  return new MiraError('cancelled', 'the operation was cancelled');
}

export class OpsService {
  readonly store: OpsStore;
  private readonly owner: OwnerRecord;

  constructor(private readonly host: OpsHost) {
    this.store = new OpsStore(host.db);
    this.owner = ownerFor(host.db);
  }

  private get projectId(): number {
    return this.host.project.id;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Public operations

  /** Creates the operation and starts it in the background; `done` settles when it stops or waits for review. */
  start(input: StartInput): { id: number; done: Promise<void> } {
    if (!this.host.llm.configured()) throw notConfigured();
    const task = input.task.trim();
    if (!task) throw new MiraError('bad_request', 'the task is empty', 'say what the operation should do');
    const options: OperationOptions = {
      apply: !!input.apply,
      verify: input.verify?.trim() || null,
      noVerify: !!input.noVerify,
      maxSteps: input.maxSteps ?? DEFAULT_MAX_STEPS,
      maxRounds: input.maxRounds ?? DEFAULT_MAX_ROUNDS,
      model: input.model,
      effort: input.effort,
      confirm: input.confirm ?? 'deny',
      learn: input.learn !== false,
    };
    const id = this.store.create(this.projectId, task, options, this.owner.id);
    this.host.log?.info({ operation_id: id, apply: options.apply, verify: !!options.verify }, 'operation started');
    this.emitStatus(id);
    return { id, done: this.launch(id) };
  }

  view(id: number): OperationViewData {
    const row = this.must(id);
    return operationView(this.store, row, { interrupted: this.interrupted(row), resumable: this.resumable(row) });
  }

  list(opts: { limit?: number; status?: OpStatus; interrupted?: boolean } = {}): OperationSummaryData[] {
    return this.store
      .list(this.projectId, { limit: opts.limit, status: opts.status })
      .map((row) => operationSummary(this.store, row, { interrupted: this.interrupted(row), resumable: this.resumable(row) }))
      .filter((v) => opts.interrupted === undefined || v.interrupted === opts.interrupted);
  }

  /** Stops a running operation (nothing more is written), or closes one that waits for review or was interrupted. */
  async cancel(id: number): Promise<OperationViewData> {
    const row = this.must(id);
    const run = this.owner.running.get(id);
    if (run) {
      run.controller.abort();
      await run.done;
    } else if (!TERMINAL.has(row.status)) {
      if (ACTIVE.has(row.status) && !this.interrupted(row)) {
        throw new MiraError('conflict', `operation ${id} is running in another process (pid ${row.pid})`, 'cancel it where it runs, or wait for it');
      }
      this.close(id, 'cancelled');
    }
    return this.view(id);
  }

  /** Continues an interrupted operation from its stored messages, or one stopped by the budget, the step limit or the model server. */
  resume(id: number, opts: { maxSteps?: number } = {}): { id: number; done: Promise<void> } {
    const row = this.must(id);
    if (!this.resumable(row)) {
      const why = this.owner.running.has(id) || (ACTIVE.has(row.status) && ownerRunning(row)) ? 'it is still running' : `it is ${row.status}`;
      throw new MiraError('conflict', `operation ${id} cannot be resumed: ${why}`, 'only interrupted operations, or ones stopped by the budget or the step limit, resume');
    }
    if (!this.host.llm.configured() && (row.status === 'failed' || ['planning', 'gathering', 'proposing'].includes(row.status))) throw notConfigured();
    const options = this.store.options(row);
    if (opts.maxSteps !== undefined) options.maxSteps = Math.max(opts.maxSteps, row.llm_calls + 1);
    else if (row.error_code === 'step_limit' || row.llm_calls >= options.maxSteps) options.maxSteps = row.llm_calls + (options.maxSteps || DEFAULT_MAX_STEPS);
    this.store.setOptions(id, options);
    // A failed operation failed while proposing (the only phase that calls the model or counts steps).
    const status: OpStatus = row.status === 'failed' ? (this.store.messages(id).length ? 'proposing' : 'planning') : row.status;
    this.store.claim(id, this.owner.id);
    this.setStatus(id, status);
    this.step(id, { kind: 'status', name: 'resumed', detail: `resumed in ${status}` });
    return { id, done: this.launch(id) };
  }

  /** Drops an operation that waits for review, was interrupted or failed: its unapplied artifacts are discarded, nothing is written. */
  discard(id: number): OperationViewData {
    const row = this.must(id);
    if (this.owner.running.has(id) || (ACTIVE.has(row.status) && !this.interrupted(row))) {
      throw new MiraError('conflict', `operation ${id} is running`, 'cancel it first (ops/cancel, or Ctrl-C where it runs)');
    }
    this.close(id, TERMINAL.has(row.status) ? row.status : 'cancelled', 'discarded');
    return this.view(id);
  }

  /** Accepts or rejects a whole artifact, or some of its hunks. */
  review(id: number, artifactId: number, decision: 'accept' | 'reject', hunks?: number[]): ArtifactRow {
    const row = this.must(id);
    if (row.status !== 'awaiting_review') throw new MiraError('conflict', `operation ${id} is ${row.status}, not awaiting review`, 'review artifacts while the operation waits for review');
    const art = this.store.artifact(artifactId);
    if (!art || art.operation_id !== id) throw new MiraError('not_found', `operation ${id} has no artifact ${artifactId}`);
    if (!['proposed', 'accepted', 'rejected', 'partial'].includes(art.status)) throw new MiraError('conflict', `artifact ${artifactId} is ${art.status}`);
    const state: HunkDecision = decision === 'accept' ? 'accepted' : 'rejected';
    let decisions = JSON.parse(art.hunks_json) as HunkDecision[];
    let status: string;
    if (hunks?.length) {
      if (!decisions.length) throw new MiraError('ambiguous_hunks', `${art.path}: this change has no hunks to choose from (only line endings change)`, 'accept or reject the whole file');
      const bad = hunks.find((h) => h >= decisions.length);
      if (bad !== undefined) throw new MiraError('bad_request', `${art.path} has ${decisions.length} hunks (0-${decisions.length - 1}); there is no hunk ${bad}`);
      decisions = decisions.map((d, i) => (hunks.includes(i) ? state : d));
      // Refuse a mix that cannot be applied now, rather than when the user presses apply.
      partialContent(art.base_content, art.new_content, decisions.map((d) => d !== 'rejected'), art.diff);
      status = decisions.every((d) => d === 'accepted') ? 'accepted' : decisions.every((d) => d === 'rejected') ? 'rejected' : decisions.every((d) => d === 'pending') ? 'proposed' : 'partial';
    } else {
      decisions = decisions.map(() => state);
      status = state;
    }
    this.store.review(artifactId, decisions, status);
    this.step(id, { kind: 'review', name: decision, detail: `${art.path}${hunks?.length ? ` hunks ${hunks.join(', ')}` : ''}: ${status}` });
    return this.store.artifact(artifactId)!;
  }

  /** Applies a reviewed operation's artifacts, then verifies; `done` settles when that (and any fix round) is over. */
  apply(id: number, opts: { verify?: string; noVerify?: boolean; onlyAccepted?: boolean } = {}): { id: number; done: Promise<void> } {
    const row = this.must(id);
    if (row.status !== 'awaiting_review') throw new MiraError('conflict', `operation ${id} is ${row.status}, not awaiting review`, row.status === 'done' ? 'it is already done' : 'only an operation waiting for review can be applied');
    const options = this.store.options(row);
    options.apply = true;
    if (opts.verify) options.verify = opts.verify.trim();
    if (opts.noVerify) options.noVerify = true;
    options.onlyAccepted = !!opts.onlyAccepted;
    this.store.setOptions(id, options);
    this.store.claim(id, this.owner.id);
    this.setStatus(id, 'applying');
    return { id, done: this.launch(id) };
  }

  /** Restores the files an operation wrote, newest first; refuses (before touching anything) when one changed since, unless forced. */
  async undo(id: number, opts: { force?: boolean } = {}): Promise<{ view: OperationViewData; restored: { path: string; action: 'restored' | 'deleted' }[] }> {
    const row = this.must(id);
    if (this.owner.running.has(id) || (ACTIVE.has(row.status) && !this.interrupted(row))) throw new MiraError('conflict', `operation ${id} is running`, 'cancel it first, then undo');
    const applied = this.store
      .artifacts(id)
      .filter((a) => a.status === 'applied')
      .sort((a, b) => b.round - a.round || b.id - a.id);
    if (!applied.length) throw new MiraError('not_found', `operation ${id} has no applied changes to undo`, row.reverted_at ? 'it was already undone' : undefined);
    const fs = this.host.project.fs;
    if (!opts.force) {
      // Later rounds wrote over earlier ones: only the newest write of each file must still be on disk.
      const seen = new Set<string>();
      for (const a of applied) {
        if (seen.has(a.path)) continue;
        seen.add(a.path);
        if (hashOnDisk(fs.resolve(a.path)) !== a.applied_hash) {
          throw new MiraError('conflict', `${a.path} changed since operation ${id} wrote it; nothing was undone`, `undo with force to overwrite those later changes (mira undo ${id} --force)`);
        }
      }
    }
    const restored: { path: string; action: 'restored' | 'deleted' }[] = [];
    for (const a of applied) {
      const action = await restore(fs.resolve(a.path), a.path, { expected: a.applied_hash, existed: !!a.base_exists, text: a.base_content, bom: !!a.base_bom, force: true });
      this.store.markReverted(a.id);
      restored.push({ path: a.path, action });
    }
    this.store.setReverted(id);
    const paths = [...new Set(restored.map((r) => r.path))];
    this.step(id, { kind: 'undo', name: 'undo', detail: `restored ${paths.join(', ')}` });
    this.host.emit('fs/changed', { paths });
    this.judge(row, 'failure', 'reverted');
    this.emitStatus(id);
    return { view: this.view(id), restored };
  }

  /** Operations of this project left unfinished by a process that is gone. */
  interruptedOperations(): OperationRow[] {
    return this.store.active(this.projectId).filter((r) => this.interrupted(r));
  }

  isRunning(id: number): boolean {
    return this.owner.running.has(id);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The state machine

  private launch(id: number): Promise<void> {
    const controller = new AbortController();
    const done = this.drive(id, controller.signal).finally(() => this.owner.running.delete(id));
    this.owner.running.set(id, { controller, done });
    return done;
  }

  /** Runs phases until the operation ends or waits for review. Never rejects: failures become the operation's status. */
  private async drive(id: number, signal: AbortSignal): Promise<void> {
    // Let the caller see the operation (and subscribe to its events) before the first phase runs.
    await Promise.resolve();
    try {
      for (;;) {
        const row = this.must(id);
        if (TERMINAL.has(row.status) || row.status === 'awaiting_review') return;
        if (signal.aborted) throw cancelledError();
        const next = await this.phase(row, signal);
        if (next) this.setStatus(id, next);
      }
    } catch (e) {
      // Mira was closed under us: the operation stays as it was, to be resumed by the next process.
      if (!this.host.db.open) return;
      const err = MiraError.from(e);
      try {
        if (signal.aborted || err.code === 'cancelled') {
          this.close(id, 'cancelled', 'cancelled');
          return;
        }
        const resumable = RESUMABLE.has(err.code);
        const hint = resumable && !/ops resume/.test(err.hint ?? '') ? `${err.hint ? `${err.hint}; then ` : ''}resume it with mira ops resume ${id}` : err.hint;
        this.host.log?.warn({ operation_id: id, code: err.code, error: scrub(err.message) }, 'operation failed');
        this.step(id, { kind: 'status', name: 'failed', status: 'error', detail: `${err.code}: ${err.message}` });
        this.store.finish(id, 'failed', { code: err.code, message: err.message, hint });
        this.emitStatus(id);
      } catch (e2) {
        if (this.host.db.open) this.host.log?.warn({ operation_id: id, error: scrub((e2 as Error).message) }, 'could not record an operation failure');
      }
    }
  }

  private async phase(row: OperationRow, signal: AbortSignal): Promise<OpStatus | null> {
    switch (row.status) {
      case 'planning':
        return this.plan(row);
      case 'gathering':
        return this.gather(row, signal);
      case 'proposing':
        return this.propose(row, signal);
      case 'applying':
        return this.applyArtifacts(row);
      case 'verifying':
        return this.verify(row, signal);
      default:
        return null;
    }
  }

  /** A recipe that solved a similar task becomes the plan; its use is judged by this operation's outcome. */
  private async plan(row: OperationRow): Promise<OpStatus> {
    const t0 = performance.now();
    try {
      const [best] = await this.host.memory.reasoning.match(row.task, { projectId: this.projectId, k: 1 });
      if (best) {
        const plan = this.host.memory.reasoning.plan(best);
        this.store.setPattern(row.id, best.pattern.id, best.score);
        this.store.setPlan(row.id, plan);
        this.step(row.id, { kind: 'plan', name: 'reasoning_pattern', detail: `replaying "${best.pattern.name}" (match ${best.score})`, result: plan, tookMs: performance.now() - t0 });
        return 'gathering';
      }
    } catch (e) {
      this.host.log?.warn({ error: scrub((e as Error).message) }, 'matching reasoning patterns failed');
    }
    this.step(row.id, { kind: 'plan', name: 'plan', detail: 'no earlier recipe matches; the model plans', tookMs: performance.now() - t0 });
    return 'gathering';
  }

  /** Context from the oracle (and documents), a baseline run of the verification command, then the opening messages. */
  private async gather(row: OperationRow, signal: AbortSignal): Promise<OpStatus> {
    const opts = this.store.options(row);
    const t0 = performance.now();
    let items: ContextItem[] = [];
    try {
      const got = await this.host.context.gather(row.task, { projectId: this.projectId, projectRoot: this.host.project.root, maxTokens: this.host.contextTokens, signal });
      items = got.items;
      const paths = [...new Set(items.map((i) => i.path).filter((p): p is string => !!p))];
      this.step(row.id, { kind: 'context', name: 'oracle', detail: `${items.length} items, ${got.tokens} tokens${paths.length ? `: ${paths.slice(0, 8).join(', ')}` : ''}`, tookMs: performance.now() - t0 });
    } catch (e) {
      if (signal.aborted) throw cancelledError();
      // Without context the model can still look things up with its tools.
      this.step(row.id, { kind: 'context', name: 'oracle', status: 'error', detail: MiraError.from(e).message, tookMs: performance.now() - t0 });
    }
    let baseline: string | null = null;
    if (opts.verify) {
      const v = await this.runVerification(row, 'baseline', opts.verify, signal);
      if (signal.aborted) throw cancelledError();
      baseline = v.passed ? `\`${opts.verify}\` passes before the change.` : v.report;
    }
    const fresh = this.must(row.id);
    const tools = this.registry(row.id).list().map((t) => t.name);
    const system = operationSystemPrompt({ project: this.host.project, items, plan: fresh.plan, verify: this.verifyCommand(opts), baseline, tools });
    this.host.db.transaction(() => {
      this.store.addMessage(row.id, { role: 'system', content: system });
      this.store.addMessage(row.id, { role: 'user', content: row.task });
    })();
    return 'proposing';
  }

  /** The model's turns: each answer is stored, each tool call runs and its result is stored, until the model stops calling tools. */
  private async propose(row: OperationRow, signal: AbortSignal): Promise<OpStatus | null> {
    const id = row.id;
    const opts = this.store.options(row);
    const registry = this.registry(id);
    const specs = registry.specs();
    const messages = this.store.messages(id);
    const last = messages.at(-1);
    if (last?.role === 'assistant' && last.tool_calls?.length) {
      // A turn cut short by a restart: run the calls whose results were not stored.
      const answered = new Set(messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])));
      for (const call of last.tool_calls) {
        if (answered.has(call.id)) continue;
        if (signal.aborted) throw cancelledError();
        messages.push({ role: 'tool', tool_call_id: call.id, content: await this.runTool(id, call, registry, opts, signal) });
      }
    } else if (last?.role === 'assistant') {
      return this.afterProposing(this.must(id));
    }
    for (;;) {
      if (signal.aborted) throw cancelledError();
      const cur = this.must(id);
      if (cur.llm_calls >= opts.maxSteps) {
        throw new MiraError('step_limit', `the operation used all ${opts.maxSteps} model turns before the model finished`, `give it more with mira ops resume ${id} --max-steps ${opts.maxSteps * 2}`);
      }
      const t0 = performance.now();
      let r;
      try {
        r = await this.host.llm.chat(
          { messages, model: opts.model, effort: opts.effort, tools: specs, toolChoice: 'auto' },
          {
            purpose: 'operation',
            // Every turn acts on live files: an answer replayed from the cache could describe files as they were.
            cache: 'bypass',
            signal,
            projectId: this.projectId,
            onDelta: (delta) => this.host.emit('ops/delta', { operation_id: id, delta }),
          },
        );
      } catch (e) {
        const err = MiraError.from(e);
        if (this.host.db.open && err.code !== 'cancelled') this.step(id, { kind: 'llm', name: 'model', status: err.code === 'budget_exceeded' ? 'refused' : 'error', detail: err.message, tookMs: performance.now() - t0 });
        throw err;
      }
      const msg: ChatMessage = { role: 'assistant', content: r.content || null, ...(r.toolCalls.length ? { tool_calls: r.toolCalls } : {}) };
      const detail = r.toolCalls.length ? `${r.content ? `${oneLine(r.content, 120)} → ` : ''}calls ${r.toolCalls.map((c) => c.name).join(', ')}` : oneLine(r.content, 200) || '(no text)';
      const step = this.host.db.transaction(() => {
        this.store.addUsage(id, { costUsd: r.costUsd, tokensIn: r.usage.input, tokensOut: r.usage.output, llmCalls: 1 });
        this.store.addMessage(id, msg);
        // The model's own plan (its first words) is more specific than a replayed recipe.
        if (cur.llm_calls === 0 && r.content.trim()) this.store.setPlan(id, r.content.trim().slice(0, 4000));
        if (!r.toolCalls.length) this.store.setSummary(id, r.content.trim());
        return this.store.addStep(id, { kind: 'llm', name: r.model, detail, tokensIn: r.usage.input, tokensOut: r.usage.output, costUsd: r.costUsd, tookMs: r.tookMs || performance.now() - t0 });
      })();
      this.emitStep(id, step);
      this.emitStatus(id);
      messages.push(msg);
      if (!r.toolCalls.length) return this.afterProposing(this.must(id));
      for (const call of r.toolCalls) {
        if (signal.aborted) throw cancelledError();
        messages.push({ role: 'tool', tool_call_id: call.id, content: await this.runTool(id, call, registry, opts, signal) });
      }
    }
  }

  private afterProposing(row: OperationRow): OpStatus | null {
    const arts = this.pendingArtifacts(row);
    if (arts.length) return this.store.options(row).apply ? 'applying' : 'awaiting_review';
    if (row.round > 1) {
      this.judge(row, 'failure', 'no fix proposed');
      this.fail(row.id, 'verification_failed', 'the verification failed and the model proposed no further change', `the earlier changes stay applied: undo them with mira undo ${row.id}, or fix by hand`);
      return null;
    }
    this.step(row.id, { kind: 'status', name: 'no_changes', detail: 'the model proposed no change' });
    return 'done';
  }

  private pendingArtifacts(row: OperationRow): ArtifactRow[] {
    return this.store.artifacts(row.id).filter((a) => a.round === row.round && ['proposed', 'accepted', 'partial'].includes(a.status) && a.diff !== '');
  }

  /**
   * Writes this round's artifacts (only the chosen hunks), each only if its file is as it was when the edit was made.
   * All files are checked before any is written, and a failed write puts back what this attempt wrote.
   */
  private async applyArtifacts(row: OperationRow): Promise<OpStatus> {
    const opts = this.store.options(row);
    const fs = this.host.project.fs;
    const plans: { art: ArtifactRow; abs: string; content: string; hash: string; already: boolean }[] = [];
    for (const art of this.pendingArtifacts(row)) {
      const decisions = JSON.parse(art.hunks_json) as HunkDecision[];
      const take = (d: HunkDecision | string) => d === 'accepted' || (!opts.onlyAccepted && (d === 'pending' || d === 'proposed'));
      const content = decisions.length ? partialContent(art.base_content, art.new_content, decisions.map(take), art.diff) : take(art.status) ? art.new_content : art.base_content;
      if (content === art.base_content) {
        this.store.setArtifactStatus(art.id, 'rejected');
        continue;
      }
      const abs = fs.resolve(art.path);
      const hash = sha256(encode(content, !!art.base_bom));
      const now = hashOnDisk(abs);
      // After a restart in the middle of applying, a file may already hold exactly what we meant to write.
      const already = now === hash && now !== art.base_hash;
      if (!already && now !== (art.base_exists ? art.base_hash : null)) {
        throw new MiraError('conflict', `${art.path} changed on disk since the edit was proposed; nothing was applied`, 'review the file, then run the task again so the edit is made against the current content');
      }
      plans.push({ art, abs, content, hash, already });
    }
    const t0 = performance.now();
    const written: typeof plans = [];
    try {
      for (const p of plans) {
        if (!p.already) await writeIfUnchanged(p.abs, p.art.path, p.art.base_exists ? p.art.base_hash : null, p.content, !!p.art.base_bom);
        written.push(p);
      }
    } catch (e) {
      for (const w of written.reverse()) {
        if (w.already) continue;
        await restore(w.abs, w.art.path, { expected: w.hash, existed: !!w.art.base_exists, text: w.art.base_content, bom: !!w.art.base_bom }).catch((e2: Error) =>
          this.host.log?.warn({ path: w.art.path, error: scrub(e2.message) }, 'could not put a file back after a failed apply'),
        );
      }
      throw e;
    }
    const steps = this.host.db.transaction(() =>
      plans.map((p) => {
        this.store.markApplied(p.art.id, p.content, p.hash);
        const s = diffStats(unifiedDiff(p.art.base_content, p.content));
        return this.store.addStep(row.id, { kind: 'apply', name: p.art.path, detail: `wrote ${p.art.path} (+${s.additions} -${s.deletions})`, tookMs: performance.now() - t0 });
      }),
    )();
    for (const s of steps) this.emitStep(row.id, s);
    if (plans.length) this.host.emit('fs/changed', { paths: plans.map((p) => p.art.path) });
    else this.step(row.id, { kind: 'apply', name: 'nothing', detail: 'every change was rejected; nothing to write' });
    if (!plans.length) return 'done';
    if (this.verifyCommand(opts)) return 'verifying';
    this.judge(row, 'pending', 'applied');
    return 'done';
  }

  /** Runs the verification; a failure goes back to the model while rounds and steps remain. */
  private async verify(row: OperationRow, signal: AbortSignal): Promise<OpStatus | null> {
    const opts = this.store.options(row);
    const cmd = this.verifyCommand(opts);
    if (!cmd) return 'done';
    const v = await this.runVerification(row, 'verify', cmd, signal);
    if (signal.aborted) throw cancelledError();
    if (v.passed) {
      this.judge(row, 'success', 'verified');
      // A replayed recipe that worked was just credited; recording it again would count the same success twice.
      if (opts.learn && !this.must(row.id).pattern_id) this.learn(row.id, cmd);
      return 'done';
    }
    if (row.round < opts.maxRounds && row.llm_calls < opts.maxSteps) {
      const round = row.round + 1;
      this.host.db.transaction(() => {
        this.store.setRound(row.id, round);
        this.store.addMessage(row.id, { role: 'user', content: fixRoundMessage(v.report) });
      })();
      this.step(row.id, { kind: 'status', name: 'fix_round', detail: `verification failed; round ${round} of ${opts.maxRounds}` });
      return 'proposing';
    }
    this.judge(row, 'failure', 'verification failed');
    this.fail(row.id, 'verification_failed', `\`${cmd}\` still fails after ${row.round} round${row.round === 1 ? '' : 's'}`, `the changes stay applied: undo them with mira undo ${row.id}, or fix by hand`);
    return null;
  }

  private async runVerification(row: OperationRow, kind: 'baseline' | 'verify', cmd: string, signal: AbortSignal): Promise<{ passed: boolean; report: string }> {
    const t0 = performance.now();
    const out = await this.host.runCommand(cmd, { trigger: 'operation', signal, timeoutMs: VERIFY_TIMEOUT_MS });
    const passed = out.status === 'done' && out.exit_code === 0;
    const resolved = kind === 'verify' ? this.store.linkResolutions(row.id, out.run_id) : 0;
    this.store.addRun({
      operation_id: row.id,
      run_id: out.run_id,
      kind,
      round: row.round,
      command: cmd,
      status: out.status,
      exit_code: out.exit_code,
      passed,
      error_count: out.error_count,
      resolved_count: resolved,
      duration_ms: out.duration_ms,
    });
    const report = verificationReport({ command: cmd, exitCode: out.exit_code, status: out.status, errors: this.store.runErrors(out.run_id), tail: this.store.runTail(out.run_id) });
    this.step(row.id, {
      kind: 'verify',
      name: kind,
      status: passed ? 'ok' : 'failed',
      detail: `${kind === 'baseline' ? 'before the change: ' : ''}${cmd}: ${out.status === 'done' ? `exit ${out.exit_code}` : out.status}, ${out.error_count} error${out.error_count === 1 ? '' : 's'}${resolved ? `, ${resolved} resolved` : ''}`,
      args: { command: cmd, run_id: out.run_id },
      result: passed ? null : report,
      tookMs: performance.now() - t0,
    });
    return { passed, report };
  }

  private verifyCommand(opts: OperationOptions): string | null {
    if (opts.verify) return opts.verify;
    if (opts.noVerify) return null;
    return this.host.testCommand()?.trim() || null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tools

  /** Mira's tools plus the engine's own read_file and propose_edit, bound to this operation. */
  private registry(id: number): ToolRegistry {
    const reg = new ToolRegistry();
    for (const t of this.host.tools()) reg.register(t);
    reg.register(this.readFileTool(id));
    reg.register({
      name: 'propose_edit',
      description:
        'Propose a change to one file (nothing is written until the user applies it). `edit` is SEARCH/REPLACE blocks (<<<<<<< SEARCH / ======= / >>>>>>> REPLACE), a unified diff, or the whole new file content (which also creates a new file). Edits to a file already changed in this operation apply on top of the earlier ones.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'project-relative path of the file' },
          edit: { type: 'string', description: 'the edit' },
          format: { type: 'string', enum: ['search-replace', 'udiff', 'whole'], description: 'the edit format (default: detected)' },
        },
        required: ['path', 'edit'],
      },
      sideEffect: false,
      // Runs through runTool, which stores the artifact, the step and the answer in one transaction.
      run: () => {
        throw new MiraError('internal', 'propose_edit runs inside the operation engine');
      },
    });
    return reg;
  }

  private readFileTool(id: number): LlmTool<{ path: string; start_line?: number; end_line?: number }> {
    return {
      name: 'read_file',
      description: "Read a text file of the project (project-relative path; files outside the root are refused). Shows your proposed version if you already changed it. Long files come in pieces: use start_line and end_line.",
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'project-relative path' },
          start_line: { type: 'integer', minimum: 1, description: 'first line (1-based)' },
          end_line: { type: 'integer', minimum: 1, description: 'last line' },
        },
        required: ['path'],
      },
      sideEffect: false,
      run: (args) => {
        const fs = this.host.project.fs;
        const abs = fs.resolve(String(args.path ?? ''));
        const rel = fs.relative(abs);
        guardPath(rel);
        const row = this.must(id);
        const art = this.store.artifactAt(id, row.round, rel);
        let text: string;
        let note = '';
        if (art && art.status !== 'discarded') {
          text = art.new_content;
          note = ' (with your proposed edits, not yet written)';
        } else {
          const st = readState(abs, rel);
          if (!st.exists) throw new MiraError('not_found', `${rel} does not exist`, 'locate or search for the right path');
          text = st.text;
        }
        const lines = text.split('\n');
        if (lines.length && lines[lines.length - 1] === '') lines.pop();
        const n = lines.length;
        const start = Math.max(1, Math.floor(Number(args.start_line) || 1));
        let end = Math.min(n, Math.floor(Number(args.end_line) || start + 499));
        // Stay under the tool result limit so the model never gets a silently cut piece.
        let chars = 0;
        for (let i = start; i <= end; i++) {
          chars += lines[i - 1]!.length + 1;
          if (chars > 10_000) {
            end = Math.max(start, i - 1);
            break;
          }
        }
        const more = end < n ? `\n… ${n - end} more lines (read_file with start_line=${end + 1})` : '';
        return `${rel}${note}: lines ${n ? start : 0}-${end} of ${n}\n${lines.slice(start - 1, end).join('\n')}${more}`;
      },
    };
  }

  /** Runs one tool call and stores its step and answer; returns the answer the model gets. */
  private async runTool(id: number, call: ToolCall, registry: ToolRegistry, opts: OperationOptions, signal: AbortSignal): Promise<string> {
    const t0 = performance.now();
    const args = parseArgs(call.arguments);
    if (call.name === 'propose_edit') {
      const { step, content } = this.host.db.transaction(() => {
        let content: string;
        let status = 'ok';
        let path = typeof args?.path === 'string' ? args.path : '?';
        try {
          if (!args) throw new MiraError('bad_request', 'the arguments are not a valid JSON object');
          const r = this.proposeEdit(id, args);
          content = r.message;
          path = r.path;
        } catch (e) {
          const err = MiraError.from(e);
          content = `error: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
          status = 'refused';
        }
        this.store.addMessage(id, { role: 'tool', tool_call_id: call.id, content });
        this.store.addUsage(id, { toolCalls: 1 });
        const step = this.store.addStep(id, {
          kind: 'edit',
          name: 'propose_edit',
          status,
          detail: status === 'ok' ? content.split(';')[0]! : `${path}: ${content.replace(/^error: /, '')}`,
          args: { path, format: typeof args?.format === 'string' ? args.format : null, edit_chars: typeof args?.edit === 'string' ? args.edit.length : 0 },
          result: content,
          tookMs: performance.now() - t0,
        });
        return { step, content };
      })();
      this.emitStep(id, step);
      return content;
    }
    const out = await registry.execute(call, { projectId: this.projectId, signal, confirm: async () => opts.confirm === 'allow' });
    const step = this.host.db.transaction(() => {
      this.store.addMessage(id, { role: 'tool', tool_call_id: call.id, content: out.content });
      this.store.addUsage(id, { toolCalls: 1 });
      return this.store.addStep(id, {
        kind: 'tool',
        name: call.name,
        status: out.ok ? 'ok' : out.declined ? 'declined' : 'error',
        detail: describeCall(call.name, args),
        args: args ?? { raw: call.arguments.slice(0, 500) },
        result: out.content,
        tookMs: performance.now() - t0,
      });
    })();
    this.emitStep(id, step);
    return out.content;
  }

  /** Applies an edit to the file's proposed content (in memory) and records the artifact; a refusal throws with the reason. */
  private proposeEdit(id: number, args: Record<string, unknown>): { message: string; path: string } {
    const fs = this.host.project.fs;
    const given = typeof args.path === 'string' ? args.path.trim() : '';
    const edit = typeof args.edit === 'string' ? args.edit : '';
    if (!given) throw new MiraError('bad_request', 'propose_edit needs a path');
    if (!edit.trim()) throw new MiraError('bad_request', 'the edit is empty');
    const format = args.format === 'search-replace' || args.format === 'udiff' || args.format === 'whole' ? args.format : undefined;
    const abs = fs.resolve(given);
    const rel = fs.relative(abs);
    guardPath(rel);
    const row = this.must(id);
    const existing = this.store.artifactAt(id, row.round, rel);
    const base = existing
      ? { exists: !!existing.base_exists, hash: existing.base_hash, bom: !!existing.base_bom, text: existing.base_content }
      : readState(abs, rel);
    const current = existing ? existing.new_content : base.text;
    const r = applyEdit(current, edit, { path: rel, ...(format ? { format } : {}) });
    if (!r.applied) {
      const near = r.error.candidates?.length ? ` Closest lines: ${r.error.candidates.map((c) => `${c.line}: ${c.text.trim()}`).join(' | ')}` : '';
      throw new MiraError(r.error.code, `the edit to ${rel} was refused: ${r.error.message}.${near}`, 'SEARCH text must match the current content exactly; read the file again with read_file and retry');
    }
    if (r.content === current) return { message: `${rel}: the edit changes nothing`, path: rel };
    const diff = unifiedDiff(base.text, r.content, { fromFile: base.exists ? `a/${rel}` : '/dev/null', toFile: `b/${rel}` });
    const hunks: HunkDecision[] = computeHunks(base.text, r.content).map(() => 'pending');
    let artId: number;
    if (existing) {
      this.store.updateArtifact(existing.id, r.content, diff, hunks);
      artId = existing.id;
    } else {
      artId = this.store.insertArtifact({ operation_id: id, round: row.round, path: rel, base_exists: base.exists, base_hash: base.hash, base_bom: base.bom, base_content: base.text, new_content: r.content, diff, hunks }).id;
    }
    // Edits that cancel each other out leave nothing to review.
    if (!diff) this.store.setArtifactStatus(artId, 'discarded');
    const s = diffStats(diff);
    return {
      message: `proposed ${rel} (${base.exists ? 'changed' : 'new file'}, +${s.additions} -${s.deletions}, ${r.strategy}); not written until the user applies it; later edits to ${rel} apply on top of this one`,
      path: rel,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Outcomes, learning and bookkeeping

  /**
   * The replayed pattern learns how it went. Its use is recorded only now, with the outcome: a pending use would be judged
   * by whatever build runs first (the baseline, a build_run the model asked for), before the change is even applied.
   * 'pending' (applied, not verified) leaves the judgement to the project's next build or test run.
   */
  private judge(row: OperationRow, outcome: 'success' | 'failure' | 'pending', note: string): void {
    const fresh = this.must(row.id);
    if (!fresh.pattern_id) return;
    const reasoning = this.host.memory.reasoning;
    try {
      if (!fresh.pattern_usage_id) {
        const use = reasoning.recordUse(fresh.pattern_id, { task: fresh.task, score: fresh.pattern_score ?? 0, projectId: this.projectId, operationId: String(fresh.id) });
        this.store.setUsage(fresh.id, use);
        if (outcome !== 'pending') reasoning.recordOutcome(use, outcome, 'operation', note);
        return;
      }
      if (outcome === 'pending') return;
      const before = reasoning.get(fresh.pattern_id);
      const after = reasoning.recordOutcome(fresh.pattern_usage_id, outcome, 'operation', note);
      const judged = before && after && before.successes + before.failures !== after.successes + after.failures;
      // Already judged (verified, then undone): the later outcome counts as a use of its own.
      if (!judged && outcome === 'failure') reasoning.feedback(fresh.pattern_id, 'failure', 'operation', note);
    } catch (e) {
      this.host.log?.warn({ error: scrub((e as Error).message) }, 'recording a pattern outcome failed');
    }
  }

  /** A verified operation becomes a reasoning pattern (task → the tools it used), so the next similar task starts with a plan. */
  private learn(id: number, cmd: string): void {
    try {
      const row = this.must(id);
      const steps: { description: string; tool: string }[] = [];
      for (const s of this.store.steps(id)) {
        if (s.status !== 'ok') continue;
        let step: { description: string; tool: string } | null = null;
        if (s.kind === 'tool') step = { description: `${s.name}: ${s.detail}`.slice(0, 300), tool: s.name };
        else if (s.kind === 'edit') step = { description: `edit ${s.detail.replace(/^proposed /, '')}`.slice(0, 300), tool: 'propose_edit' };
        else if (s.kind === 'verify' && s.name === 'verify') step = { description: `verify with ${cmd}`, tool: 'build_run' };
        if (!step) continue;
        const prev = steps.at(-1);
        if (prev && prev.tool === step.tool && prev.description === step.description) continue;
        steps.push(step);
      }
      if (!steps.length) return;
      const contexts = [...new Set(this.store.artifacts(id).filter((a) => a.status === 'applied').map((a) => a.path))];
      const { pattern, action } = this.host.memory.reasoning.recordRecipe({
        task: row.task,
        steps: steps.slice(0, 20),
        projectId: this.projectId,
        operationId: String(id),
        contexts,
        solutionTemplate: (row.summary ?? '').slice(0, 1000),
        source: 'operation',
      });
      this.store.setLearned(id, pattern.id);
      this.step(id, { kind: 'learn', name: 'reasoning_pattern', detail: `${action} pattern ${pattern.id} "${pattern.name}"` });
    } catch (e) {
      this.host.log?.warn({ error: scrub((e as Error).message) }, 'learning from an operation failed');
    }
  }

  private interrupted(row: OperationRow): boolean {
    return ACTIVE.has(row.status) && !this.owner.running.has(row.id) && !ownerRunning(row);
  }

  private resumable(row: OperationRow): boolean {
    if (this.owner.running.has(row.id)) return false;
    if (this.interrupted(row)) return true;
    return row.status === 'failed' && !!row.error_code && RESUMABLE.has(row.error_code);
  }

  /** Ends an operation without running it further; its unapplied artifacts are discarded. */
  private close(id: number, status: OpStatus, why = 'cancelled'): void {
    const row = this.must(id);
    this.host.db.transaction(() => {
      for (const a of this.store.artifacts(id)) if (['proposed', 'accepted', 'rejected', 'partial'].includes(a.status)) this.store.setArtifactStatus(a.id, 'discarded');
      if (!TERMINAL.has(row.status) || status !== row.status) this.store.finish(id, status, status === 'cancelled' ? { code: 'cancelled', message: `the operation was ${why}` } : undefined);
    })();
    this.step(id, { kind: 'status', name: why, detail: `operation ${why}; nothing more is written` });
    this.emitStatus(id);
  }

  private fail(id: number, code: string, message: string, hint?: string): void {
    this.step(id, { kind: 'status', name: 'failed', status: 'error', detail: message });
    this.store.finish(id, 'failed', { code, message, hint });
    this.emitStatus(id);
  }

  private setStatus(id: number, status: OpStatus): void {
    if (TERMINAL.has(status)) this.store.finish(id, status, null);
    else this.store.setStatus(id, status);
    this.emitStatus(id);
  }

  private step(id: number, s: StepInput): StepRow {
    const row = this.store.addStep(id, s);
    this.emitStep(id, row);
    return row;
  }

  private emitStep(id: number, s: StepRow): void {
    this.host.emit('ops/step', { operation_id: id, step: stepInfo(s) });
  }

  private emitStatus(id: number): void {
    const r = this.must(id);
    this.host.emit('ops/status', {
      operation_id: id,
      status: r.status,
      cost_usd: round6(r.cost_usd),
      tokens_in: r.tokens_in,
      tokens_out: r.tokens_out,
      artifacts: this.store.artifactCount(id),
      error: r.error_code ? { code: r.error_code, message: r.error_message ?? '', ...(r.error_hint ? { hint: r.error_hint } : {}) } : null,
    });
  }

  private must(id: number): OperationRow {
    const row = this.store.get(id);
    if (!row || row.project_id !== this.projectId) throw new MiraError('not_found', `operation ${id} does not exist in this project`, 'see mira ops list');
    return row;
  }
}

/** The .git folder holds the repository itself: never read or written as a project file. */
function guardPath(rel: string): void {
  if (!rel || rel === '.' || rel === '.git' || rel.startsWith('.git/')) throw new MiraError('path_outside_root', `${rel || 'the project root'} is not a file the operation may touch`, 'give a path to a file inside the project');
}

function parseArgs(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = text.trim() ? JSON.parse(text) : {};
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describeCall(name: string, args: Record<string, unknown> | null): string {
  if (!args) return `${name}(invalid arguments)`;
  const parts = Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(oneLine(v, 80)) : JSON.stringify(v).slice(0, 80)}`);
  return `${name}(${parts.join(', ')})`;
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
