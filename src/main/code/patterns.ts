// Structural design-pattern detection over the symbol graph: each detector scores a candidate from facts
// (fields, bases, fluent returns, created types, stored and called parameters) and keeps it with its evidence.
import path from 'node:path';
import type { Db } from '../db/open';
import type { SymbolFacts } from './model';

export type PatternName = 'Singleton' | 'Factory' | 'Factory Method' | 'Builder' | 'Repository' | 'Strategy' | 'Observer' | 'Adapter' | 'Decorator' | 'Middleware';

interface Sym {
  id: number;
  file_id: number;
  path: string;
  language: string;
  name: string;
  kind: string;
  owner: string | null;
  parent_id: number | null;
  visibility: string | null;
  facts: SymbolFacts;
}

interface Found {
  pattern: PatternName;
  anchor: Sym;
  confidence: number;
  evidence: string[];
  members: { sym: Sym; role: string }[];
}

const TYPE_KINDS = "('class', 'struct', 'interface', 'trait', 'enum', 'type')";
const ABSTRACT_KINDS = new Set(['interface', 'trait']);
const THRESHOLD = 0.65;

const INSTANCE_ACCESSOR = /^(get_?instance|instance|shared(Instance)?|default(Instance)?|current|get_?default|global|singleton|getInstance|get)$/i;
const SUBSCRIBE = /^(on|once|subscribe|add_?listener|add_?observer|add_?handler|add_?subscriber|attach|register|listen|watch|add_?event_?listener|connect)$/i;
const NOTIFY = /^(emit|notify(_?all|_?observers|_?listeners|_?subscribers)?|publish|dispatch(_?event)?|fire|trigger|broadcast|signal|send_?event)$/i;
const CRUD = /^(find|get|save|insert|update|delete|remove|add|create|list|all|fetch|store|put|upsert|count|exists|query|load|by)/i;
const EMITTER_BASES = new Set(['EventEmitter', 'EventTarget', 'Observable', 'Subject', 'Emitter', 'Observer', 'Subscriber', 'EventDispatcher']);
const MARKER_BASES = new Set([
  'Default', 'Debug', 'Display', 'Drop', 'Clone', 'Copy', 'Error', 'From', 'Into', 'TryFrom', 'Iterator', 'IntoIterator', 'PartialEq', 'Eq', 'Hash',
  'Ord', 'PartialOrd', 'Send', 'Sync', 'AsRef', 'AsMut', 'Deref', 'DerefMut', 'Borrow', 'Write', 'Read', 'BufRead', 'Seek', 'Serialize', 'Deserialize',
  'FromStr', 'Future', 'Stream', 'Any', 'object', 'Exception', 'Serializable', 'Comparable', 'Cloneable', 'Closeable', 'AutoCloseable', 'Runnable',
  'Iterable', 'Enum', 'NamedTuple', 'TypedDict', 'Protocol', 'Generic', 'ABC', 'Stringer', 'error',
]);
const CONSTRUCTORS = /^(constructor|__init__|__new__|new|init|initialize|default|create|from)$/;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|testing)\/|\.(test|spec)\.|_test\.(go|py)$|(^|\/)test_[^/]*\.py$/;
const MIDDLEWARE_PARAM = /^(next|nxt|next_?handler|handler|h|call_?next|get_?response)$/;
const BUILD = /^(build|create|finish|done|make|to_?[A-Z]?\w*|construct|get_?result|result)$/i;

/**
 * Detects patterns anchored in `fileIds` (or everywhere when null) and replaces their stored rows. Returns the count
 * of patterns stored. Anchors in other files whose hierarchy touches a changed file are re-checked as well.
 */
