// Derives a tool from the examples of a shape by anti-unification: lines most examples share stay, the name becomes a placeholder, one-off text goes; registry insertions get a learned anchor.
import { diffSeq } from '../apply/diff';
import { pyStrip } from './metrics';
import { caseStyle, commonAffix, FORM_ORDER, NameMatcher, SLOT_MARK, slotKey, singular, type Affix, type NameForm, type TemplatedLine } from './names';
import { runtime, type AnchorRule, type BlockSpec, type ContentModel, type Derived, type FileSpec, type KeyedFile, type ParamSpec, type Part, type RegistrySpec, type ToolSpec } from './runtime';
import type { Instance, Shape } from './shapes';

/** Files larger than this are not learned from (generated snapshots, bundles). */
const MAX_LEARN_BYTES = 256 * 1024;

/** One example with its contents read: the files it created, and the registry files before and after its commit. */
export interface Example {
  inst: Instance;
  files: Record<string, string | null>;
  /** registry path -> texts at the parent and at the commit (only where the commit modified it) */
  registries: Record<string, { before: string; after: string }>;
}

/** How a file's content is derived (chosen per template by validation). */
export type DeriveConfig = ContentModel;

export const DEFAULT_CONFIG: DeriveConfig = { theta: 0.5, halfLife: 8, mode: 'consensus', knn: 0 };

interface LineInfo {
  indent: string;
  /** the stripped line as written */
  text: string;
  key: string;
  t: TemplatedLine;
}

interface Run {
  at: number;
  lines: LineInfo[];
  raw: string[];
}

interface RegistryFacts {
  before: string[];
  beforeStripped: string[];
  runs: Run[];
  keys: Set<string>;
}

/** What registry derivation needs from one example, computed once and reused across the configurations tried. */
export interface Prepared {
  ex: Example;
  registries: Record<string, RegistryFacts>;
}

/** One earlier file of a template, with its lines keyed (the name cut out). */
export interface PooledFile {
  sha: string;
  parent: string | null;
  name: string;
  facts: KeyedFile | null;
}

/** How one template's content is made: the history model (also the fallback), and whether siblings do better. */
export interface FileChoice {
  history: DeriveConfig;
  source: 'siblings' | 'history';
  siblings: ContentModel;
  /** Mean line F1 of each way on the template's newest files (forward-chained). */
  historyF1: number;
  siblingsF1: number;
  cases: number;
}

function splitText(text: string): { lines: string[]; eol: string; finalNewline: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const finalNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, eol, finalNewline };
}

/** A registry line as compared: stripped, inner runs of spaces collapsed (aligned columns vary with the name). */
export function normLine(raw: string): string {
  return pyStrip(raw).replace(/\s{2,}/g, ' ');
}

function lineInfo(m: NameMatcher, raw: string): LineInfo | null {
  const s = normLine(raw);
  if (!s) return null;
  const t = m.cut(s);
  return { indent: raw.match(/^\s*/)![0], text: s, key: slotKey(t), t };
}

/** The stripped non-blank lines of a keyed file, as a multiset. */
export function factsBag(f: KeyedFile): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of f.lines) if (l) out.set(l.text, (out.get(l.text) ?? 0) + 1);
  return out;
}

/** Keys the lines of a file written for `name`; null for files too large (or not text) to learn from. */
export function fileFacts(name: string, text: string | null, affix?: Affix | null): KeyedFile | null {
  if (text === null || text.length > MAX_LEARN_BYTES) return null;
  return runtime().keyFile(name, text, affix);
}

/** What the names of a template's files share ('_spec', 'test_'): their lines may name the core. */
export function templateAffix(shape: Shape, template: string): Affix | null {
  return commonAffix((shape.pool[template] ?? []).map((e) => e.name));
}

/** What the names of a shape's examples share. */
export function shapeAffix(shape: Shape): Affix | null {
  return commonAffix(shape.instances.map((i) => i.name));
}

