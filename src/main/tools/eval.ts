// `mira eval tools`: detect tools on a repository cut at T0, run the matching tool for each later commit of a toolsynth.jsonl set, and score it as toolsynth_baseline.py does.
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';
import { detectTools, isFresh, mineHistory, type FreshTool } from './detect';
import { ObjectReader, resolveRev, type RepoRef } from './history';
import { meanScores, scoreFiles, type Score } from './metrics';
import { fillPath } from './names';
import { buildProgram } from './program';
import { runInSandbox } from './sandbox';
import { runtime } from './runtime';
import { siblingsAtRev } from './siblings';

export interface ToolsynthCase {
  sha: string;
  name: string;
  template: string[];
  created: string[];
  extra: string[];
  modified: string[];
  registry: string[];
}

export interface EvalCaseResult {
  sha: string;
  name: string;
  template: string[];
  tool: string | null;
  files: { path: string; action: string; content?: string }[];
  score: Score;
  error?: string;
}

export interface EvalResult {
  set: string;
  t0: string;
  cases: number;
  tools: number;
  validated: number;
  metrics: Score | null;
  baselines: Record<string, Score | null> | null;
  goals: Record<string, boolean | null> | null;
  per_case: EvalCaseResult[];
  tool_list: { name: string; templates: string[]; support: number; validated: boolean; validation: { cases: number; path_f1: number; line_f1: number } }[];
  took_ms: number;
  detect_ms: number;
}

/** The tool a user would pick for a case: the one creating exactly the case's files, else the closest. */
export function matchTool(tools: FreshTool[], c: ToolsynthCase): FreshTool | null {
  const want = new Set(c.template.map((t) => fillPath(t, c.name)));
  let best: { t: FreshTool; j: number } | null = null;
  for (const t of tools) {
    const name = runtime().normalizeName(t.spec, c.name);
    const have = new Set(t.shape.templates.map((x) => fillPath(x, name)));
    let inter = 0;
    for (const p of have) if (want.has(p)) inter++;
    const j = inter / (want.size + have.size - inter);
    const better = !best || j > best.j + 1e-9 || (Math.abs(j - best.j) < 1e-9 && t.validated && !best.t.validated);
    if (j > 0 && better) best = { t, j };
  }
  return best?.t ?? null;
}

export interface EvalOptions {
  setDir: string;
  repo: RepoRef;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Keep each predicted file's content in per_case (to re-score them with toolsynth_baseline.py). */
  keepContent?: boolean;
}

export async function evalToolSet(opts: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const metaFile = path.join(opts.setDir, 'meta.json');
  const casesFile = path.join(opts.setDir, 'toolsynth.jsonl');
  if (!fs.existsSync(metaFile)) throw new MiraError('not_found', `${metaFile} does not exist`, 'pass --set a folder holding meta.json and toolsynth.jsonl');
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { t0?: string };
  if (!meta.t0) throw new MiraError('bad_request', `${metaFile} has no t0`);
  const cases: ToolsynthCase[] = fs.existsSync(casesFile)
    ? fs
        .readFileSync(casesFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as ToolsynthCase)
    : [];
  const t0 = await resolveRev(opts.repo, meta.t0);
  if (!t0) throw new MiraError('not_found', `commit ${meta.t0} is not in ${opts.repo.gitDir ?? opts.repo.root}`, 'pass --repo the git dir of the set\'s repository (fetch it first)');
  const reader = new ObjectReader(opts.repo);
  try {
    const d0 = performance.now();
    const commits = await mineHistory(opts.repo, [t0]);
    const tools = (await detectTools(commits, reader, { onProgress: (d, n) => opts.onProgress?.('detect', d, n) })).filter(isFresh);
    const detectMs = performance.now() - d0;
    const perCase: EvalCaseResult[] = [];
    let i = 0;
    for (const c of cases) {
      opts.onProgress?.('cases', ++i, cases.length);
      const gold = await Promise.all(c.created.map(async (p) => ({ path: p, content: await reader.text(`${c.sha}:${p}`) })));
      const tool = matchTool(tools, c);
      if (!tool) {
        perCase.push({ sha: c.sha, name: c.name, template: c.template, tool: null, files: [], score: scoreFiles([], gold, c.modified), error: 'no matching tool' });
        continue;
      }
      const seeds = await siblingsAtRev(reader, `${c.sha}^`, tool.spec.files, c.name);
      for (const r of tool.spec.registries) {
        const text = await reader.text(`${c.sha}^:${r.path}`);
        if (text !== null) seeds.set(r.path, text);
      }
      let files: { path: string; action: string; content: string }[] = [];
      let error: string | undefined;
      try {
        const program = buildProgram(tool.spec, { version: 1, examples: tool.shape.instances.map((x) => ({ sha: x.sha, name: x.name })), validation: tool.validation });
        const run = await runInSandbox(program, { name: c.name }, seeds, {}, `tool ${tool.name}`);
        files = [
          ...[...run.created].map(([p, content]) => ({ path: p, action: 'create', content })),
          ...[...run.modified].map(([p, content]) => ({ path: p, action: 'modify', content })),
        ];
      } catch (e) {
        error = (e as Error).message;
      }
      perCase.push({ sha: c.sha, name: c.name, template: c.template, tool: tool.name, files: files.map((f) => (opts.keepContent ? { path: f.path, action: f.action, content: f.content } : { path: f.path, action: f.action })), score: scoreFiles(files, gold, c.modified), error });
    }
    const metrics = meanScores(perCase.map((p) => p.score));
    const baselines = readBaselines(opts.setDir);
    const better = baselines ? Math.max(baselines.copy_last?.path_f1 ?? 0, baselines.copy_template?.path_f1 ?? 0) : null;
    const validated = tools.filter((t) => t.validated).length;
    return {
      set: path.basename(path.resolve(opts.setDir)),
      t0,
      cases: cases.length,
      tools: tools.length,
      validated,
      metrics,
      baselines,
      goals: metrics
        ? {
            validated_tools_ge_3: validated >= 3,
            created_exact_ge_095: metrics.created_exact >= 0.95,
            path_f1_beats_baseline: better === null ? null : metrics.path_f1 >= better + 0.02,
            line_f1_ge_1_2x_copy_last: baselines?.copy_last ? metrics.line_f1 >= 1.2 * baselines.copy_last.line_f1 : null,
          }
        : { validated_tools_ge_3: validated >= 3 },
      per_case: perCase,
      tool_list: tools.map((t) => ({ name: t.name, templates: t.shape.templates, support: t.shape.support, validated: t.validated, validation: { cases: t.validation.cases, path_f1: t.validation.path_f1, line_f1: t.validation.line_f1 } })),
      took_ms: Math.round(performance.now() - started),
      detect_ms: Math.round(detectMs),
    };
  } finally {
    reader.close();
  }
}

/** The copy baselines of the set, from toolsynth_baselines.jsonl next to the set folder (or inside it). */
function readBaselines(setDir: string): Record<string, Score | null> | null {
  const name = path.basename(path.resolve(setDir));
  for (const f of [path.join(setDir, 'toolsynth_baselines.jsonl'), path.join(setDir, '..', 'toolsynth_baselines.jsonl'), path.join(setDir, 'baselines.json')]) {
    if (!fs.existsSync(f)) continue;
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const j = JSON.parse(line) as { set?: string; copy_last?: Score; copy_template?: Score };
        if (j.set === name || (j.set && path.basename(j.set) === name)) return { copy_last: j.copy_last ?? null, copy_template: j.copy_template ?? null };
      } catch {
        /* not a baselines line */
      }
    }
  }
  return null;
}