export function detectPatterns(db: Db, projectId: number, fileIds: number[] | null): number {
  const ctx = new PatternContext(db, projectId);
  let anchors: Sym[];
  if (fileIds) {
    if (!fileIds.length) return 0;
    const set = new Set(fileIds);
    const inFiles = ctx.symbolsOfFiles(fileIds);
    // Types elsewhere whose bases or implementations involve a changed type, and the file-level neighbours.
    const names = new Set(inFiles.filter((s) => ctx.isType(s)).map((s) => s.name));
    const related = ctx.relatedTypes(names).filter((s) => !set.has(s.file_id));
    anchors = [...inFiles, ...related];
  } else anchors = ctx.allCandidates();

  const found: Found[] = [];
  // Mocks and fixtures in tests mimic patterns; only the code under test counts.
  anchors = anchors.filter((s) => !TEST_PATH.test(s.path));
  for (const s of anchors) {
    if (ctx.isType(s)) {
      for (const f of [ctx.singleton(s), ctx.builder(s), ctx.repository(s), ctx.strategy(s), ctx.observer(s), ctx.adapterOrDecorator(s), ctx.factoryType(s), ctx.factoryMethod(s), ctx.middlewareType(s)]) if (f) found.push(f);
    } else if (s.kind === 'function' || s.kind === 'method') {
      for (const f of [ctx.factoryFunction(s), ctx.functionDecorator(s)]) if (f) found.push(f);
    }
  }
  // Middleware groups span files of a folder: they are recomputed whole every run (one cheap scan).
  const chains = ctx.middlewareFunctions();
  found.push(...chains);

  const anchorIds = new Set(anchors.map((a) => a.id));
  const del = db.prepare('DELETE FROM design_patterns WHERE id = ?');
  const ins = db.prepare('INSERT INTO design_patterns (project_id, pattern, anchor_id, confidence, evidence) VALUES (?, ?, ?, ?, ?)');
  const member = db.prepare('INSERT OR IGNORE INTO design_pattern_members (pattern_id, symbol_id, role) VALUES (?, ?, ?)');
  let stored = 0;
  db.transaction(() => {
    if (fileIds) {
      const old = db
        .prepare(`SELECT p.id, p.anchor_id, p.pattern, e.kind FROM design_patterns p JOIN code_elements e ON e.id = p.anchor_id WHERE p.project_id = ?`)
        .all(projectId) as { id: number; anchor_id: number; pattern: string; kind: string }[];
      for (const o of old) if (anchorIds.has(o.anchor_id) || (o.pattern === 'Middleware' && (o.kind === 'function' || o.kind === 'method'))) del.run(o.id);
    } else db.prepare('DELETE FROM design_patterns WHERE project_id = ?').run(projectId);
    for (const f of found) {
      if (f.confidence < THRESHOLD) continue;
      const id = Number(ins.run(projectId, f.pattern, f.anchor.id, round(f.confidence), JSON.stringify(f.evidence)).lastInsertRowid);
      member.run(id, f.anchor.id, 'anchor');
      for (const m of f.members) member.run(id, m.sym.id, m.role);
      stored++;
    }
  })();
  return stored;
}

class PatternContext {
  private readonly s;
  private readonly membersCache = new Map<number, Sym[]>();

  constructor(private readonly db: Db, private readonly projectId: number) {
    const cols = 'id, file_id, path, language, name, kind, owner, parent_id, visibility, facts';
    this.s = {
      ofFile: db.prepare(`SELECT ${cols} FROM code_elements WHERE file_id = ? AND (kind IN ${TYPE_KINDS} OR kind IN ('function', 'method'))`),
      candidates: db.prepare(`SELECT ${cols} FROM code_elements WHERE project_id = ? AND (kind IN ${TYPE_KINDS} OR (kind IN ('function', 'method') AND facts IS NOT NULL))`),
      children: db.prepare(`SELECT ${cols} FROM code_elements WHERE parent_id = ?`),
      byOwner: db.prepare(`SELECT ${cols} FROM code_elements WHERE project_id = ? AND owner = ?`),
      typeByName: db.prepare(`SELECT ${cols} FROM code_elements WHERE project_id = ? AND name = ? COLLATE NOCASE AND kind IN ${TYPE_KINDS}`),
      implementors: db.prepare('SELECT type_name, symbol_id, file_id FROM code_bases WHERE project_id = ? AND base_name = ?'),
      basesOf: db.prepare('SELECT base_name FROM code_bases WHERE project_id = ? AND type_name = ?').pluck(),
      typeUses: db.prepare(`SELECT u.role, ${cols.split(', ').map((c) => `e.${c}`).join(', ')} FROM code_type_uses u JOIN code_elements e ON e.id = u.symbol_id WHERE u.project_id = ? AND u.type_name = ?`),
      concept: db.prepare('SELECT 1 FROM concept_index WHERE symbol_id = ? AND concept = ?').pluck(),
      middlewareFns: db.prepare(`SELECT ${cols} FROM code_elements WHERE project_id = ? AND kind IN ('function', 'method') AND facts LIKE '%calls_param%'`),
    };
  }

