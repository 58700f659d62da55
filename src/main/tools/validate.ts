// Validation as LATM verifies tools: replay each tool on its own examples, one held out at a time, on that commit's parent tree; and choose per template how content is derived.
import type { ObjectReader } from './history';
import { bagF1, meanScores, scoreFiles, type Score } from './metrics';
import { mapIO, runtime, type ContentModel, type KeyedFile, type ToolSpec } from './runtime';
import type { Instance, PoolEntry, Shape } from './shapes';
import type { Affix } from './names';
import { candidatesAtRev, pick } from './siblings';
import { derive, factsBag, fileFacts, prepare, shapeAffix, templateAffix, weights, DEFAULT_CONFIG, type DeriveConfig, type Example, type FileChoice, type PooledFile, type Prepared } from './synthesize';

/** Learn from at most this many examples (the newest): old conventions fade, and it bounds the cost. */
export const LEARN_WINDOW = 20;
/** Hold out at most this many examples (the newest) when validating. */
export const HOLDOUT_MAX = 10;

/** Consensus settings tried on history (older files predict the next one). */
export const HISTORY_GRID: DeriveConfig[] = [
  ...[0.2, 0.3, 0.4, 0.5].flatMap((theta) => [2, 6, 20].map((halfLife) => ({ theta, halfLife, mode: 'consensus' as const, knn: 0 }))),
  ...[0.05, 0.15, 0.3].flatMap((theta) => [
    { theta, halfLife: 4, mode: 'medoid' as const, knn: 0 },
    { theta, halfLife: 4, mode: 'newest' as const, knn: 0 },
  ]),
];

/** Settings tried on the current siblings of a template (all weigh the same; knn copies a sibling named alike). */
const SIBLING_BASES: ContentModel[] = [
  { theta: 0.2, halfLife: Infinity, mode: 'consensus', knn: 0 },
  { theta: 0.3, halfLife: Infinity, mode: 'consensus', knn: 0 },
  { theta: 0.5, halfLife: Infinity, mode: 'consensus', knn: 0 },
  { theta: 0.7, halfLife: Infinity, mode: 'consensus', knn: 0 },
  { theta: 0.15, halfLife: Infinity, mode: 'medoid', knn: 0 },
];
export const SIBLING_GRID: ContentModel[] = SIBLING_BASES.flatMap((m) => [0, 0.2, 0.35, 0.5].map((knn) => ({ ...m, knn })));

export interface Validation extends Score {
  cases: number;
}

/** A tool passes when, replayed on its own history, it gets most paths right and a fair share of the lines. */
export const PASS = { path_f1: 0.75, line_f1: 0.1 };

export function passes(v: Validation): boolean {
  return v.cases > 0 && v.path_f1 >= PASS.path_f1 && v.line_f1 >= PASS.line_f1;
}

/** Reads what an instance created and the registry files its commit changed. */
export async function loadExample(reader: ObjectReader, shape: Shape, inst: Instance): Promise<Example> {
  const files: Record<string, string | null> = {};
  await Promise.all(
    shape.templates.map(async (t) => {
      const f = inst.files[t];
      files[t] = f ? await reader.text(f.blob) : null;
    }),
  );
  const registries: Example['registries'] = {};
  await Promise.all(
    shape.registries.map(async (r) => {
      const m = inst.modified.find((x) => x.path === r);
      if (!m) return;
      const [before, after] = await Promise.all([reader.text(m.old), reader.text(m.new)]);
      if (before !== null && after !== null) registries[r] = { before, after };
    }),
  );
  return { inst, files, registries };
}

/** The registry files as they were at the instance's parent commit (what the tool reads when replayed there). */
async function parentRegistries(reader: ObjectReader, shape: Shape, ex: Example, into: Map<string, string | null>): Promise<void> {
  await Promise.all(
    shape.registries.map(async (r) => {
      const m = ex.registries[r];
      into.set(r, m ? m.before : ex.inst.parent ? await reader.text(`${ex.inst.parent}:${r}`) : null);
    }),
  );
}

