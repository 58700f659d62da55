// Resolves imports to files and pending call sites to definitions: local scope, `this`/`self`, imports (aliases,
// re-exports, Python packages, Rust paths, Go packages), same package, typed receivers, then a global name fallback.
import path from 'node:path';
import type { Db } from '../db/open';
import { ModuleResolver, type ProjectFile } from './module-resolve';

interface Def {
  id: number;
  file_id: number;
  path: string;
  language: string;
  name: string;
  kind: string;
  owner: string | null;
  parent_id: number | null;
  exported: number;
  facts: string | null;
}

interface Imp {
  id: number;
  file_id: number;
  source: string;
  name: string | null;
  alias: string;
  kind: string;
  target_file_id: number | null;
}

interface Site {
  id: number;
  file_id: number;
  caller_id: number | null;
  name: string;
  receiver: string | null;
  receiver_type: string | null;
  line: number;
  kind: string;
  path: string;
  language: string | null;
}

export interface Edge {
  callee_id: number | null;
  callee_name: string;
  confidence: number;
  resolution: string;
}

const CALLABLE = new Set(['function', 'method']);
const TYPES = new Set(['class', 'struct', 'enum', 'trait', 'interface', 'type']);
const SELF_RECEIVERS = new Set(['this', 'self', 'cls', 'Self']);
const JS = new Set(['typescript', 'tsx', 'javascript']);

/** Names that are the language's own (builtins, std prelude): a bare call to one never means a project symbol elsewhere. */
const BUILTINS: Record<string, Set<string>> = {
  python: new Set('abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ Exception ValueError TypeError KeyError IndexError RuntimeError NotImplementedError AttributeError OSError IOError StopIteration AssertionError ImportError'.split(' ')),
  javascript: new Set('require parseInt parseFloat isNaN isFinite setTimeout clearTimeout setInterval clearInterval setImmediate queueMicrotask structuredClone encodeURIComponent decodeURIComponent encodeURI decodeURI String Number Boolean Symbol BigInt Array Object Promise Error TypeError RangeError Map Set WeakMap WeakSet Date RegExp JSON Math fetch console describe it test expect beforeEach afterEach beforeAll afterAll'.split(' ')),
  go: new Set('append cap clear close complex copy delete imag len make max min new panic print println real recover'.split(' ')),
  rust: new Set('Some None Ok Err Box Vec String drop'.split(' ')),
  c: new Set('printf fprintf sprintf snprintf malloc calloc realloc free memcpy memmove memset memcmp strlen strcmp strncmp strcpy strncpy strcat strchr strrchr strstr strdup exit abort assert fopen fclose fread fwrite fgets fputs puts putchar getchar atoi atol strtol strtoul qsort sizeof'.split(' ')),
};
BUILTINS.typescript = BUILTINS.javascript!;
BUILTINS.tsx = BUILTINS.javascript!;
BUILTINS.cpp = BUILTINS.c!;

const JS_GLOBAL_RECEIVERS = new Set(['console', 'Math', 'JSON', 'Object', 'Array', 'Promise', 'process', 'window', 'document', 'Number', 'String', 'Date', 'Reflect', 'Symbol', 'Buffer', 'globalThis', 'navigator', 'localStorage', 'sessionStorage', 'Intl', 'URL', 'performance', 'crypto', 'location', 'history']);

/** The project's files and the module resolver built over them (reading package.json, go.mod, Cargo.toml). */
export function projectModules(db: Db, projectId: number, root: string): { files: Map<number, ProjectFile>; resolver: ModuleResolver } {
  const list = db.prepare('SELECT id, path, language FROM files WHERE project_id = ? AND skip_reason IS NULL').all(projectId) as ProjectFile[];
  return { files: new Map(list.map((f) => [f.id, f])), resolver: new ModuleResolver(list, root) };
}

export interface ResolveStats {
  imports: number;
  calls: number;
  edges: number;
}

export class CallResolver {
  private get mod(): ModuleResolver {
    return this.modules().resolver;
  }

  private get files(): Map<number, ProjectFile> {
    return this.modules().files;
  }

  private readonly defsCache = new Map<string, Def[]>();
  private readonly fileDefsCache = new Map<number, Def[]>();
  private readonly importsCache = new Map<number, Imp[]>();
  private readonly symCache = new Map<number, Def | null>();
  private readonly basesCache = new Map<string, { base: string; file_id: number }[]>();
  private readonly s;