  private rows(stmt: { all: (...a: unknown[]) => unknown[] }, ...args: unknown[]): Sym[] {
    return (stmt.all(...args) as (Omit<Sym, 'facts'> & { facts: string | null })[]).map((r) => ({ ...r, facts: r.facts ? (JSON.parse(r.facts) as SymbolFacts) : {} }));
  }

  isType(s: Sym): boolean {
    return ['class', 'struct', 'interface', 'trait', 'enum'].includes(s.kind);
  }

  symbolsOfFiles(ids: number[]): Sym[] {
    return ids.flatMap((id) => this.rows(this.s.ofFile, id));
  }

  allCandidates(): Sym[] {
    return this.rows(this.s.candidates, this.projectId);
  }

  relatedTypes(names: Set<string>): Sym[] {
    const out = new Map<number, Sym>();
    for (const n of names) {
      for (const impl of this.s.implementors.all(this.projectId, n) as { type_name: string }[]) for (const t of this.types(impl.type_name)) out.set(t.id, t);
      for (const b of this.s.basesOf.all(this.projectId, n) as string[]) for (const t of this.types(b)) out.set(t.id, t);
    }
    return [...out.values()];
  }

  private types(name: string): Sym[] {
    return this.rows(this.s.typeByName, this.projectId, name).filter((t) => t.name === name);
  }

  /** Members of a type: its children, plus methods declared for it elsewhere in its package (Rust impls, Go receivers). */
  members(t: Sym): Sym[] {
    let m = this.membersCache.get(t.id);
    if (!m) {
      const children = this.rows(this.s.children, t.id);
      const dir = path.posix.dirname(t.path);
      const owned = this.rows(this.s.byOwner, this.projectId, t.name).filter((o) => o.parent_id !== t.id && (o.file_id === t.file_id || path.posix.dirname(o.path) === dir || t.language === 'rust'));
      m = [...children, ...owned];
      this.membersCache.set(t.id, m);
    }
    return m;
  }

  private methods(t: Sym): Sym[] {
    return this.members(t).filter((m) => m.kind === 'method' || m.kind === 'function');
  }

  private fields(t: Sym): [string, string][] {
    const own = t.facts.fields ?? [];
    const declared = this.members(t)
      .filter((m) => m.kind === 'field' || m.kind === 'constant')
      .map((m) => [m.name, m.facts.type ?? ''] as [string, string]);
    const out = new Map<string, string>();
    for (const [n, ty] of [...declared, ...own]) if (!out.get(n)) out.set(n, ty);
    return [...out.entries()];
  }

  private implementations(iface: Sym): Sym[] {
    const out = new Map<number, Sym>();
    for (const r of this.s.implementors.all(this.projectId, iface.name) as { type_name: string; symbol_id: number | null }[]) {
      for (const t of this.types(r.type_name)) if (t.id !== iface.id) out.set(t.id, t);
    }
    // Go interfaces are implicit: a struct implements one when it has every method the interface lists.
    if (iface.language === 'go' && iface.kind === 'interface') {
      const wanted = this.methods(iface).map((m) => m.name);
      if (wanted.length) {
        const candidates = new Map<string, Set<string>>();
        for (const m of this.db.prepare(`SELECT owner, name FROM code_elements WHERE project_id = ? AND kind = 'method' AND owner IS NOT NULL AND name IN (${wanted.map(() => '?').join(',')}) AND language = 'go'`).all(this.projectId, ...wanted) as { owner: string; name: string }[]) {
          if (m.owner === iface.name) continue;
          (candidates.get(m.owner) ?? candidates.set(m.owner, new Set()).get(m.owner)!).add(m.name);
        }
        for (const [owner, names] of candidates) if (names.size === new Set(wanted).size) for (const t of this.types(owner)) if (t.kind === 'struct' || t.kind === 'type') out.set(t.id, t);
      }
    }
    return [...out.values()];
  }