/** What the tool should have produced for an instance: the shape's files with their contents, and the registries its commit touched. */
export function goldOf(shape: Shape, ex: Example): { created: { path: string; content: string | null }[]; modified: string[] } {
  const created = shape.templates.map((t) => ({ path: ex.inst.files[t]!.path, content: ex.files[t] ?? null }));
  const mods = new Set(ex.inst.modified.map((m) => m.path));
  return { created, modified: shape.registries.filter((r) => mods.has(r)) };
}

/** Runs a spec in-process with the generator the sandbox uses, over an in-memory project. */
export function replay(spec: ToolSpec, name: string, files: Map<string, string | null>): { path: string; action: string; content: string }[] {
  const out = runtime().generate(spec, { name }, mapIO(files));
  return out.map((f) => ({ path: f.path, action: files.get(f.path) != null ? 'modify' : 'create', content: f.content }));
}

export interface SynthesisResult {
  spec: ToolSpec;
  choices: Record<string, FileChoice>;
  validation: Validation;
  perCase: { sha: string; name: string; score: Score }[];
}

/** What synthesis reads for a shape: its newest examples (with registry diffs) and, per template, the newest earlier files. */
export interface Material {
  examples: Prepared[];
  pools: Record<string, PooledFile[]>;
}

/** Per-run caches: keyed files by blob and name, and the content choice of each template (shared by shapes). */
export interface Caches {
  facts: Map<string, Promise<PooledFile>>;
  choices: Map<string, FileChoice>;
  siblings: Map<string, Promise<{ files: Map<string, string>; keyed: KeyedFile[] }>>;
}

export function newCaches(): Caches {
  return { facts: new Map(), choices: new Map(), siblings: new Map() };
}

export async function loadMaterial(reader: ObjectReader, shape: Shape, caches: Caches): Promise<Material> {
  const insts = shape.instances.slice(0, LEARN_WINDOW + 1);
  const affix = shapeAffix(shape);
  const examples = await Promise.all(insts.map(async (i) => prepare(await loadExample(reader, shape, i), affix)));
  const pools: Record<string, PooledFile[]> = {};
  await Promise.all(
    shape.templates.map(async (t) => {
      const entries = (shape.pool[t] ?? []).slice(0, LEARN_WINDOW + HOLDOUT_MAX + 2);
      const affix = templateAffix(shape, t);
      pools[t] = await Promise.all(entries.map((e) => pooled(reader, e, caches, affix)));
    }),
  );
  return { examples, pools };
}

function pooled(reader: ObjectReader, e: PoolEntry, caches: Caches, affix: Affix | null): Promise<PooledFile> {
  const key = `${e.blob}\0${e.name}\0${affix ? `${affix.prefix}\0${affix.suffix}` : ''}`;
  let p = caches.facts.get(key);
  if (!p) {
    p = reader.text(e.blob).then((text) => ({ sha: e.sha, parent: e.parent, name: e.name, facts: fileFacts(e.name, text, affix) }));
    caches.facts.set(key, p);
  }
  return p;
}

/** The pools without what the held-out commit (or its name) contributed, cut to the learning window. */
function poolsWithout(pools: Record<string, PooledFile[]>, sha: string | null, name: string | null): Record<string, PooledFile[]> {
  const out: Record<string, PooledFile[]> = {};
  for (const [t, l] of Object.entries(pools)) out[t] = l.filter((e) => e.sha !== sha && e.name !== name).slice(0, LEARN_WINDOW);
  return out;
}

/** Reads (and keys) the siblings of a template a tool would pick for `name` at a revision. */
export class Siblings {
  private readonly keyed = new Map<string, KeyedFile | null>();
  constructor(private readonly reader: ObjectReader, private readonly caches: Caches) {}