export function prepare(ex: Example, affix?: Affix | null): Prepared {
  // registries may spell the name in its own casing ('ProtoBuf' for protobuf): cut those too
  const m = new NameMatcher(ex.inst.name, { anyCase: true, affix });
  const registries: Record<string, RegistryFacts> = {};
  for (const [path, { before, after }] of Object.entries(ex.registries)) {
    if (before.length > MAX_LEARN_BYTES * 4 || after.length > MAX_LEARN_BYTES * 4) continue;
    const a = splitText(before).lines;
    const b = splitText(after).lines;
    const runs: Run[] = [];
    const keys = new Set<string>();
    // each insertion (or the new side of a replacement) is a run placed where the old lines were; the tool only inserts
    for (const op of diffSeq(a, b)) {
      if (op.tag !== 'insert') continue;
      const run: Run = { at: op.a0, lines: [], raw: [] };
      for (let y = op.b0; y < op.b1; y++) {
        const raw = b[y]!;
        run.raw.push(raw);
        const li = lineInfo(m, raw);
        if (li) {
          run.lines.push(li);
          keys.add(li.key);
        }
      }
      runs.push(run);
    }
    registries[path] = { before: a, beforeStripped: a.map(normLine), runs: runs.filter((r) => r.lines.length), keys };
  }
  return { ex, registries };
}

/** The form each slot of a key takes: the one most (weighted) occurrences agree on; 'raw' first on ties. */
function chooseForms(occ: { slots: NameForm[][]; w: number }[]): NameForm[] {
  const n = occ[0]?.slots.length ?? 0;
  const out: NameForm[] = [];
  for (let j = 0; j < n; j++) {
    const votes = new Map<NameForm, number>();
    for (const o of occ) for (const f of o.slots[j] ?? []) votes.set(f, (votes.get(f) ?? 0) + o.w);
    let best: NameForm = 'raw';
    let bv = -1;
    for (const f of FORM_ORDER) {
      const v = votes.get(f) ?? 0;
      if (v > bv + 1e-9) {
        best = f;
        bv = v;
      }
    }
    out.push(best);
  }
  return out;
}

function toParts(indent: string, key: string, forms: NameForm[], hole?: { start: number; end: number; param: string }): Part[] {
  const texts = key.split(SLOT_MARK);
  const parts: Part[] = [];
  let pos = 0;
  const pushText = (s: string) => {
    if (!s) return;
    if (hole && pos <= hole.start && hole.start <= pos + s.length) {
      // the hole sits inside this text piece
      const a = s.slice(0, hole.start - pos);
      const rest = s.slice(Math.min(s.length, hole.end - pos));
      if (a) parts.push(a);
      parts.push({ param: hole.param });
      if (rest) parts.push(rest);
    } else parts.push(s);
  };
  parts.push(indent);
  texts.forEach((s, i) => {
    pushText(s);
    pos += s.length;
    if (i < texts.length - 1) {
      parts.push({ name: forms[i] ?? 'raw' });
      pos += 1;
    }
  });
  return mergeParts(parts);
}