  private basesOf(t: Sym): string[] {
    return [...new Set([...(t.facts.bases ?? []), ...(this.s.basesOf.all(this.projectId, t.name) as string[])])];
  }

  // ---- detectors

  singleton(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct') return null;
    const ev: string[] = [];
    let score = 0;
    const members = this.members(t);
    const selfField = members.find((m) => (m.kind === 'field' || m.kind === 'constant') && m.facts.is_static && (m.facts.type === t.name || /^_*instance$/i.test(m.name)) && !/^(default|empty|none|zero|null)$/i.test(m.name));
    const moduleVar = !selfField && t.language === 'go' ? this.moduleVarOfType(t) : null;
    if (selfField || moduleVar) {
      score += 0.4;
      ev.push(`holds its own instance in ${selfField ? `static field ${selfField.name}` : `package variable ${moduleVar!.name}`}`);
    }
    const accessor = [...members, ...(t.language === 'go' ? this.packageFunctions(t) : [])].find(
      (m) => (m.kind === 'method' || m.kind === 'function') && (m.facts.is_static || m.kind === 'function') && INSTANCE_ACCESSOR.test(m.name) && (m.facts.type === t.name || (m.facts.creates ?? []).includes(t.name) || m.facts.returns_new?.includes(t.name)),
    );
    if (accessor && (selfField || moduleVar)) {
      score += 0.4;
      ev.push(`static accessor ${accessor.name}() returns the shared ${t.name}`);
    }
    const ctor = members.find((m) => (m.name === 'constructor' || m.name === t.name || m.name === '__init__') && m.kind === 'method');
    if (ctor && (ctor.visibility === 'private' || ctor.visibility === 'protected') && (selfField || accessor)) {
      score += 0.3;
      ev.push('private constructor');
    }
    const newOverride = members.find((m) => m.name === '__new__' && m.kind === 'method');
    if (newOverride && selfField) {
      score += 0.4;
      ev.push('__new__ returns the one instance');
    }
    if (score < 0.7) return null;
    return { pattern: 'Singleton', anchor: t, confidence: Math.min(1, score), evidence: ev, members: [selfField, accessor].filter((x): x is Sym => !!x).map((sym) => ({ sym, role: sym === accessor ? 'accessor' : 'instance' })) };
  }

  private moduleVarOfType(t: Sym): Sym | null {
    for (const u of this.typeUses(t.name)) if (u.role === 'field' && u.file_id === t.file_id && u.parent_id === null && u.kind === 'variable') return u;
    return null;
  }

  private packageFunctions(t: Sym): Sym[] {
    return this.typeUses(t.name).filter((u) => u.role === 'return' && u.kind === 'function' && u.file_id === t.file_id);
  }

  private typeUsesCache = new Map<string, (Sym & { role: string })[]>();
  private typeUses(name: string): (Sym & { role: string })[] {
    let u = this.typeUsesCache.get(name);
    if (!u) {
      u = (this.s.typeUses.all(this.projectId, name) as (Omit<Sym, 'facts'> & { facts: string | null; role: string })[]).map((r) => ({ ...r, facts: r.facts ? (JSON.parse(r.facts) as SymbolFacts) : {} }));
      this.typeUsesCache.set(name, u);
    }
    return u;
  }

  builder(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct') return null;
    const methods = this.methods(t);
    const fluent = methods.filter((m) => m.facts.returns_self && !BUILD.test(m.name));
    const build = methods.find((m) => BUILD.test(m.name) && !m.facts.returns_self && (m.facts.returns_new?.length || m.facts.creates?.length || (m.facts.type && m.facts.type !== t.name)));
    const named = /Builder$/.test(t.name);
    let score = 0;
    const ev: string[] = [];
    if (fluent.length >= 3) {
      score += 0.4;
      ev.push(`${fluent.length} fluent setters return the builder (${fluent.slice(0, 4).map((m) => m.name).join(', ')})`);
    } else if (fluent.length >= 2 && named) {
      score += 0.3;
      ev.push(`fluent setters ${fluent.map((m) => m.name).join(', ')}`);
    }
    if (build && fluent.length >= 2) {
      score += 0.4;
      ev.push(`${build.name}() produces the result${build.facts.returns_new?.length ? ` (${build.facts.returns_new.join(', ')})` : ''}`);
    }
    if (named) {
      score += 0.2;
      ev.push('named *Builder');
    }
    if (score < 0.7) return null;
    return { pattern: 'Builder', anchor: t, confidence: Math.min(1, score), evidence: ev, members: [...fluent.slice(0, 6).map((sym) => ({ sym, role: 'step' })), ...(build ? [{ sym: build, role: 'build' }] : [])] };
  }

