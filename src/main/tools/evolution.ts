// How stored tools follow the project: a new commit of a tool's shape that the tool would have got wrong re-derives it as a new version (with the reason kept); tools whose runs keep failing are retired.
import crypto from 'node:crypto';
import type { FreshTool } from './detect';
import type { ObjectReader } from './history';
import { scoreFiles, type Score } from './metrics';
import { buildProgram } from './program';
import type { Instance, Shape } from './shapes';
import { siblingsAtRev } from './siblings';
import type { ExampleRef, ToolRow, ToolStore, ValidationRecord } from './store';
import { loadExample, goldOf, replay } from './validate';
import type { ToolSpec } from './runtime';

/** Bumped when detection or synthesis changes enough that stored tools should be re-derived. */
export const ALGORITHM_VERSION = 5;

/** A new commit "agrees" with a tool when the tool gets every path and about as many lines as on its own history. */
const LINE_SLACK = 0.15;

/** Retire a tool after this many decided runs if fewer than this share succeeded. */
export const RETIRE = { minDecided: 5, minRate: 0.4 };

export function examplesOf(shape: Shape): ExampleRef[] {
  return shape.instances.map((i) => ({ sha: i.sha, name: i.name, time: i.time }));
}

export function examplesHash(shape: Shape): string {
  const h = crypto.createHash('sha256');
  h.update(`v${ALGORITHM_VERSION}\n`);
  for (const i of shape.instances) h.update(`${i.sha} ${i.name}\n`);
  return h.digest('hex').slice(0, 32);
}