function mergeParts(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (!p) continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

/** Recency weights: the newest example weighs 1, one `halfLife` places older 0.5. */
export function weights(n: number, halfLife: number): number[] {
  return Array.from({ length: n }, (_, i) => (Number.isFinite(halfLife) ? 0.5 ** (i / halfLife) : 1));
}

/** Derived lines as template parts (indentation, text, the name in its form). */
export function derivedParts(d: Derived): Part[][] {
  return d.lines.map((l) => (l.key ? toParts(l.indent, l.key, l.forms) : []));
}

/** The regex matching other files of a template (group 1: their name), over project-relative paths. */
export function templatePattern(template: string): string {
  const parts = pathParts(template);
  let first = true;
  const body = parts
    .map((p) => {
      if (typeof p === 'string') return escapeRe(p);
      const g = first ? '([^/]+?)' : '[^/]+?';
      first = false;
      return g;
    })
    .join('');
  return `^${body}$`;
}

/** A file spec: the content learned from `entries` (earlier files, newest first) and the model to use at run time. */
export function deriveFile(template: string, entries: PooledFile[], cfg: DeriveConfig, source: FileSpec['source'] = 'history', model: ContentModel = cfg, affix: Affix | null = null): FileSpec {
  const d = runtime().derive(
    entries.map((e) => e.facts),
    weights(entries.length, cfg.halfLife),
    cfg,
  );
  return {
    path: pathParts(template),
    pattern: templatePattern(template),
    lines: d ? derivedParts(d) : [],
    eol: d?.eol ?? '\n',
    finalNewline: d?.finalNewline ?? true,
    source,
    model,
    ...(affix ? { affix } : {}),
  };
}

export function pathParts(template: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  const re = /\{name(?::(kebab|snake|camel|pascal|upper|joined|title|spaced))?\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ name: (m[1] ?? 'raw') as NameForm });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regex over stripped lines that matches a line of this shape with any name (and any parameter value). */
function linePattern(parts: Part[]): string {
  const body = parts
    .map((p, i) => (typeof p === 'string' ? escapeRe(i === 0 ? p.replace(/^\s+/, '') : p) : '.+?'))
    .join('');
  return `^${body.replace(/\s+$/, '')}$`;
}

interface HoleLine {
  key: string;
  start: number;
  end: number;
  values: string[];
}

/** Anti-unifies the added lines that carry the name but differ elsewhere: common prefix and suffix, one hole between. */
function holeLine(rep: LineInfo, others: { lines: LineInfo[]; w: number }[], total: number, repW: number): HoleLine | null {
  const k = rep.key;
  let minP = k.length;
  let minS = k.length;
  let got = repW;
  const values: string[] = [];
  for (const o of others) {
    let best: { p: number; s: number } | null = null;
    for (const l of o.lines) {
      if (!l.t.slots.length || l.key === k) continue;
      const lk = l.key;
      let p = 0;
      while (p < k.length && p < lk.length && k[p] === lk[p]) p++;
      let s = 0;
      while (s < k.length - p && s < lk.length - p && k[k.length - 1 - s] === lk[lk.length - 1 - s]) s++;
      if (!best || p + s > best.p + best.s) best = { p, s };
      if (best.p + best.s >= k.length - 1) break;
    }
    if (!best || best.p + best.s < 0.5 * k.length) continue;
    minP = Math.min(minP, best.p);
    minS = Math.min(minS, best.s);
    got += o.w;
  }
  if (got < 0.5 * total || minP + minS >= k.length) return null;
  // the hole must not swallow the name: a line whose name part varies is not this line
  const start = minP;
  const end = k.length - minS;
  if (k.slice(start, end).includes(SLOT_MARK)) return null;
  if (!k.slice(0, start).includes(SLOT_MARK) && !k.slice(end).includes(SLOT_MARK)) return null;
  values.push(k.slice(start, end));
  return { key: k, start, end, values };
}

/** Where an instance's run would go under a rule; -1 when the rule does not apply there. */
function predictAt(rule: AnchorRule, before: string[], beforeStripped: string[], first: string): number {
  if (rule.kind === 'sorted' || rule.kind === 'after_last') {
    const re = new RegExp(rule.pattern);
    const idx: number[] = [];
    for (let i = 0; i < beforeStripped.length; i++) if (re.test(beforeStripped[i]!)) idx.push(i);
    if (!idx.length) return -1;
    if (rule.kind === 'after_last') return idx[idx.length - 1]! + 1;
    const key = (s: string) => (rule.ci ? s.toLowerCase() : s);
    const k = key(first);
    const gt = idx.find((i) => key(beforeStripped[i]!) > k);
    return gt ?? idx[idx.length - 1]! + 1;
  }
  if (rule.kind === 'after_line' || rule.kind === 'before_line') {
    const i = beforeStripped.indexOf(rule.line);
    if (i < 0) return -1;
    return rule.kind === 'after_line' ? i + 1 : i;
  }
  return before.length;
}

/** Inserting `lines` at p or at q gives the same file (equal neighbours make the diff's choice arbitrary). */
function samePlace(before: string[], lines: string[], p: number, q: number): boolean {
  if (p === q) return true;
  if (p < 0) return false;
  const a = [...before.slice(0, p), ...lines, ...before.slice(p)];
  const b = [...before.slice(0, q), ...lines, ...before.slice(q)];
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The registry edits worth making: name-bearing lines most modifying examples add, grouped into blocks with anchors. */
function deriveRegistry(path: string, exs: Prepared[], w: number[], cfg: DeriveConfig, params: ParamSpec[]): RegistrySpec | null {
  // one vote per commit: a bulk commit adding twelve files registers (or not) once
  const seen = new Set<string>();
  const perCommit: { e: Prepared; w: number }[] = [];
  exs.forEach((e, i) => {
    if (seen.has(e.ex.inst.sha)) return;
    seen.add(e.ex.inst.sha);
    perCommit.push({ e, w: w[i]! });
  });
  const totalW = perCommit.reduce((a, x) => a + x.w, 0);
  const mod = perCommit.map(({ e, w: wi }) => ({ f: e.registries[path], w: wi, e })).filter((x): x is { f: RegistryFacts; w: number; e: Prepared } => !!x.f);
  const modW = mod.reduce((a, x) => a + x.w, 0);
  // a file most examples leave alone is not where this kind of thing is registered
  if (!mod.length || modW < 0.5 * totalW - 1e-9 || mod.length < Math.min(2, perCommit.length)) return null;
  // and where it is registered, the name is written: most modifying commits add a line naming the new thing
  const named = (x: { f: RegistryFacts }) => x.f.runs.some((r) => r.lines.some((l) => l.t.slots.length > 0));
  const namedW = mod.filter(named).reduce((a, x) => a + x.w, 0);
  // ...unless nearly every commit of the shape edits the file anyway (a docs index, a build list): then it is part
  // of the change even when the edit does not spell the name
  const always = modW >= STRONG_SHARE * totalW - 1e-9 && mod.length >= 3;
  if (namedW < 0.5 * modW - 1e-9 && !always) return null;
  const keyW = new Map<string, number>();
  for (const x of mod) for (const k of x.f.keys) keyW.set(k, (keyW.get(k) ?? 0) + x.w);
  const consensus = new Set([...keyW].filter(([, v]) => v >= Math.max(cfg.theta, 0.5) * modW - 1e-9).map(([k]) => k));
  // representative: the newest modifying example holding most consensus lines
  let rep = mod[0]!;
  let best = -1;
  for (const x of mod) {
    let c = 0;
    for (const k of x.f.keys) if (consensus.has(k)) c++;
    if (c > best) {
      best = c;
      rep = x;
    }
  }
  const blocks: BlockSpec[] = [];
  for (const run of rep.f.runs) {
    const lines: Part[][] = [];
    const firstKeys: { key: string; hole: HoleLine | null } [] = [];
    let named = false;
    for (const l of run.lines) {
      let hole: HoleLine | null = null;
      if (!consensus.has(l.key)) {
        if (!l.t.slots.length) continue;
        hole = holeLine(
          l,
          mod.filter((x) => x !== rep).map((x) => ({ lines: x.f.runs.flatMap((r) => r.lines), w: x.w })),
          modW,
          rep.w,
        );
        if (!hole) continue;
      }
      const occ: { slots: NameForm[][]; w: number }[] = [];
      for (const x of mod) for (const r of x.f.runs) for (const o of r.lines) if (o.key === l.key) occ.push({ slots: o.t.slots, w: x.w });
      if (!occ.length) occ.push({ slots: l.t.slots, w: 1 });
      let param: string | undefined;
      if (hole) {
        param = params.length ? `label${params.length + 1}` : 'label';
        const vals = new Set<string>();
        for (const x of mod)
          for (const r of x.f.runs)
            for (const o of r.lines) {
              if (o.key.length >= hole.start + (hole.key.length - hole.end) && o.key.startsWith(hole.key.slice(0, hole.start)) && o.key.endsWith(hole.key.slice(hole.end))) {
                vals.add(o.key.slice(hole.start, o.key.length - (hole.key.length - hole.end)));
              }
            }
        params.push({
          name: param,
          required: false,
          default: 'TODO',
          description: `text of the new line in ${path} that differs per example (e.g. ${[...vals].slice(0, 3).map((v) => JSON.stringify(v)).join(', ')})`,
          examples: [...vals].slice(0, 5),
        });
      }
      if (l.t.slots.length) named = true;
      lines.push(toParts(l.indent, l.key, chooseForms(occ), hole && param ? { start: hole.start, end: hole.end, param } : undefined));
      firstKeys.push({ key: l.key, hole });
    }
    if (!lines.length || !named) continue;
    blocks.push({ lines, rules: learnRules(lines, firstKeys[0]!, run, rep.f, mod) });
  }
  if (!blocks.length && !mod.some(named)) {
    // nothing names the new thing: insert what most commits insert (or what the newest one did)
    const newest = mod[0]!;
    for (const run of newest.f.runs) {
      const keep = run.lines.filter((l) => consensus.has(l.key));
      const lines = (keep.length ? keep : run.lines).map((l) => toParts(l.indent, l.key, chooseForms([{ slots: l.t.slots, w: 1 }])));
      if (!lines.length) continue;
      const first = (keep.length ? keep : run.lines)[0]!;
      blocks.push({ lines, rules: learnRules(lines, { key: first.key, hole: null }, run, newest.f, mod) });
      break;
    }
  }
  const x = mod.find(named);
  if (!blocks.length && x) {
    // no line is shared: insert what the newest naming commit inserted, its name lines only
    for (const run of x.f.runs) {
      const lines = run.lines.filter((l) => l.t.slots.length).map((l) => toParts(l.indent, l.key, chooseForms([{ slots: l.t.slots, w: 1 }])));
      if (!lines.length) continue;
      const first = run.lines.find((l) => l.t.slots.length)!;
      blocks.push({ lines, rules: learnRules(lines, { key: first.key, hole: null }, run, x.f, mod) });
    }
  }
  return blocks.length ? { path, blocks } : null;
}

/** Tries each anchor rule on every modifying example and keeps them in order of how many examples they place right. */
function learnRules(lines: Part[][], first: { key: string; hole: HoleLine | null }, repRun: Run, repFacts: RegistryFacts, mod: { f: RegistryFacts; w: number; e: Prepared }[]): AnchorRule[] {
  const pattern = linePattern(lines[0]!);
  const cands: AnchorRule[] = [
    { kind: 'sorted', pattern, ci: false },
    { kind: 'sorted', pattern, ci: true },
    { kind: 'after_last', pattern },
  ];
  const prevLine = repFacts.beforeStripped[repRun.at - 1];
  const nextLine = repFacts.beforeStripped[repRun.at];
  if (prevLine) cands.push({ kind: 'after_line', line: prevLine });
  if (nextLine) cands.push({ kind: 'before_line', line: nextLine });
  cands.push({ kind: 'end' });
  const matchesFirst = (k: string) => k === first.key || (first.hole !== null && k.startsWith(first.key.slice(0, first.hole.start)) && k.endsWith(first.key.slice(first.hole.end)));
  const score = cands.map(() => 0);
  for (const x of mod) {
    const run = x.f.runs.find((r) => r.lines.some((l) => matchesFirst(l.key)));
    if (!run) continue;
    const firstText = run.lines.find((l) => matchesFirst(l.key))!.text;
    cands.forEach((c, i) => {
      // a list of fewer than two items says nothing about order: the rule is judged by where it puts the new line
      if (c.kind === 'sorted' && countMatches(x.f.beforeStripped, c.pattern) >= 2 && !isSorted(x.f.beforeStripped, c.pattern, c.ci)) return;
      const p = predictAt(c, x.f.before, x.f.beforeStripped, firstText);
      if (samePlace(x.f.before, run.raw, p, run.at)) score[i]! += x.w;
    });
  }
  const order = cands.map((c, i) => ({ c, i, s: score[i]! })).sort((a, b) => b.s - a.s || a.i - b.i);
  const rules = order.filter((o) => o.s > 0 && o.c.kind !== 'end').map((o) => o.c);
  // keep the sorted rule only when it wins outright; the plain pattern rule remains as fallback
  return [...rules.slice(0, 3), { kind: 'end' }];
}

function countMatches(stripped: string[], pattern: string): number {
  const re = new RegExp(pattern);
  let n = 0;
  for (const s of stripped) if (re.test(s)) n++;
  return n;
}

/** A list is kept sorted when its matching lines are in order (one slip allowed in long lists). */
function isSorted(stripped: string[], pattern: string, ci: boolean): boolean {
  const re = new RegExp(pattern);
  const items = stripped.filter((s) => re.test(s)).map((s) => (ci ? s.toLowerCase() : s));
  if (items.length < 2) return false;
  let bad = 0;
  for (let i = 1; i < items.length; i++) if (items[i - 1]! > items[i]!) bad++;
  return bad <= Math.floor(items.length / 20);
}

export interface DeriveInput {
  shape: Shape;
  /** Per template, the earlier files to learn its content from, newest first. */
  pools: Record<string, PooledFile[]>;
  /** The shape's examples newest first (registry edits are learned from them). */
  examples: Prepared[];
  toolName: string;
  /** Per template, how its content is made (DEFAULT_CONFIG from history otherwise). */
  choices: Record<string, FileChoice>;
}

/** A file modified by at least this (recency-weighted) share of a shape's commits is part of the shape's change. */
const STRONG_SHARE = 0.7;

/** Registry edits are few and must be right: a fixed majority rule, mildly favouring recent examples. */
export const REGISTRY_CONFIG: DeriveConfig = { theta: 0.5, halfLife: 8, mode: 'consensus', knn: 0 };

/** Builds a tool spec from prepared examples. */
export function derive({ shape, pools, examples, toolName, choices }: DeriveInput): ToolSpec {
  const cfg = REGISTRY_CONFIG;
  const w = weights(examples.length, cfg.halfLife);
  const names = examples.length ? examples.map((e) => e.ex.inst.name) : shape.instances.map((i) => i.name);
  const style = caseStyle(names);
  const styleKey = ({ 'kebab-case': 'kebab', snake_case: 'snake', PascalCase: 'pascal', camelCase: 'camel' } as const)[style as 'kebab-case'];
  const params: ParamSpec[] = [
    {
      name: 'name',
      required: true,
      description: `the varying name of the new thing, ${style} (examples: ${names.slice(0, 3).join(', ')})`,
      examples: names.slice(0, 5),
      ...(styleKey ? { style: styleKey } : {}),
    },
  ];
  const files: FileSpec[] = [];
  for (const t of shape.templates) {
    const c = choices[t];
    files.push(deriveFile(t, pools[t] ?? [], c?.history ?? DEFAULT_CONFIG, c?.source ?? 'history', c?.source === 'siblings' ? c.siblings : (c?.history ?? DEFAULT_CONFIG), templateAffix(shape, t)));
  }
  const registries: RegistrySpec[] = [];
  const extra: ParamSpec[] = [];
  for (const r of shape.registries) {
    const spec = deriveRegistry(r, examples, w, cfg, extra);
    if (spec) registries.push(spec);
  }
  params.push(...extra);
  const affix = shapeAffix(shape);
  return { format: 1, name: toolName, description: describe(shape, registries), ...(affix ? { affix } : {}), params, files, registries };
}

function describe(shape: Shape, registries: RegistrySpec[]): string {
  const created = shape.templates.join(', ');
  const reg = registries.length
    ? `; registers it in ${registries
        .map((r) => `${r.path}${r.blocks.some((b) => b.rules[0]?.kind === 'sorted') ? ' (sorted)' : ''}`)
        .join(', ')}`
    : '';
  const last = shape.instances[0] ? new Date(shape.instances[0].time * 1000).toISOString().slice(0, 10) : '';
  return `Creates ${created}${reg}. Seen in ${shape.support} commits (last ${last}).`;
}

/** A short stable name for a shape: 'new-' + the folder the new thing lives in, singular ('samples/{name}/...' -> new-sample). */
export function toolNameFor(templates: string[], taken: Set<string>): string {
  const primary = [...templates].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0]!;
  const segs = primary.split('/');
  const at = segs.findIndex((s) => s.includes('{name'));
  const fixed = segs.slice(0, at).filter((s) => !s.includes('{'));
  const file = segs[segs.length - 1]!;
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  // a second extension names the kind of file: x.test.ts, x.spec.js, x.stories.tsx
  const kind = /\{name[^}]*\}\.([A-Za-z]+)\.[A-Za-z0-9]+$/.exec(file)?.[1];
  const base: string[] = [];
  const last = fixed[fixed.length - 1];
  if (last) base.push(singular(slug(last)));
  if (kind && singular(slug(kind)) !== base[base.length - 1]) base.push(singular(slug(kind)));
  if (templates.length > 1 && templates.some((t) => /(^|\/)(tests?|__tests__|spec)\//.test(t) || /\.(test|spec)\./.test(t)) && !base.includes('test')) base.push('with-test');
  let name = 'new-' + (base.filter(Boolean).join('-') || 'file');
  for (let i = fixed.length - 2; taken.has(name) && i >= 0; i--) name = `new-${singular(slug(fixed[i]!))}-${name.slice(4)}`;
  if (taken.has(name)) {
    let n = 2;
    while (taken.has(`${name}-${n}`)) n++;
    name = `${name}-${n}`;
  }
  return name.slice(0, 64);
}