  repository(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct' && t.kind !== 'interface' && t.kind !== 'trait') return null;
    const ev: string[] = [];
    let score = 0;
    const bases = this.basesOf(t);
    if (/(Repository|Repo|DAO|Dao)$/.test(t.name)) {
      score += 0.45;
      ev.push(`named ${t.name}`);
    } else if (bases.some((b) => /(Repository|Repo|DAO|Dao)$/.test(b))) {
      score += 0.45;
      ev.push(`implements ${bases.find((b) => /(Repository|Repo|DAO|Dao)$/.test(b))}`);
    } else if (/Store$/.test(t.name)) {
      score += 0.2;
      ev.push(`named ${t.name}`);
    } else return null;
    const crud = this.methods(t).filter((m) => CRUD.test(m.name));
    if (crud.length >= 3) {
      score += 0.3;
      ev.push(`collection-like data access: ${crud.slice(0, 5).map((m) => m.name).join(', ')}`);
    } else if (crud.length >= 2) {
      score += 0.15;
      ev.push(`data access methods ${crud.map((m) => m.name).join(', ')}`);
    }
    const persistent = this.s.concept.get(t.id, 'database') || this.methods(t).some((m) => this.s.concept.get(m.id, 'database'));
    if (persistent) {
      score += 0.25;
      ev.push('talks to a database');
    }
    if (score < 0.7) return null;
    return { pattern: 'Repository', anchor: t, confidence: Math.min(1, score), evidence: ev, members: crud.slice(0, 8).map((sym) => ({ sym, role: 'operation' })) };
  }

  strategy(i: Sym): Found | null {
    const abstract = ABSTRACT_KINDS.has(i.kind) || i.facts.is_abstract || (i.kind === 'class' && this.methods(i).some((m) => m.facts.is_abstract));
    if (!abstract) return null;
    const ops = this.methods(i);
    if (!ops.length || ops.length > 5) return null;
    const impls = this.implementations(i).filter((t) => t.kind === 'class' || t.kind === 'struct' || t.kind === 'type');
    // Strategies are a handful of interchangeable algorithms; dozens of subtypes are a type family, not a strategy.
    if (impls.length < 2 || impls.length > 12) return null;
    const holders = this.typeUses(i.name).filter(
      (u) => (u.role === 'field' || u.role === 'param') && !TEST_PATH.test(u.path) && !impls.some((t) => t.id === u.id || t.id === u.parent_id) && u.id !== i.id && u.parent_id !== i.id,
    );
    let score = 0.35;
    const ev = [`${impls.length} interchangeable implementations of ${i.name} (${impls.slice(0, 4).map((t) => t.name).join(', ')})`];
    if (holders.length) {
      score += 0.4;
      const h = holders[0]!;
      ev.push(`${h.kind === 'class' || h.kind === 'struct' ? h.name : (h.owner ? `${h.owner}.` : '') + h.name} holds or receives a ${i.name} and delegates to it`);
    }
    if (/(Strategy|Policy|Algorithm)$/.test(i.name)) {
      score += 0.2;
      ev.push(`named ${i.name}`);
    }
    if (ops.length <= 2) score += 0.05;
    if (score < 0.7) return null;
    return {
      pattern: 'Strategy',
      anchor: i,
      confidence: Math.min(1, score),
      evidence: ev,
      members: [...impls.slice(0, 8).map((sym) => ({ sym, role: 'strategy' })), ...holders.slice(0, 3).map((sym) => ({ sym, role: 'context' }))],
    };
  }

