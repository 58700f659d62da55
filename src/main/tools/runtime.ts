// The generator every synthesized tool runs: plain JavaScript kept as text, so the sandboxed .mjs and the in-process validator execute the very same code.
import type { Affix, NameForm } from './names';

/** A piece of a line or path: literal text, the name in one case form, or another parameter's value. */
export type Part = string | { name: NameForm } | { param: string };

export type AnchorRule =
  | { kind: 'sorted'; pattern: string; ci: boolean }
  | { kind: 'after_last'; pattern: string }
  | { kind: 'after_line'; line: string }
  | { kind: 'before_line'; line: string }
  | { kind: 'end' };

export interface BlockSpec {
  /** Lines to insert, in order (indentation included). */
  lines: Part[][];
  /** Where they go: the first rule that finds its place wins; 'end' always does. */
  rules: AnchorRule[];
}

export interface RegistrySpec {
  path: string;
  blocks: BlockSpec[];
}

/** How a file's content is derived from example files (history at synthesis time, or the current siblings at run time). */
export interface ContentModel {
  /** Share of the (weighted) examples a line must appear in to be kept. */
  theta: number;
  /** Recency half-life in examples (history only; siblings weigh the same). */
  halfLife: number;
  /** consensus: all lines most examples have; medoid/newest: that example's lines others also have. */
  mode: 'consensus' | 'medoid' | 'newest';
  /** With a sibling this similar by name (0..1), copy it whole instead (0 = never). */
  knn: number;
}

export interface FileSpec {
  /** Path template parts ('test/', {name:'raw'}, '.js'). */
  path: Part[];
  /** Regex over project paths matching this template with another name (group 1: that name). */
  pattern: string;
  /** The content learned from history: used when the project has too few siblings to learn from now. */
  lines: Part[][];
  eol: string;
  finalNewline: boolean;
  /** 'siblings': derive the content at run time from the current files of this template; 'history': use `lines`. */
  source: 'siblings' | 'history';
  model: ContentModel;
  /** What the names of this template's files share ('_spec'): lines may use the core of the name. */
  affix?: Affix | null;
}

export interface ParamSpec {
  name: string;
  required: boolean;
  description: string;
  /** For `name`: the case style the examples share; another spelling is converted ('DatePicker' -> 'date-picker'). */
  style?: 'kebab' | 'snake' | 'pascal' | 'camel';
  default?: string;
  examples?: string[];
}

/** What a tool is, as data: the program is this plus the generator below. */
export interface ToolSpec {
  format: 1;
  name: string;
  description: string;
  /** What the names of this shape's examples share: registry lines may use the core of the name. */
  affix?: Affix | null;
  params: ParamSpec[];
  files: FileSpec[];
  registries: RegistrySpec[];
}

export interface GeneratedFile {
  path: string;
  content: string;
}

/** What a tool may see of the project: files by path, and the list of paths it was given. */
export interface ToolIO {
  read(path: string): string | null;
  list(): string[];
}

/** One line of a keyed file: the name cut out of it (`key` joins the text pieces with \u0001), with the forms each cut could be. */
export interface KeyedLine {
  indent: string;
  text: string;
  key: string;
  slots: NameForm[][];
}

export interface KeyedFile {
  name: string;
  lines: (KeyedLine | null)[];
  counts: Map<string, number>;
  eol: string;
  finalNewline: boolean;
}

export interface DerivedLine {
  indent: string;
  key: string;
  forms: NameForm[];
}

export interface Derived {
  lines: DerivedLine[];
  eol: string;
  finalNewline: boolean;
}

/** Opaque per-example-set statistics (computed once, reused across models). */
export type Stats = { readonly present: number } & Record<string, unknown>;

export interface Runtime {
  generate(spec: ToolSpec, params: Record<string, string>, io: ToolIO): GeneratedFile[];
  normalizeName(spec: Pick<ToolSpec, 'params'>, name: string): string;
  spellings(name: string): Record<string, string>;
  keyFile(name: string, text: string, affix?: Affix | null): KeyedFile;
  derive(files: (KeyedFile | null)[], weights: number[], model: ContentModel): Derived | null;
  nearest(name: string, files: KeyedFile[]): { index: number; sim: number };
  pickSiblings(target: string, candidates: { name: string; path: string }[], max: number): { name: string; path: string }[];
  renderDerived(d: Derived, name: string, affix?: Affix | null): string;
  fromKeyed(keyed: KeyedFile[], name: string, model: ContentModel, affix?: Affix | null): string | null;
  stats(files: (KeyedFile | null)[], weights: number[]): Stats;
  bagOf(st: Stats, model: ContentModel, name: string, affix?: Affix | null): Map<string, number>;
  copyBag(f: KeyedFile, name: string, affix?: Affix | null): Map<string, number>;
  isSafeName(name: string): boolean;
}