  at(rev: string, template: string, name: string, affix: Affix | null): Promise<{ files: Map<string, string>; keyed: KeyedFile[] }> {
    const key = `${rev}\0${template}\0${name}`;
    let p = this.caches.siblings.get(key);
    if (!p) {
      p = (async () => {
        const files = new Map<string, string>();
        const keyed: KeyedFile[] = [];
        const picked = pick(await candidatesAtRev(this.reader, rev, template), name);
        const texts = await Promise.all(picked.map((s) => this.reader.text(`${rev}:${s.path}`)));
        for (let i = 0; i < picked.length; i++) {
          const s = picked[i]!;
          const text = texts[i]!;
          if (text === null) continue;
          files.set(s.path, text);
          // the same file under the same name recurs at many revisions: key it once
          const kk = `${s.name}\0${affix ? `${affix.prefix}\0${affix.suffix}` : ''}\0${text}`;
          let k = this.keyed.get(kk);
          if (k === undefined) {
            k = fileFacts(s.name, text, affix);
            if (this.keyed.size > 5000) this.keyed.clear();
            this.keyed.set(kk, k);
          }
          if (k) keyed.push(k);
        }
        return { files, keyed };
      })();
      this.caches.siblings.set(key, p);
      if (this.caches.siblings.size > 4000) this.caches.siblings.delete(this.caches.siblings.keys().next().value!);
    }
    return p;
  }
}

/**
 * Chooses how a template's content is made, by predicting its newest files as they were added: from the older files
 * of the template (history), or from the files of the template present at that commit's parent (siblings).
 * History is forward-chained: each held-out file is predicted from older files only, as the tool will predict the
 * next one (leave-one-out would let later files explain earlier ones and hide a convention that is changing).
 */
export async function chooseFile(template: string, pool: PooledFile[], sib: Siblings | null, affix: Affix | null = null): Promise<FileChoice> {
  const held = pool
    .map((e, i) => ({ e, i }))
    .filter((x) => x.e.facts && pool.slice(x.i + 1).some((o) => o.facts && o.name !== x.e.name))
    .slice(0, HOLDOUT_MAX);
  const none: FileChoice = { history: DEFAULT_CONFIG, source: 'history', siblings: DEFAULT_CONFIG, historyF1: 0, siblingsF1: 0, cases: 0 };
  if (held.length < 2) return none;
  const golds = held.map((h) => factsBag(h.e.facts!));
  const rt = runtime();
  // history: statistics once per held-out file and half-life, then every configuration on them
  const grid = HISTORY_GRID;
  const scores = grid.map(() => held.map(() => 0));
  for (const hl of [...new Set(grid.map((g) => g.halfLife))]) {
    held.forEach((h, k) => {
      const older = pool.slice(h.i + 1).filter((e) => e.sha !== h.e.sha && e.name !== h.e.name).slice(0, LEARN_WINDOW);
      const st = rt.stats(
        older.map((e) => e.facts),
        weights(older.length, hl),
      );
      grid.forEach((cfg, g) => {
        if (cfg.halfLife === hl) scores[g]![k] = bagF1(rt.bagOf(st, cfg, h.e.name, affix), golds[k]!);
      });
    });
  }
  let bestH = { cfg: DEFAULT_CONFIG, f1s: held.map(() => 0), mean: -1 };
  grid.forEach((cfg, g) => {
    const f1s = scores[g]!;
    const mean = f1s.reduce((a, b) => a + b, 0) / f1s.length;
    if (mean > bestH.mean + 1e-9) bestH = { cfg, f1s, mean };
  });
  const choice: FileChoice = { history: bestH.cfg, source: 'history', siblings: DEFAULT_CONFIG, historyF1: bestH.mean, siblingsF1: 0, cases: held.length };
  if (!sib) return choice;
  // siblings: the files of the template at each held-out commit's parent (fewer than 2: the tool falls back to history)
  const sibs = await Promise.all(held.map((h) => (h.e.parent ? sib.at(h.e.parent, template, h.e.name, affix).then((s) => s.keyed) : Promise.resolve([]))));
  if (sibs.filter((k) => k.length >= 2).length < 2) return choice;
  const sScores = SIBLING_GRID.map(() => 0);
  held.forEach((h, k) => {
    const keyed = sibs[k]!;
    if (keyed.length < 2) {
      SIBLING_GRID.forEach((_, g) => (sScores[g]! += bestH.f1s[k]!));
      return;
    }
    const st = rt.stats(
      keyed,
      keyed.map(() => 1),
    );
    const nn = rt.nearest(h.e.name, keyed);
    const copy = nn.index >= 0 ? bagF1(rt.copyBag(keyed[nn.index]!, h.e.name, affix), golds[k]!) : 0;
    const base = new Map<string, number>();
    SIBLING_GRID.forEach((cfg, g) => {
      if (cfg.knn > 0 && nn.index >= 0 && nn.sim >= cfg.knn) {
        sScores[g]! += copy;
        return;
      }
      const key = `${cfg.mode}:${cfg.theta}`;
      if (!base.has(key)) base.set(key, bagF1(rt.bagOf(st, cfg, h.e.name, affix), golds[k]!));
      sScores[g]! += base.get(key)!;
    });
  });
  let bestS = { cfg: DEFAULT_CONFIG, mean: -1 };
  SIBLING_GRID.forEach((cfg, g) => {
    const mean = sScores[g]! / held.length;
    if (mean > bestS.mean + 1e-9) bestS = { cfg, mean };
  });
  choice.siblings = bestS.cfg;
  choice.siblingsF1 = bestS.mean;
  if (bestS.mean > bestH.mean + 1e-9) choice.source = 'siblings';
  return choice;
}