  observer(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct') return null;
    const methods = this.methods(t);
    const bases = this.basesOf(t);
    const ev: string[] = [];
    let score = 0;
    const baseHit = bases.find((b) => EMITTER_BASES.has(b));
    if (baseHit) {
      score += 0.75;
      ev.push(`extends ${baseHit}`);
    }
    const sub = methods.find((m) => SUBSCRIBE.test(m.name) && m.facts.stores_param);
    const notify = methods.find((m) => NOTIFY.test(m.name) && (m.facts.notifies || (m.facts.calls_param?.length ?? 0) > 0)) ?? methods.find((m) => m.facts.notifies && !SUBSCRIBE.test(m.name));
    if (sub) {
      score += 0.4;
      ev.push(`${sub.name}() registers listeners`);
    }
    if (notify && (sub || baseHit)) {
      score += 0.4;
      ev.push(`${notify.name}() calls every registered listener`);
    }
    if (score < 0.7) return null;
    return { pattern: 'Observer', anchor: t, confidence: Math.min(1, score), evidence: ev, members: [sub, notify].filter((x): x is Sym => !!x).map((sym) => ({ sym, role: sym === sub ? 'subscribe' : 'notify' })) };
  }

  adapterOrDecorator(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct') return null;
    // Marker and standard-library traits (Debug, Drop, Serializable...) are not the interface an adapter targets.
    const bases = this.basesOf(t).filter((b) => !MARKER_BASES.has(b));
    const fields = this.fields(t).filter(([, ty]) => ty && ty !== t.name);
    if (!fields.length) return null;
    const methods = this.methods(t).filter((m) => !CONSTRUCTORS.test(m.name) && m.name !== t.name);
    const calls = this.delegations(methods, fields.map(([n]) => n));
    // Decorator: wraps a value of an interface it also implements, and forwards calls of the same name.
    const wrapped = fields.find(([, ty]) => bases.includes(ty));
    if (wrapped && bases.length) {
      const sameName = calls.filter((c) => c.field === wrapped[0] && c.method === c.callee);
      let score = 0.5;
      const ev = [`implements ${wrapped[1]} and wraps another ${wrapped[1]} (${wrapped[0]})`];
      if (sameName.length) {
        score += 0.3;
        ev.push(`forwards ${sameName.slice(0, 3).map((c) => c.callee).join(', ')} to it, adding behaviour`);
      }
      if (/(Decorator|Wrapper)$/.test(t.name)) {
        score += 0.2;
        ev.push(`named ${t.name}`);
      }
      if (score < 0.7) return null;
      return { pattern: 'Decorator', anchor: t, confidence: Math.min(1, score), evidence: ev, members: this.typeNamed(wrapped[1]).map((sym) => ({ sym, role: 'component' })) };
    }
    // Adapter: implements a target interface by calling a differently shaped object it holds.
    if (!bases.length && !/Adapter$/.test(t.name)) return null;
    // The adaptee is a foreign type (declared in another file or library); a helper from the same file is composition.
    const named = /(Adapter|Wrapper)$/.test(t.name);
    const local = named ? new Set<string>() : new Set(this.rows(this.s.ofFile, t.file_id).filter((x) => this.isType(x)).map((x) => x.name));
    const adaptee = fields.find(([n, ty]) => !bases.includes(ty) && !local.has(ty) && calls.some((c) => c.field === n && c.method !== c.callee));
    if (!adaptee) return null;
    const translatedMethods = new Set(calls.filter((c) => c.field === adaptee[0] && c.method !== c.callee).map((c) => c.method));
    // One delegating method is ordinary composition; an adapter translates most of an interface.
    if (!named && (translatedMethods.size < 2 || translatedMethods.size < methods.filter((m) => m.visibility !== 'private').length * 0.6)) return null;
    let score = 0;
    const ev: string[] = [];
    if (bases.length) {
      score += 0.35;
      ev.push(`implements ${bases.join(', ')}`);
    }
    score += 0.35;
    const translated = calls.filter((c) => c.field === adaptee[0] && c.method !== c.callee);
    ev.push(`translates ${translated.slice(0, 3).map((c) => `${c.method}→${adaptee[0]}.${c.callee}`).join(', ')} onto ${adaptee[1]}`);
    if (named) {
      score += 0.3;
      ev.push(`named ${t.name}`);
    }
    if (score < 0.7) return null;
    return { pattern: 'Adapter', anchor: t, confidence: Math.min(1, score), evidence: ev, members: this.typeNamed(adaptee[1]).map((sym) => ({ sym, role: 'adaptee' })) };
  }