function validationRecord(t: FreshTool): ValidationRecord {
  return { cases: t.validation.cases, path_f1: t.validation.path_f1, line_f1: t.validation.line_f1, created_exact: t.validation.created_exact, per_case: t.perCase };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Replays a stored spec on a commit of its shape (at the commit's parent) and scores it against what the commit did. */
export async function replayOnCommit(spec: ToolSpec, shape: Shape, inst: Instance, reader: ObjectReader): Promise<{ score: Score; missing: string[]; extra: string[]; registryDiffers: string[] }> {
  const ex = await loadExample(reader, shape, inst);
  const files = new Map<string, string | null>();
  if (inst.parent) {
    for (const [p, t] of await siblingsAtRev(reader, inst.parent, spec.files, inst.name)) files.set(p, t);
    for (const r of spec.registries) files.set(r.path, ex.registries[r.path]?.before ?? (await reader.text(`${inst.parent}:${r.path}`)));
  }
  let out: { path: string; action: string; content: string }[] = [];
  try {
    out = replay(spec, inst.name, files);
  } catch {
    out = [];
  }
  const gold = goldOf(shape, ex);
  const want = new Set([...gold.created.map((c) => c.path), ...gold.modified]);
  const got = new Set(out.map((f) => f.path));
  // a registry the tool edits, but not the way the commit did (the registration convention changed)
  const registryDiffers = spec.registries
    .map((r) => r.path)
    .filter((p) => {
      const mine = out.find((f) => f.path === p);
      const theirs = ex.registries[p]?.after;
      return mine && theirs !== undefined && mine.content !== theirs;
    });
  return {
    score: scoreFiles(out, gold.created, gold.modified),
    missing: [...want].filter((p) => !got.has(p)),
    extra: [...got].filter((p) => !want.has(p)),
    registryDiffers,
  };
}

export interface Reconciled {
  row: ToolRow;
  event: 'created' | 'rederived' | 'confirmed' | 'unchanged';
}

/**
 * Stores what detection found for one shape. A new shape becomes version 1. A known shape with new commits is
 * replayed on them with its current version: if the tool would have produced what they did, the version stays (its
 * examples are updated); otherwise the freshly derived tool becomes the next version, and the reason is recorded.
 */
export async function reconcile(store: ToolStore, patternId: number, t: FreshTool, reader: ObjectReader): Promise<Reconciled> {
  const hash = examplesHash(t.shape);
  const examples = examplesOf(t.shape);
  const prev = store.latest(t.name);
  const status: ToolRow['status'] = t.validated ? 'active' : 'unvalidated';
  const make = (version: number) =>
    store.insertTool({
      pattern_id: patternId,
      name: t.name,
      version,
      status,
      description: t.spec.description,
      params: t.spec.params,
      spec: t.spec,
      program: buildProgram(t.spec, { version, examples, validation: t.validation }),
      validation: validationRecord(t),
      examples,
      examples_hash: hash,
    });
  if (!prev) {
    const row = make(1);
    const v = t.validation;
    store.addEvolution({
      tool_name: t.name,
      from_version: null,
      to_version: 1,
      event: 'created',
      reason: `learned from ${t.shape.support} commits; leave-one-out on ${v.cases}: path F1 ${round(v.path_f1)}, line F1 ${round(v.line_f1)}${t.validated ? '' : ' (below the bar: not offered)'}`,
      commit_sha: t.shape.instances[0]?.sha ?? null,
    });
    return { row, event: 'created' };
  }
  if (prev.examples_hash === hash) return { row: prev, event: 'unchanged' };

  // the commits of this shape the stored version has not seen, oldest first
  const known = new Set(prev.examples.map((e) => `${e.sha}\0${e.name}`));
  const newest = Math.max(0, ...prev.examples.map((e) => e.time));
  const fresh = t.shape.instances.filter((i) => !known.has(`${i.sha}\0${i.name}`) && i.time >= newest).reverse();
  const expected = prev.validation.line_f1;
  for (const inst of fresh.slice(-5)) {
    const r = await replayOnCommit(prev.spec, t.shape, inst, reader);
    const pathsWrong = r.score.path_f1 < 1;
    const linesWorse = r.score.line_f1 < expected - LINE_SLACK;
    if (!pathsWrong && !linesWorse && !r.registryDiffers.length) continue;
    const what = [
      r.missing.length ? `it would not have touched ${r.missing.join(', ')}` : '',
      r.extra.length ? `it would have touched ${r.extra.join(', ')} too` : '',
      r.registryDiffers.length ? `it would have registered it differently in ${r.registryDiffers.join(', ')}` : '',
      linesWorse ? `line F1 ${round(r.score.line_f1)} against ${round(expected)} on its own history` : '',
    ].filter(Boolean);
    const version = prev.version + 1;
    const row = make(version);
    if (prev.status === 'active' && status === 'active') store.setStatus(prev.id, 'superseded');
    store.addEvolution({
      tool_name: t.name,
      from_version: prev.version,
      to_version: version,
      event: 'rederived',
      reason: `commit ${inst.sha.slice(0, 10)} (${inst.name}) did this differently: ${what.join('; ')}; re-derived from ${t.shape.support} commits (leave-one-out path F1 ${round(t.validation.path_f1)}, line F1 ${round(t.validation.line_f1)})`,
      commit_sha: inst.sha,
      details: { path_f1: r.score.path_f1, line_f1: r.score.line_f1, missing: r.missing, extra: r.extra, registry_differs: r.registryDiffers },
    });
    return { row, event: 'rederived' };
  }
  // every new commit agreed: same version, more examples
  store.updateExamples(prev.id, examples, hash);
  if (fresh.length) {
    store.addEvolution({
      tool_name: t.name,
      from_version: prev.version,
      to_version: prev.version,
      event: 'confirmed',
      reason: `${fresh.length} new commit${fresh.length > 1 ? 's' : ''} matched what version ${prev.version} produces`,
      commit_sha: fresh[fresh.length - 1]!.sha,
    });
  }
  return { row: store.latest(t.name)!, event: 'confirmed' };
}

export interface ToolStats {
  runs: number;
  accepted: number;
  rejected: number;
  ok: number;
  failed: number;
}

/** Share of decided runs that helped: applied and not followed by a failing build, over applied plus rejected. */
export function successRate(s: ToolStats | undefined): number | null {
  if (!s) return null;
  const decided = s.accepted + s.rejected;
  return decided ? Math.round(((s.accepted - s.failed) / decided) * 1000) / 1000 : null;
}

/** Retires active tools whose runs mostly fail; returns the names retired. */
export function retireFailing(store: ToolStore): string[] {
  const stats = store.stats();
  const out: string[] = [];
  for (const row of store.allLatest()) {
    if (row.status !== 'active') continue;
    const s = stats.get(row.name);
    const rate = successRate(s);
    if (!s || rate === null || s.accepted + s.rejected < RETIRE.minDecided || rate >= RETIRE.minRate) continue;
    store.setStatus(row.id, 'retired');
    store.addEvolution({
      tool_name: row.name,
      from_version: row.version,
      to_version: null,
      event: 'retired',
      reason: `success rate ${rate} over ${s.accepted + s.rejected} decided runs (${s.rejected} rejected, ${s.failed} followed by a failing build) is below ${RETIRE.minRate}`,
    });
    out.push(row.name);
  }
  return out;
}