/**
 * Synthesizes a tool for a shape and validates it leave-one-out on its newest examples: each is replayed on its
 * parent commit (its registry files and the siblings there) with the tool derived from the other examples.
 */
export async function synthesizeAndValidate(shape: Shape, material: Material, reader: ObjectReader, toolName: string, caches: Caches, sib: Siblings | null): Promise<SynthesisResult> {
  const choices: Record<string, FileChoice> = {};
  for (const t of shape.templates) {
    let c = caches.choices.get(t);
    if (!c) {
      c = await chooseFile(t, material.pools[t] ?? [], sib, templateAffix(shape, t));
      caches.choices.set(t, c);
    }
    choices[t] = c;
  }
  const learn = material.examples;
  const per: SynthesisResult['perCase'] = [];
  const nHold = learn.length >= 2 ? Math.min(HOLDOUT_MAX, learn.length) : 0;
  for (let i = 0; i < nHold; i++) {
    const ex = learn[i]!.ex;
    const files = new Map<string, string | null>();
    if (sib && ex.inst.parent) {
      for (const t of shape.templates) {
        if (choices[t]!.source !== 'siblings') continue;
        for (const [p, text] of (await sib.at(ex.inst.parent, t, ex.inst.name, templateAffix(shape, t))).files) files.set(p, text);
      }
    }
    await parentRegistries(reader, shape, ex, files);
    const gold = goldOf(shape, ex);
    const others = learn.filter((_, j) => j !== i).slice(0, LEARN_WINDOW);
    const spec = derive({ shape, pools: poolsWithout(material.pools, ex.inst.sha, ex.inst.name), examples: others, toolName, choices });
    let out: { path: string; action: string; content: string }[] = [];
    try {
      out = replay(spec, ex.inst.name, files);
    } catch {
      out = [];
    }
    per.push({ sha: ex.inst.sha, name: ex.inst.name, score: scoreFiles(out, gold.created, gold.modified) });
  }
  const m = meanScores(per.map((p) => p.score)) ?? { created_exact: 0, path_f1: 0, line_f1: 0 };
  const spec = derive({ shape, pools: poolsWithout(material.pools, null, null), examples: learn.slice(0, LEARN_WINDOW), toolName, choices });
  return { spec, choices, validation: { cases: per.length, ...m }, perCase: per };
}