  private typeNamed(name: string): Sym[] {
    return this.types(name).slice(0, 2);
  }

  /** Calls made by a type's methods through one of its fields: `this.inner.m()`, `self.x.m()`. */
  private delegations(methods: Sym[], fieldNames: string[]): { method: string; field: string; callee: string }[] {
    if (!methods.length) return [];
    const rows = this.db
      .prepare(`SELECT caller_id, name, receiver FROM code_calls WHERE caller_id IN (${methods.map(() => '?').join(',')}) AND receiver IS NOT NULL`)
      .all(...methods.map((m) => m.id)) as { caller_id: number; name: string; receiver: string }[];
    const out: { method: string; field: string; callee: string }[] = [];
    for (const r of rows) {
      const f = /^(?:this|self)\.(\w+)$/.exec(r.receiver)?.[1] ?? (fieldNames.includes(r.receiver) ? r.receiver : null);
      if (!f || !fieldNames.includes(f)) continue;
      const m = methods.find((x) => x.id === r.caller_id);
      if (m) out.push({ method: m.name, field: f, callee: r.name });
    }
    return out;
  }

  factoryType(t: Sym): Found | null {
    if (!/Factory$/.test(t.name) || (t.kind !== 'class' && t.kind !== 'struct' && t.kind !== 'interface' && t.kind !== 'trait')) return null;
    const makers = this.methods(t).filter((m) => /^(create|make|new|build|get|produce|for)/i.test(m.name) && (m.facts.returns_new?.length || m.facts.creates?.length || m.facts.is_abstract));
    if (!makers.length) return null;
    const products = [...new Set(makers.flatMap((m) => [...(m.facts.returns_new ?? []), ...(m.facts.creates ?? [])]))];
    const ev = [`named ${t.name}`, `${makers.map((m) => m.name).slice(0, 3).join(', ')} ${products.length ? `create ${products.slice(0, 4).join(', ')}` : 'create products'}`];
    return { pattern: 'Factory', anchor: t, confidence: products.length ? 0.85 : 0.7, evidence: ev, members: makers.map((sym) => ({ sym, role: 'creator' })) };
  }

  /** GoF Factory Method: an abstract creator method overridden by subclasses that each create their own product. */
  factoryMethod(t: Sym): Found | null {
    const abstractMakers = this.methods(t).filter((m) => m.facts.is_abstract && /^(create|make|new|build|factory|produce)/i.test(m.name));
    if (!abstractMakers.length) return null;
    const subs = this.implementations(t);
    const overrides: Sym[] = [];
    for (const s of subs) for (const m of this.methods(s)) if (abstractMakers.some((a) => a.name === m.name) && (m.facts.returns_new?.length || m.facts.creates?.length)) overrides.push(m);
    if (!overrides.length) return null;
    const products = [...new Set(overrides.flatMap((m) => [...(m.facts.returns_new ?? []), ...(m.facts.creates ?? [])]))];
    return {
      pattern: 'Factory Method',
      anchor: t,
      confidence: overrides.length >= 2 ? 0.9 : 0.75,
      evidence: [`${t.name}.${abstractMakers[0]!.name}() is left to subclasses`, `${overrides.length} override(s) create ${products.slice(0, 4).join(', ')}`],
      members: overrides.map((sym) => ({ sym, role: 'concrete creator' })),
    };
  }

  /** A function that chooses which of several related types to create (`createShape(kind)`). */
  factoryFunction(f: Sym): Found | null {
    if (f.facts.is_abstract) return null;
    const products = [...new Set([...(f.facts.returns_new ?? []), ...(f.facts.creates ?? [])])].filter((p) => p !== f.owner);
    const named = /^(create|make|new|build|get|produce)[A-Z_]|^(create|make|build|produce)$|Factory$|factory/i.test(f.name);
    if (!named) return null;
    if (f.owner && /Factory$/.test(f.owner)) return null;
    const returned = f.facts.returns_new ?? [];
    if (returned.length < 2 && products.length < 2) return null;
    // The products should be alternatives: sharing a base or the declared return type.
    const related = f.facts.type ? products.filter((p) => this.basesOfName(p).includes(f.facts.type!)) : [];
    let score = 0.5;
    const ev = [`${f.name}() creates ${products.slice(0, 5).join(', ')}`];
    if (returned.length >= 2) {
      score += 0.2;
      ev.push('returns a different product by case');
    }
    if (related.length >= 2) {
      score += 0.2;
      ev.push(`all products are a ${f.facts.type}`);
    }
    return { pattern: 'Factory', anchor: f, confidence: Math.min(1, score), evidence: ev, members: products.flatMap((p) => this.typeNamed(p).slice(0, 1)).map((sym) => ({ sym, role: 'product' })) };
  }