  /**
   * `modules` is asked for only when a lookup needs the file map (building it reads every file row and the
   * manifests); the caller keeps it across runs while no file is added or deleted (see projectModules).
   */
  constructor(private readonly db: Db, private readonly projectId: number, private readonly modules: () => { files: Map<number, ProjectFile>; resolver: ModuleResolver }) {
    const cols = 'id, file_id, path, language, name, kind, owner, parent_id, exported, facts';
    this.s = {
      defsByName: db.prepare(`SELECT ${cols} FROM code_elements WHERE project_id = ? AND name = ? COLLATE NOCASE`),
      defsOfFile: db.prepare(`SELECT ${cols} FROM code_elements WHERE file_id = ?`),
      sym: db.prepare(`SELECT ${cols} FROM code_elements WHERE id = ?`),
      filePath: db.prepare('SELECT path FROM files WHERE id = ?').pluck(),
      importsOf: db.prepare('SELECT id, file_id, source, name, alias, kind, target_file_id FROM code_imports WHERE file_id = ?'),
      bases: db.prepare('SELECT base_name AS base, file_id FROM code_bases WHERE project_id = ? AND type_name = ?'),
      pendingImports: db.prepare(
        `SELECT i.id, i.file_id, i.source, i.name, i.kind, i.alias, i.target_file_id, f.path, f.language
         FROM code_imports i JOIN files f ON f.id = i.file_id WHERE i.project_id = ? AND i.pending = 1`,
      ),
      setImport: db.prepare('UPDATE code_imports SET target_file_id = ?, pending = 0 WHERE id = ?'),
      markSitesOfAlias: db.prepare(
        `UPDATE code_calls SET pending = 1 WHERE file_id = ? AND pending = 0 AND (? = '' OR name = ? OR receiver = ? OR receiver LIKE ? || '.%' OR receiver LIKE ? || '::%')`,
      ),
      pendingSites: db.prepare(
        `SELECT c.id, c.file_id, c.caller_id, c.name, c.receiver, c.receiver_type, c.line, c.kind, f.path, f.language
         FROM code_calls c JOIN files f ON f.id = c.file_id WHERE c.project_id = ? AND c.pending = 1 LIMIT 5000`,
      ),
      deleteEdges: db.prepare('DELETE FROM call_graph WHERE call_id = ?'),
      insertEdge: db.prepare(
        `INSERT INTO call_graph (project_id, call_id, file_id, caller_id, callee_id, callee_name, line, confidence, resolution)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      done: db.prepare('UPDATE code_calls SET pending = 0 WHERE id = ?'),
      markNullImports: db.prepare('UPDATE code_imports SET pending = 1 WHERE project_id = ? AND target_file_id IS NULL AND pending = 0'),
    };
  }

  /** Resolves every pending import and call site. `filesAddedOrDeleted`: unresolved imports may now resolve. */
  run(opts: { filesAddedOrDeleted: boolean; signal?: AbortSignal }): ResolveStats {
    const stats: ResolveStats = { imports: 0, calls: 0, edges: 0 };
    if (opts.filesAddedOrDeleted) this.s.markNullImports.run(this.projectId);
    this.db.transaction(() => {
      const imps = this.s.pendingImports.all(this.projectId) as (Imp & { path: string; language: string | null })[];
      for (const imp of imps) {
        const target = this.importTarget(imp.path, imp.language, imp);
        const id = target?.id ?? null;
        this.s.setImport.run(id, imp.id);
        if (id !== imp.target_file_id) this.s.markSitesOfAlias.run(imp.file_id, imp.alias, imp.alias, imp.alias, imp.alias, imp.alias);
        stats.imports++;
      }
    })();
    this.importsCache.clear();
    // Sites are taken in slices, each slice one transaction, so a huge first index never holds one giant transaction.
    for (;;) {
      if (opts.signal?.aborted) break;
      const sites = this.s.pendingSites.all(this.projectId) as Site[];
      if (!sites.length) break;
      this.db.transaction(() => {
        for (const site of sites) {
          this.s.deleteEdges.run(site.id);
          for (const e of this.resolveSite(site)) {
            this.s.insertEdge.run(this.projectId, site.id, site.file_id, site.caller_id, e.callee_id, e.callee_name, site.line, e.confidence, e.resolution);
            stats.edges++;
          }
          this.s.done.run(site.id);
          stats.calls++;
        }
      })();
    }
    return stats;
  }

  private importTarget(fromPath: string, language: string | null, imp: Imp): ProjectFile | null {
    if (language === 'rust') {
      const full = imp.name ? `${imp.source}::${imp.name}` : imp.source;
      return this.mod.resolveRust(fromPath, full).file;
    }
    if (language === 'java' && imp.name) return this.mod.resolve(fromPath, language, `${imp.source}.${imp.name}`);
    return this.mod.resolve(fromPath, language, imp.source);
  }

  // ---- lookups (cached for the run)

  private defs(name: string): Def[] {
    let d = this.defsCache.get(name);
    if (!d) {
      d = (this.s.defsByName.all(this.projectId, name) as Def[]).filter((x) => x.name === name);
      this.defsCache.set(name, d);
    }
    return d;
  }

  private fileDefs(fileId: number): Def[] {
    let d = this.fileDefsCache.get(fileId);
    if (!d) {
      d = this.s.defsOfFile.all(fileId) as Def[];
      this.fileDefsCache.set(fileId, d);
    }
    return d;
  }

  private imports(fileId: number): Imp[] {
    let d = this.importsCache.get(fileId);
    if (!d) {
      d = this.s.importsOf.all(fileId) as Imp[];
      this.importsCache.set(fileId, d);
    }
    return d;
  }

  private sym(id: number | null): Def | null {
    if (id === null) return null;
    if (!this.symCache.has(id)) this.symCache.set(id, (this.s.sym.get(id) as Def | undefined) ?? null);
    return this.symCache.get(id)!;
  }

  private readonly paths = new Map<number, string>();
  /** A file's path without building the module map. */
  private pathOf(fileId: number): string {
    let p = this.paths.get(fileId);
    if (p === undefined) {
      p = (this.s.filePath.get(fileId) as string | undefined) ?? '';
      this.paths.set(fileId, p);
    }
    return p;
  }

  private bases(type: string): { base: string; file_id: number }[] {
    let b = this.basesCache.get(type);
    if (!b) {
      b = this.s.bases.all(this.projectId, type) as { base: string; file_id: number }[];
      this.basesCache.set(type, b);
    }
    return b;
  }

  // ---- resolution

  resolveSite(site: Site): Edge[] {
    const lang = site.language ?? '';
    const r = site.receiver;
    if (site.kind === 'macro') return this.one(this.bareName(site, lang, new Set(['macro'])), site);
    if (r === null) return this.one(this.bareName(site, lang, null), site);
    if (SELF_RECEIVERS.has(r) && !(r === 'cls' && lang !== 'python')) {
      const type = r === 'Self' ? (site.receiver_type ?? this.callerType(site)) : this.callerType(site);
      if (type) {
        const m = this.methodOf(type, site.name, site.file_id, 0);
        if (m.length) return this.ranked(m, 0.95, 'self');
      }
      return [{ callee_id: null, callee_name: site.name, confidence: 0, resolution: 'unresolved' }];
    }
    if (r === 'super') {
      const type = this.callerType(site);
      if (type) {
        const out: Def[] = [];
        for (const b of this.bases(type)) out.push(...this.methodOf(b.base, site.name, site.file_id, 1));
        if (out.length) return this.ranked(out, 0.9, 'self');
      }
      return [{ callee_id: null, callee_name: site.name, confidence: 0, resolution: 'unresolved' }];
    }
    // A typed receiver (declared parameter, `x = new X()`, a typed field).
    if (site.receiver_type) {
      const m = this.methodOf(site.receiver_type, site.name, site.file_id, 0);
      if (m.length) return this.ranked(m, 0.85, 'typed');
    }
    // A module, package or type named by the receiver.
    const viaReceiver = this.receiverTarget(site, lang, r);
    if (viaReceiver) return viaReceiver;
    // An unknown value: methods with that name anywhere are only guesses.
    const methods = this.defs(site.name).filter((d) => d.kind === 'method' && sameFamily(d.language, lang));
    if (!methods.length) return [{ callee_id: null, callee_name: site.name, confidence: 0, resolution: 'unresolved' }];
    if (methods.length === 1) return [{ callee_id: methods[0]!.id, callee_name: site.name, confidence: 0.4, resolution: 'method_name' }];
    return this.ambiguous(methods, site, 0.3);
  }

  private one(defs: Edge[] | null, site: Site): Edge[] {
    return defs ?? [{ callee_id: null, callee_name: site.name, confidence: 0, resolution: 'unresolved' }];
  }

  private ranked(defs: Def[], conf: number, resolution: string): Edge[] {
    const unique = [...new Map(defs.map((d) => [d.id, d])).values()];
    if (unique.length === 1) return [{ callee_id: unique[0]!.id, callee_name: unique[0]!.name, confidence: conf, resolution }];
    return unique.slice(0, 5).map((d) => ({ callee_id: d.id, callee_name: d.name, confidence: round(conf / unique.length), resolution: 'ambiguous' }));
  }

  /** Several candidates: each keeps a confidence that favours the ones nearest the call site. */
  /** A file's folder split into parts, kept per path: ambiguous names (`f` in 2,000 files) compare them per call. */
  private readonly dirParts = new Map<string, string[]>();
  private dirOf(file: string): string[] {
    let p = this.dirParts.get(file);
    if (!p) this.dirParts.set(file, (p = path.posix.dirname(file).split('/')));
    return p;
  }

  private ambiguous(defs: Def[], site: Site, total: number): Edge[] {
    const from = this.dirOf(site.path);
    const scored = defs.map((d) => ({ d, w: 1 + sharedParts(from, this.dirOf(d.path)) + (d.file_id === site.file_id ? 3 : 0) }));
    scored.sort((a, b) => b.w - a.w);
    const top = scored.slice(0, 5);
    const sum = top.reduce((a, x) => a + x.w, 0);
    return top.map((x) => ({ callee_id: x.d.id, callee_name: x.d.name, confidence: round((total * x.w) / sum), resolution: 'ambiguous' }));
  }

  /** The type whose members `this`/`self` names inside the calling symbol. */
  private callerType(site: Site): string | null {
    let s = this.sym(site.caller_id);
    for (let i = 0; s && i < 8; i++) {
      if (s.owner && (s.kind === 'method' || s.kind === 'field' || CALLABLE.has(s.kind))) return s.owner;
      if (TYPES.has(s.kind)) return s.name;
      s = this.sym(s.parent_id);
    }
    return null;
  }

  /** Methods named `name` of `type` or its bases (nearest file first). */
  private methodOf(type: string, name: string, fromFile: number, depth: number, seen = new Set<string>()): Def[] {
    if (depth > 4 || seen.has(type)) return [];
    seen.add(type);
    const own = this.defs(name).filter((d) => d.owner === type && (CALLABLE.has(d.kind) || d.kind === 'field'));
    if (own.length) {
      const fromDir = path.posix.dirname(this.pathOf(fromFile));
      const sameFile = own.filter((d) => d.file_id === fromFile);
      if (sameFile.length) return sameFile;
      const sameDir = own.filter((d) => path.posix.dirname(d.path) === fromDir);
      if (sameDir.length) return sameDir;
      const callable = own.filter((d) => CALLABLE.has(d.kind));
      return callable.length ? callable : own;
    }
    const out: Def[] = [];
    for (const b of this.bases(type)) out.push(...this.methodOf(b.base, name, fromFile, depth + 1, seen));
    return out;
  }

  /** A bare call `name()`: local scope, this file, imports, same package, wildcard imports, then the whole project. */
  private bareName(site: Site, lang: string, kinds: Set<string> | null): Edge[] | null {
    const name = site.name;
    const accept = (d: Def) => (kinds ? kinds.has(d.kind) : CALLABLE.has(d.kind) || TYPES.has(d.kind) || d.kind === 'macro');
    const fileDefs = this.fileDefs(site.file_id).filter((d) => d.name === name && accept(d));
    // Nested definitions visible from the caller (inner functions), innermost first.
    let scope = this.sym(site.caller_id);
    for (let i = 0; scope && i < 8; i++) {
      const inner = fileDefs.filter((d) => d.parent_id === scope!.id && !(d.kind === 'method' && TYPES.has(scope!.kind) && !implicitThis(lang)));
      if (inner.length) return this.ranked(inner, 1, 'local');
      scope = this.sym(scope.parent_id);
    }
    // Java and C++ call their own methods without `this`.
    if (implicitThis(lang)) {
      const type = this.callerType(site);
      if (type) {
        const m = this.methodOf(type, name, site.file_id, 0);
        if (m.length) return this.ranked(m, 0.95, 'self');
      }
    }
    const top = fileDefs.filter((d) => d.parent_id === null && !(d.owner && d.kind === 'method'));
    if (top.length) return this.ranked(top, 0.95, 'local');
    // Imports binding the name.
    for (const imp of this.imports(site.file_id)) {
      if (imp.alias !== name || imp.kind === 'wildcard' || imp.kind === 'reexport_all') continue;
      if (imp.target_file_id === null) return [{ callee_id: null, callee_name: `${imp.source}${imp.name ? `.${imp.name}` : ''}`, confidence: 0, resolution: 'external' }];
      const target = this.importedSymbol(imp, lang, accept);
      if (target.length) return this.ranked(target, 0.95, 'import');
      return [{ callee_id: null, callee_name: name, confidence: 0, resolution: 'unresolved' }];
    }
    // The same package: Go and Java share a folder's top-level names.
    if (lang === 'go' || lang === 'java') {
      const dir = path.posix.dirname(site.path);
      const same = this.defs(name).filter((d) => accept(d) && d.parent_id === null && !d.owner && path.posix.dirname(d.path) === dir && d.language === lang);
      if (same.length) return this.ranked(same, 0.9, 'package');
    }
    // Rust: items of the parent module (`use super::*`) and of sibling files declared as `mod x;`.
    for (const imp of this.imports(site.file_id)) {
      if (imp.kind !== 'wildcard' && imp.kind !== 'reexport_all') continue;
      if (imp.target_file_id === null) continue;
      const hits = this.exportedFrom(imp.target_file_id, name, lang, accept, 0);
      if (hits.length) return this.ranked(hits, 0.85, 'import');
    }
    if (BUILTINS[lang]?.has(name)) return [{ callee_id: null, callee_name: name, confidence: 0, resolution: 'external' }];
    // Anywhere in the project: certain in C (one global namespace), a guess elsewhere.
    const global = this.defs(name).filter((d) => accept(d) && (d.parent_id === null || d.kind === 'function') && !(d.owner && d.kind === 'method') && sameFamily(d.language, lang));
    if (!global.length) return null;
    const c = lang === 'c' || lang === 'cpp';
    if (global.length === 1) return [{ callee_id: global[0]!.id, callee_name: name, confidence: c ? 0.9 : 0.4, resolution: 'global' }];
    // C: a definition in a .c file wins over its declaration-like twins in headers.
    if (c) {
      const impl = global.filter((d) => !/\.(h|hh|hpp|hxx)$/.test(d.path));
      if (impl.length === 1) return [{ callee_id: impl[0]!.id, callee_name: name, confidence: 0.85, resolution: 'global' }];
    }
    return this.ambiguous(global, site, c ? 0.8 : 0.35);
  }

  /** The symbol an import binds (named or default), following re-exports and Python submodules. */
  private importedSymbol(imp: Imp, lang: string, accept: (d: Def) => boolean, depth = 0): Def[] {
    if (imp.target_file_id === null || depth > MAX_REEXPORT_DEPTH) return [];
    if (lang === 'rust') {
      const r = this.mod.resolveRust(this.pathOf(imp.file_id), imp.name ? `${imp.source}::${imp.name}` : imp.source);
      if (!r.file || !r.rest.length) return [];
      return this.itemPath(r.file.id, r.rest, accept, depth);
    }
    if (imp.kind === 'module') {
      // `const x = require('./x'); x()` or `import x = require()` calls the module's default export.
      return this.defaultExport(imp.target_file_id);
    }
    const want = imp.kind === 'default' ? 'default' : (imp.name ?? imp.alias);
    // Java `import static a.b.C.m`: m is a static member of class C in C.java.
    if (lang === 'java') {
      const cls = imp.source.split('.').pop();
      const members = this.fileDefs(imp.target_file_id).filter((d) => d.name === want && d.owner === cls && accept(d));
      if (members.length) return members;
    }
    if (want === 'default') {
      const named = this.fileDefs(imp.target_file_id).filter((d) => d.parent_id === null && d.name === imp.alias && accept(d));
      return named.length ? named : this.defaultExport(imp.target_file_id);
    }
    return this.exportedFrom(imp.target_file_id, want, lang, accept, depth);
  }

  private defaultExport(fileId: number): Def[] {
    const defs = this.fileDefs(fileId).filter((d) => d.parent_id === null);
    const flagged = defs.filter((d) => d.facts?.includes('"default_export":true'));
    if (flagged.length) return flagged;
    const base = path.posix.basename(this.pathOf(fileId)).replace(/\.[^.]+$/, '');
    return defs.filter((d) => d.name === base && d.exported);
  }

  /** `name` as defined (or re-exported) at the top of a file. */
  private exportedFrom(fileId: number, name: string, lang: string, accept: (d: Def) => boolean, depth: number): Def[] {
    const direct = this.fileDefs(fileId).filter((d) => d.name === name && d.parent_id === null && accept(d) && !(d.owner && d.kind === 'method'));
    if (direct.length || depth >= MAX_REEXPORT_DEPTH) return direct;
    for (const imp of this.imports(fileId)) {
      if (imp.target_file_id === null) continue;
      if (imp.kind === 'reexport_all' || imp.kind === 'wildcard') {
        const hit = this.exportedFrom(imp.target_file_id, name, lang, accept, depth + 1);
        if (hit.length) return hit;
      } else if (imp.alias === name && imp.kind !== 'module') {
        // `export { x as name } from './y'`, `from .y import name` in __init__.py, `pub use y::name`.
        // The depth goes along: re-exports can form a cycle (`pub use` of a module that re-exports back).
        const hit = this.importedSymbol(imp, lang, accept, depth + 1);
        if (hit.length) return hit;
      }
    }
    return [];
  }

  /** Rust: `Type::assoc` or `item` inside a module file. */
  private itemPath(fileId: number, rest: string[], accept: (d: Def) => boolean, depth = 0): Def[] {
    if (rest.length === 1) return this.exportedFrom(fileId, rest[0]!, 'rust', accept, depth);
    if (rest.length === 2) return this.methodOf(rest[0]!, rest[1]!, fileId, 0);
    return [];
  }

  /** `recv.name()` where recv names a module/package alias, a module path (`a::b`), or a type (static call). */
  private receiverTarget(site: Site, lang: string, r: string): Edge[] | null {
    const accept = (d: Def) => CALLABLE.has(d.kind) || TYPES.has(d.kind);
    if (r === '<expr>') return null;
    if (JS.has(lang)) {
      // The runtime's own objects (`console.log`, `Math.max`) are never project code.
      if (JS_GLOBAL_RECEIVERS.has(r.split('.')[0]!) && !this.imports(site.file_id).some((i) => i.alias === r.split('.')[0])) {
        return [{ callee_id: null, callee_name: `${r}.${site.name}`, confidence: 0, resolution: 'external' }];
      }
      // `exports.f()` / `module.exports.f()`: the module calling its own export.
      if (r === 'exports' || r === 'module.exports') {
        const own = this.fileDefs(site.file_id).filter((d) => d.name === site.name && d.parent_id === null && CALLABLE.has(d.kind));
        if (own.length) return this.ranked(own, 0.95, 'local');
      }
    }
    if (lang === 'rust' && r.includes('::')) {
      const head = r.split('::')[0]!;
      let source = r;
      const alias = this.imports(site.file_id).find((i) => i.alias === head && i.kind !== 'wildcard');
      if (alias) source = [alias.name ? `${alias.source}::${alias.name}` : alias.source, ...r.split('::').slice(1)].join('::');
      const res = this.mod.resolveRust(site.path, `${source}::${site.name}`);
      if (res.file) {
        const hits = this.itemPath(res.file.id, res.rest, accept);
        if (hits.length) return this.ranked(hits, 0.9, 'import');
      }
      const typeName = r.split('::').pop()!;
      if (/^[A-Z]/.test(typeName)) {
        const m = this.methodOf(typeName, site.name, site.file_id, 0);
        if (m.length) return this.ranked(m, 0.85, 'static');
      }
      return [{ callee_id: null, callee_name: `${r}::${site.name}`, confidence: 0, resolution: 'external' }];
    }
    const parts = r.split('.');
    const head = parts[0]!;
    for (const imp of this.imports(site.file_id)) {
      if (imp.alias !== head || !imp.alias) continue;
      // Python `import a.b` binds `a`, and `a.b.f()` names module a.b.
      let targetId = imp.target_file_id;
      if (lang === 'python' && parts.length > 1 && imp.kind === 'module') {
        const sub = this.mod.resolve(site.path, lang, parts.join('.'));
        if (sub) targetId = sub.id;
      }
      if (targetId === null) return [{ callee_id: null, callee_name: `${imp.source}${imp.name ? `.${imp.name}` : ''}.${site.name}`, confidence: 0, resolution: 'external' }];
      if (imp.kind === 'module' || lang === 'go') {
        const hits = lang === 'go' ? this.inPackage(targetId, site.name, accept) : this.exportedFrom(targetId, site.name, lang, accept, 0);
        if (hits.length) return this.ranked(hits, 0.95, 'import');
        return [{ callee_id: null, callee_name: `${r}.${site.name}`, confidence: 0, resolution: 'unresolved' }];
      }
      // A named import: a submodule (`from pkg import mod; mod.f()`) or a class (`Foo.create()`).
      const file = this.files.get(targetId);
      if (lang === 'python' && imp.name && file) {
        const sub = this.mod.pythonSubmodule(file, imp.name);
        if (sub) {
          const hits = this.exportedFrom(sub.id, site.name, lang, accept, 0);
          if (hits.length) return this.ranked(hits, 0.95, 'import');
        }
      }
      const types = this.importedSymbol(imp, lang, (d) => TYPES.has(d.kind));
      for (const t of types) {
        const m = this.methodOf(t.name, site.name, t.file_id, 0);
        if (m.length) return this.ranked(m, 0.9, 'static');
      }
      const obj = this.importedSymbol(imp, lang, () => true);
      for (const o of obj) {
        const members = this.fileDefs(o.file_id).filter((d) => d.parent_id === o.id && d.name === site.name && CALLABLE.has(d.kind));
        if (members.length) return this.ranked(members, 0.9, 'import');
      }
      return [{ callee_id: null, callee_name: `${r}.${site.name}`, confidence: 0, resolution: 'unresolved' }];
    }
    // A type declared in this file, or anywhere in the same package/project: `Foo.create()`, `Foo::new()`.
    if (parts.length === 1 && /^[A-Z]/.test(head)) {
      const m = this.methodOf(head, site.name, site.file_id, 0);
      if (m.length) return this.ranked(m, 0.85, 'static');
    }
    // A local object literal or module-level object with function members (`obj.fn()` in JS).
    if (parts.length === 1 && JS.has(lang)) {
      const holder = this.fileDefs(site.file_id).find((d) => d.name === head && (d.kind === 'variable' || d.kind === 'constant' || d.kind === 'function'));
      if (holder) {
        const members = this.fileDefs(site.file_id).filter((d) => d.parent_id === holder.id && d.name === site.name && CALLABLE.has(d.kind));
        if (members.length) return this.ranked(members, 0.9, 'local');
      }
    }
    return null;
  }

  /** Top-level `name` among the files of a Go package (the folder of `fileId`). */
  private inPackage(fileId: number, name: string, accept: (d: Def) => boolean): Def[] {
    const dir = path.posix.dirname(this.pathOf(fileId));
    return this.defs(name).filter((d) => accept(d) && d.parent_id === null && !d.owner && path.posix.dirname(d.path) === dir);
  }
}

function implicitThis(lang: string): boolean {
  return lang === 'java' || lang === 'cpp' || lang === 'c_sharp';
}

/** Calls cross between TS and JS, and between C and C++, but never between unrelated languages. */
/** How many leading parts two split paths share. */
function sharedParts(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** How many re-export hops an import is followed through (they can form cycles). */
const MAX_REEXPORT_DEPTH = 4;

function sameFamily(a: string, b: string): boolean {
  if (a === b) return true;
  const fam = (l: string) => (JS.has(l) ? 'js' : l === 'c' || l === 'cpp' ? 'c' : l);
  return fam(a) === fam(b);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