/** How many siblings a tool learns from at run time (the runner copies these into the scratch folder). */
export const MAX_SIBLINGS = 40;

/**
 * The generator, self-contained on purpose (no imports, no closures over module state): it is embedded verbatim in
 * each tool program. No template literals inside (this is itself a template string).
 */
export const RUNTIME_SOURCE = String.raw`const MIRA_RUNTIME = (() => {
  const BASE = ['raw', 'kebab', 'snake', 'camel', 'pascal', 'upper', 'joined', 'title', 'spaced'];
  const FORMS = [...BASE, ...BASE.map((f) => 'c:' + f)];
  const MARK = '\u0001';
  const isSafeName = (v) => typeof v === 'string' && /^[A-Za-z0-9_][A-Za-z0-9._+@-]{0,127}$/.test(v) && !v.includes('..');
  const words = (v) => v.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/).filter((w) => w).map((w) => w.toLowerCase());
  function spellings(v) {
    const w0 = words(v);
    const ws = w0.length ? w0 : [v];
    const cap = ws.map((x) => x.slice(0, 1).toUpperCase() + x.slice(1));
    return { raw: v, kebab: ws.join('-'), snake: ws.join('_'), camel: ws[0] + cap.slice(1).join(''),
      pascal: cap.join(''), upper: ws.join('_').toUpperCase(), joined: v.replace(/[^A-Za-z0-9]+/g, ''),
      title: cap.join(' '), spaced: ws.join(' ') };
  }
  // the name without what every example name shares around it ('encryptor' of 'encryptor_spec'), or null
  function coreOf(name, affix) {
    if (!affix) return null;
    let c = name;
    if (affix.prefix) { if (!c.startsWith(affix.prefix)) return null; c = c.slice(affix.prefix.length); }
    if (affix.suffix) { if (!c.endsWith(affix.suffix)) return null; c = c.slice(0, c.length - affix.suffix.length); }
    return c.length >= 2 && c !== name ? c : null;
  }
  // every spelling of the name, and of its core ('c:' forms; the full name's forms stand in when it has no core)
  function allForms(name, affix) {
    const sp = spellings(name);
    const core = coreOf(name, affix);
    const cs = core ? spellings(core) : sp;
    for (const f of BASE) sp['c:' + f] = cs[f];
    sp.hasCore = !!core;
    return sp;
  }
  const esc = (s) => s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  function matcher(name, affix) {
    const sp = allForms(name, affix);
    const by = new Map();
    for (const f of FORMS) {
      if (f.startsWith('c:') && !sp.hasCore) continue;
      const s = sp[f];
      if (s.length < 2) continue;
      if (!by.has(s)) by.set(s, []);
      by.get(s).push(f);
    }
    const all = [...by.keys()].sort((a, b) => b.length - a.length);
    const pat = (s) => {
      const c = s.slice(0, 1);
      const left = c >= 'A' && c <= 'Z' ? '(?<![A-Z0-9])' : '(?<![A-Za-z0-9])';
      const right = s === s.toUpperCase() && /[A-Z]/.test(s) ? '(?![A-Z0-9])' : '(?![a-z0-9])';
      return left + esc(s) + right;
    };
    const re = all.length ? new RegExp(all.map(pat).join('|'), 'g') : null;
    return (line) => {
      if (!re) return { key: line, slots: [] };
      const parts = [];
      const slots = [];
      let last = 0;
      re.lastIndex = 0;
      for (let m = re.exec(line); m; m = re.exec(line)) {
        parts.push(line.slice(last, m.index));
        slots.push(by.get(m[0]) || ['raw']);
        last = m.index + m[0].length;
      }
      parts.push(line.slice(last));
      return { key: parts.join(MARK), slots };
    };
  }
  // the same file keyed for the same name recurs (validation replays many tools on one tree): key it once
  const keyCache = new Map();
  function keyFile(name, text, affix) {
    const ck = name + '\u0000' + (affix ? affix.prefix + '\u0000' + affix.suffix : '') + '\u0000' + text;
    const hit = keyCache.get(ck);
    if (hit) return hit;
    const out = keyFileUncached(name, text, affix);
    if (keyCache.size > 4000) keyCache.clear();
    keyCache.set(ck, out);
    return out;
  }
  function keyFileUncached(name, text, affix) {
    const cut = matcher(name, affix);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const raw = text.split(/\r?\n/);
    const finalNewline = raw.length > 0 && raw[raw.length - 1] === '';
    if (finalNewline) raw.pop();
    const counts = new Map();
    const lines = raw.map((l) => {
      const t = l.trim();
      if (!t) return null;
      const c = cut(t);
      counts.set(c.key, (counts.get(c.key) || 0) + 1);
      return { indent: l.match(/^\s*/)[0], text: t, key: c.key, slots: c.slots };
    });
    return { name, lines, counts, eol, finalNewline };
  }
  function chooseForms(occ) {
    const n = occ.length ? occ[0].slots.length : 0;
    const out = [];
    for (let j = 0; j < n; j++) {
      const votes = new Map();
      for (const o of occ) for (const f of o.slots[j] || []) votes.set(f, (votes.get(f) || 0) + o.w);
      let best = 'raw';
      let bv = -1;
      for (const f of FORMS) {
        const v = votes.get(f) || 0;
        if (v > bv + 1e-9) { best = f; bv = v; }
      }
      out.push(best);
    }
    return out;
  }
  function overlapF1(a, b) {
    let tp = 0, na = 0, nb = 0;
    for (const v of a.values()) na += v;
    for (const v of b.values()) nb += v;
    for (const [k, v] of a) tp += Math.min(v, b.get(k) || 0);
    return tp ? (2 * tp) / (na + nb) : 0;
  }
  // What every model needs from a set of example files, computed once: per line key the counts (largest first)
  // with their weights, the forms the name takes in it, and (lazily) the medoid.
  function stats(files, w) {
    const perKey = new Map();
    const votes = new Map();
    let total = 0, present = 0;
    files.forEach((f, i) => {
      if (!f) return;
      total += w[i];
      present++;
      for (const [k, n] of f.counts) {
        if (!perKey.has(k)) perKey.set(k, []);
        perKey.get(k).push({ n, w: w[i] });
      }
      for (const l of f.lines) {
        if (!l || !l.slots.length) continue;
        if (!votes.has(l.key)) votes.set(l.key, []);
        votes.get(l.key).push({ slots: l.slots, w: w[i] });
      }
    });
    for (const l of perKey.values()) l.sort((a, b) => b.n - a.n);
    const forms = new Map();
    for (const [k, o] of votes) forms.set(k, chooseForms(o));
    return { files, w, total, present, perKey, forms, medoid: -2 };
  }
  function medoidOf(st) {
    if (st.medoid !== -2) return st.medoid;
    let best = -1, bestScore = -1;
    const { files, w } = st;
    files.forEach((f, i) => {
      if (!f) return;
      let s = 0, tw = 0;
      files.forEach((g, j) => { if (g && j !== i) { s += w[j] * overlapF1(f.counts, g.counts); tw += w[j]; } });
      const score = tw ? (s / tw) * (0.75 + 0.25 * w[i]) : 0;
      if (score > bestScore) { bestScore = score; best = i; }
    });
    st.medoid = best;
    return best;
  }
  // How many of each line to write: consensus counts, or an exemplar's lines that others share.
  function budgetOf(st, model) {
    const { files, w, total } = st;
    const budget = new Map();
    if (model.mode === 'medoid' || model.mode === 'newest') {
      const best = model.mode === 'newest' ? files.findIndex((f) => f) : medoidOf(st);
      const m = files[best];
      if (!m) return { budget, base: -1 };
      const others = total - w[best];
      for (const [k, n] of m.counts) {
        const l = st.perKey.get(k) || [];
        let have = 0;
        for (const x of l) have += x.w;
        have -= w[best];
        const count = l.length - 1;
        if (others <= 0 || (count >= 1 && have >= model.theta * others - 1e-9)) budget.set(k, n);
      }
      return { budget, base: best };
    }
    // a line only one example has is that example's own business, whatever the weights say
    const minEx = Math.min(2, st.present);
    for (const [k, l] of st.perKey) {
      if (l.length < minEx) continue;
      let acc = 0;
      for (const x of l) {
        acc += x.w;
        if (acc >= model.theta * total - 1e-9) { budget.set(k, x.n); break; }
      }
    }
    return { budget, base: -1 };
  }
  function renderKey(key, forms, sp) {
    const pieces = key.split(MARK);
    let s = '';
    pieces.forEach((p, i) => { s += p; if (i < pieces.length - 1) s += sp[forms[i] || 'raw']; });
    return s;
  }
  // The multiset of lines a model would write for a name (what line F1 compares), without ordering them.
  function bagOf(st, model, name, affix) {
    const sp = allForms(name, affix);
    const out = new Map();
    if (!st.present) return out;
    const { budget } = budgetOf(st, model);
    for (const [k, n] of budget) {
      const line = renderKey(k, st.forms.get(k) || [], sp).trim();
      if (line) out.set(line, (out.get(line) || 0) + n);
    }
    return out;
  }
  // The multiset of one example's lines, renamed.
  function copyBag(f, name, affix) {
    const sp = allForms(name, affix);
    const out = new Map();
    for (const l of f.lines) {
      if (!l) continue;
      const line = renderKey(l.key, chooseForms([{ slots: l.slots, w: 1 }]), sp).trim();
      if (line) out.set(line, (out.get(line) || 0) + 1);
    }
    return out;
  }
  // The content: a readable subsequence of the example that holds most of the budget, plus lines it lacks.
  function derive(files, w, model) {
    if (!files.some((f) => f)) return null;
    const st = stats(files, w);
    const { budget, base: fixed } = budgetOf(st, model);
    const forms = st.forms;
    let base = fixed;
    if (base < 0) {
      let cover = -1;
      files.forEach((f, i) => {
        if (!f) return;
        let c = 0;
        for (const [k, n] of f.counts) c += Math.min(n, budget.get(k) || 0);
        if (c > cover) { cover = c; base = i; }
      });
    }
    const left = new Map(budget);
    const out = [];
    const bf = files[base];
    for (const l of bf.lines) {
      if (!l) { if (out.length && out[out.length - 1].key !== null) out.push({ key: null, indent: '', forms: [] }); continue; }
      const b = left.get(l.key) || 0;
      if (b <= 0) continue;
      left.set(l.key, b - 1);
      out.push({ key: l.key, indent: l.indent, forms: forms.get(l.key) || [] });
    }
    files.forEach((f, i) => {
      if (!f || i === base) return;
      let prev = null;
      for (const l of f.lines) {
        if (!l) continue;
        const b = left.get(l.key) || 0;
        if (b > 0) {
          left.set(l.key, b - 1);
          let at = out.length;
          if (prev !== null) for (let j = out.length - 1; j >= 0; j--) if (out[j].key === prev) { at = j + 1; break; }
          out.splice(at, 0, { key: l.key, indent: l.indent, forms: forms.get(l.key) || [] });
        }
        prev = l.key;
      }
    });
    while (out.length && out[out.length - 1].key === null) out.pop();
    while (out.length && out[0].key === null) out.shift();
    return { lines: out.map((o) => (o.key === null ? { key: '', indent: '', forms: [] } : o)), eol: bf.eol, finalNewline: bf.finalNewline };
  }
  // A file copied whole from one sibling, its name cut out.
  function copyOf(f) {
    return {
      lines: f.lines.map((l) => (l ? { key: l.key, indent: l.indent, forms: chooseForms([{ slots: l.slots, w: 1 }]) } : { key: '', indent: '', forms: [] })),
      eol: f.eol, finalNewline: f.finalNewline,
    };
  }
  const stem = (x) => (x.length > 3 && x.endsWith('s') && !x.endsWith('ss') ? x.slice(0, -1) : x);
  const wordSet = (v) => new Set(words(v).map(stem));
  // Which sibling is named most like the target: words weighted by rarity among the siblings' names.
  function nearest(name, files) {
    const target = wordSet(name);
    const sets = files.map((f) => wordSet(f.name));
    const df = new Map();
    for (const s of sets) for (const x of s) df.set(x, (df.get(x) || 0) + 1);
    const idf = (x) => Math.log((files.length + 1) / ((df.get(x) || 0) + 0.5));
    let index = -1, sim = 0;
    sets.forEach((s, i) => {
      let inter = 0, uni = 0;
      const all = new Set([...s, ...target]);
      for (const x of all) {
        const v = Math.max(0, idf(x));
        uni += v;
        if (s.has(x) && target.has(x)) inter += v;
      }
      const j = uni ? inter / uni : 0;
      if (j > sim + 1e-12) { sim = j; index = i; }
    });
    return { index, sim };
  }
  // The siblings a tool learns from: the ones named most like the target first, then an even spread of the rest.
  function pickSiblings(target, cands, max) {
    const c = cands.filter((x) => x.name !== target).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (c.length <= max) return c;
    const t = wordSet(target);
    const scored = c.map((x, i) => {
      const s = wordSet(x.name);
      let n = 0;
      for (const y of s) if (t.has(y)) n++;
      return { x, i, n };
    }).filter((o) => o.n > 0).sort((a, b) => b.n - a.n || a.i - b.i).slice(0, 5);
    const taken = new Set(scored.map((o) => o.i));
    const rest = c.map((x, i) => ({ x, i })).filter((o) => !taken.has(o.i));
    const need = max - scored.length;
    const spread = [];
    for (let k = 0; k < need; k++) spread.push(rest[Math.floor((k * rest.length) / need)]);
    return [...scored, ...spread].sort((a, b) => a.i - b.i).map((o) => o.x);
  }
  function renderDerived(d, name, affix) {
    const sp = allForms(name, affix);
    const lines = d.lines.map((l) => {
      if (!l.key) return '';
      const pieces = l.key.split(MARK);
      let s = l.indent;
      pieces.forEach((p, i) => { s += p; if (i < pieces.length - 1) s += sp[l.forms[i] || 'raw']; });
      return s;
    });
    return lines.join(d.eol) + (d.finalNewline && lines.length ? d.eol : '');
  }
  // The siblings of a file template in the project the tool was given.
  function siblingsOf(f, io, name) {
    const re = new RegExp(f.pattern);
    const cands = [];
    for (const p of io.list()) {
      const m = re.exec(p);
      if (m && m[1] !== name && isSafeName(m[1])) cands.push({ name: m[1], path: p });
    }
    return pickSiblings(name, cands, 40);
  }
  function contentFromSiblings(f, io, name) {
    const sibs = siblingsOf(f, io, name);
    const keyed = [];
    for (const s of sibs) {
      const text = io.read(s.path);
      if (text !== null && text !== undefined && text.length <= 262144) keyed.push(keyFile(s.name, text, f.affix));
    }
    return fromKeyed(keyed, name, f.model, f.affix);
  }
  // The content for a new name from keyed sibling files: the nearest one by name when it is close enough, else the consensus.
  function fromKeyed(keyed, name, model, affix) {
    if (keyed.length < 2) return null;
    if (model.knn > 0) {
      const nn = nearest(name, keyed);
      if (nn.index >= 0 && nn.sim >= model.knn) return renderDerived(copyOf(keyed[nn.index]), name, affix);
    }
    const d = derive(keyed, keyed.map(() => 1), model);
    return d ? renderDerived(d, name, affix) : null;
  }
  // the name in the case style the tool's examples use, when it is written in another one
  function normalizeName(spec, name) {
    const p = spec.params.find((x) => x.name === 'name');
    if (!p || !p.style || typeof name !== 'string' || !name) return name;
    // a name already written in the style stays as it is ('IgnoreJRERequirement' is PascalCase enough)
    const fits = { kebab: /^[a-z0-9]+(-[a-z0-9]+)*$/, snake: /^[a-z0-9]+(_[a-z0-9]+)*$/, pascal: /^[A-Z][A-Za-z0-9]*$/, camel: /^[a-z][A-Za-z0-9]*$/ }[p.style];
    if (fits && fits.test(name)) return name;
    const v = spellings(name)[p.style];
    return v && isSafeName(v) ? v : name;
  }
  function generate(spec, params, io) {
    // the name as given must already be safe: converting '../x' to 'x' would hide a mistake
    const name = isSafeName(params.name) ? normalizeName(spec, params.name) : params.name;
    if (!isSafeName(name)) {
      throw new Error('parameter "name" must be a file-name token (letters, digits, . _ - + @; no slashes, no ..), got ' + JSON.stringify(name));
    }
    const values = {};
    for (const p of spec.params) {
      const v = params[p.name];
      if (v === undefined || v === null || v === '') {
        if (p.required) throw new Error('missing required parameter "' + p.name + '"');
        values[p.name] = p.default === undefined ? '' : String(p.default);
      } else values[p.name] = String(v);
    }
    const renderWith = (forms) => (parts) => parts.map((x) => (typeof x === 'string' ? x : x.name ? forms[x.name] : values[x.param] ?? '')).join('');
    const render = renderWith(allForms(name, spec.affix));
    const out = [];
    for (const f of spec.files) {
      const renderFile = renderWith(allForms(name, f.affix));
      const path = renderFile(f.path);
      if (path.split('/').some((s) => s === '..' || s === '') || path.startsWith('/')) throw new Error('refusing the path ' + path);
      let content = f.source === 'siblings' ? contentFromSiblings(f, io, name) : null;
      if (content === null) content = f.lines.map(renderFile).join(f.eol) + (f.finalNewline && f.lines.length ? f.eol : '');
      out.push({ path, content });
    }
    // registry lines compare with their inner runs of spaces collapsed: aligned columns differ with the name's length
    const strip = (s) => s.trim().replace(/\s{2,}/g, ' ');
    // re-pads a single-spaced new line so its second column lines up with its neighbour's
    const align = (line, neighbor) => {
      const nb = neighbor.replace(/^\s*/, '');
      const m = /\S( {2,})\S/.exec(nb);
      if (!m) return line;
      const runStart = m.index + 1;
      const col = runStart + m[1].length;
      const nTok = nb.slice(0, runStart).split(' ').length;
      const lb = line.replace(/^\s*/, '');
      const toks = lb.split(' ');
      if (toks.length <= nTok) return line;
      const head = toks.slice(0, nTok).join(' ');
      return line.slice(0, line.length - lb.length) + head + ' '.repeat(Math.max(1, col - head.length)) + toks.slice(nTok).join(' ');
    };
    for (const r of spec.registries) {
      const base = io.read(r.path);
      if (base === null || base === undefined) continue;
      const eol = base.includes('\r\n') ? '\r\n' : '\n';
      const lines = base.split(/\r?\n/);
      const trailing = lines.length > 0 && lines[lines.length - 1] === '';
      if (trailing) lines.pop();
      let changed = false;
      for (const b of r.blocks) {
        const add = b.lines.map(render);
        const have = new Set(lines.map(strip));
        if (add.every((l) => !strip(l) || have.has(strip(l)))) continue;
        const first = strip(add.find((l) => strip(l)) || '');
        let at = -1;
        let indent = null;
        for (const rule of b.rules) {
          if (rule.kind === 'sorted' || rule.kind === 'after_last') {
            const re = new RegExp(rule.pattern);
            const idx = [];
            for (let i = 0; i < lines.length; i++) if (re.test(strip(lines[i]))) idx.push(i);
            if (!idx.length) continue;
            at = idx[idx.length - 1] + 1;
            if (rule.kind === 'sorted') {
              const key = (s) => (rule.ci ? strip(s).toLowerCase() : strip(s));
              const k = rule.ci ? first.toLowerCase() : first;
              const gt = idx.find((i) => key(lines[i]) > k);
              if (gt !== undefined) at = gt;
            }
            const neighbor = lines[Math.min(at, idx[idx.length - 1])] || '';
            indent = neighbor.match(/^\s*/)[0];
            if (add.length === 1) add[0] = align(add[0], neighbor);
            break;
          }
          if (rule.kind === 'after_line' || rule.kind === 'before_line') {
            const i = lines.findIndex((l) => strip(l) === rule.line);
            if (i < 0) continue;
            at = rule.kind === 'after_line' ? i + 1 : i;
            break;
          }
          at = lines.length;
          break;
        }
        if (at < 0) at = lines.length;
        if (indent !== null && add.length) {
          const own = add[0].match(/^\s*/)[0];
          if (own !== indent) for (let i = 0; i < add.length; i++) add[i] = add[i].startsWith(own) ? indent + add[i].slice(own.length) : add[i];
        }
        lines.splice(at, 0, ...add);
        changed = true;
      }
      if (changed) out.push({ path: r.path, content: lines.join(eol) + (trailing ? eol : '') });
    }
    return out;
  }
  return { generate, normalizeName, spellings, keyFile, derive, stats, bagOf, copyBag, nearest, pickSiblings, renderDerived, fromKeyed, isSafeName };
})();`;

let compiled: Runtime | null = null;

/** The runtime, compiled once in this process (the same text the sandboxed programs embed). */
export function runtime(): Runtime {
  if (!compiled) compiled = new Function(`${RUNTIME_SOURCE}\nreturn MIRA_RUNTIME;`)() as Runtime;
  return compiled;
}

/** An in-memory project for the generator: the files it may read, by path. */
export function mapIO(files: Map<string, string | null>): ToolIO {
  return { read: (p) => files.get(p) ?? null, list: () => [...files.keys()].filter((k) => files.get(k) != null) };
}