  private basesOfName(name: string): string[] {
    return this.s.basesOf.all(this.projectId, name) as string[];
  }

  /** A function decorator: takes a function, returns a closure that calls it (`def timed(fn): def wrapper...`). */
  functionDecorator(f: Sym): Found | null {
    if (!f.facts.returns_fn || !f.facts.calls_param?.length) return null;
    const params = (f.facts.params ?? []).map(([n]) => n);
    const wrapped = f.facts.calls_param.find((p) => params.includes(p));
    // Handlers passed `next` or `get_response` are middleware, not decorators.
    if (!wrapped || MIDDLEWARE_PARAM.test(wrapped) || /^(req|res|ctx|request|response)$/.test(wrapped)) return null;
    if (params.some((p) => MIDDLEWARE_PARAM.test(p))) return null;
    return {
      pattern: 'Decorator',
      anchor: f,
      confidence: 0.8,
      evidence: [`${f.name}(${wrapped}) returns a wrapper that calls ${wrapped}`],
      members: [],
    };
  }

  /** A chain holder: `use(fn)` collects handlers that are later run in order, each given `next`. */
  middlewareType(t: Sym): Found | null {
    if (t.kind !== 'class' && t.kind !== 'struct') return null;
    const methods = this.methods(t);
    const use = methods.find((m) => /^(use|add_?middleware|register_?middleware|pipe|add_?handler|add_?filter|add_?interceptor)$/i.test(m.name) && m.facts.stores_param);
    if (!use) return null;
    const runner = methods.find((m) => m !== use && (m.facts.notifies || /^(handle|dispatch|run|execute|process|call|invoke|next|apply)$/i.test(m.name)) && this.callsNext(m));
    if (!runner) return null;
    return {
      pattern: 'Middleware',
      anchor: t,
      confidence: 0.85,
      evidence: [`${use.name}() collects handlers`, `${runner.name}() runs them in order, passing next`],
      members: [use, runner].map((sym) => ({ sym, role: sym === use ? 'register' : 'dispatch' })),
    };
  }

  private callsNext(m: Sym): boolean {
    const rows = this.db.prepare("SELECT name FROM code_calls WHERE caller_id = ? AND receiver IS NULL AND name IN ('next', 'dispatch', 'handle')").all(m.id) as { name: string }[];
    return rows.length > 0 || !!m.facts.notifies;
  }

  /** Middleware functions: handlers taking `next` (or wrapping a handler) that pass control on; grouped per folder. */
  middlewareFunctions(): Found[] {
    const fns = this.rows(this.s.middlewareFns, this.projectId).filter((f) => {
      const params = (f.facts.params ?? []).map(([n]) => n);
      const calls = f.facts.calls_param ?? [];
      return params.some((p) => MIDDLEWARE_PARAM.test(p)) && calls.some((c) => MIDDLEWARE_PARAM.test(c));
    });
    const byDir = new Map<string, Sym[]>();
    for (const f of fns) {
      if (TEST_PATH.test(f.path)) continue;
      const d = path.posix.dirname(f.path);
      (byDir.get(d) ?? byDir.set(d, []).get(d)!).push(f);
    }
    const out: Found[] = [];
    for (const group of byDir.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => a.path.localeCompare(b.path) || a.id - b.id);
      out.push({
        pattern: 'Middleware',
        anchor: group[0]!,
        confidence: group.length >= 3 ? 0.85 : 0.75,
        evidence: [`${group.length} handlers take next and pass control on (${group.slice(0, 4).map((g) => g.name).join(', ')})`],
        members: group.slice(1, 10).map((sym) => ({ sym, role: 'middleware' })),
      });
    }
    return out;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
