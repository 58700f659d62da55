// Maps an import as written to the project file it names: relative JS/TS paths and workspace packages, Python
// packages, Rust `crate::`/`super::` module paths and workspace crates, Go packages (via go.mod), Java packages, C includes.
import fs from 'node:fs';
import path from 'node:path';

export interface ProjectFile {
  id: number;
  path: string;
  language: string | null;
}

const JS_EXTS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const JS_LANGS = new Set(['typescript', 'tsx', 'javascript']);

export class ModuleResolver {
  private readonly byPath = new Map<string, ProjectFile>();
  private readonly dirs = new Map<string, ProjectFile[]>();
  /** Path suffix index for Python/Java/C lookups: basename → files. */
  private readonly byBase = new Map<string, ProjectFile[]>();
  private readonly jsPackages = new Map<string, string>();
  private readonly goModules: { module: string; dir: string }[] = [];
  private readonly crates = new Map<string, string>();
  private readonly cargoDirs: string[] = [];

  constructor(files: ProjectFile[], private readonly root: string) {
    for (const f of files) {
      this.byPath.set(f.path, f);
      const dir = path.posix.dirname(f.path);
      const list = this.dirs.get(dir) ?? [];
      list.push(f);
      this.dirs.set(dir, list);
      const base = path.posix.basename(f.path);
      const b = this.byBase.get(base) ?? [];
      b.push(f);
      this.byBase.set(base, b);
    }
    for (const f of files) {
      const base = path.posix.basename(f.path);
      if (base === 'package.json') {
        const pkg = this.readJson(f.path) as { name?: string } | null;
        if (pkg?.name) this.jsPackages.set(pkg.name, path.posix.dirname(f.path));
      } else if (base === 'go.mod') {
        const m = /^module\s+(\S+)/m.exec(this.readText(f.path) ?? '');
        if (m) this.goModules.push({ module: m[1]!, dir: path.posix.dirname(f.path) });
      } else if (base === 'Cargo.toml') {
        const dir = path.posix.dirname(f.path);
        this.cargoDirs.push(dir);
        const m = /\[package\][^[]*?\bname\s*=\s*"([^"]+)"/s.exec(this.readText(f.path) ?? '');
        if (m) this.crates.set(m[1]!.replace(/-/g, '_'), dir);
      }
    }
    this.goModules.sort((a, b) => b.module.length - a.module.length);
    this.cargoDirs.sort((a, b) => b.length - a.length);
  }

  file(p: string): ProjectFile | undefined {
    return this.byPath.get(p);
  }

  filesIn(dir: string): ProjectFile[] {
    return this.dirs.get(dir) ?? [];
  }

  /** The file an import names, or null when it is external (or not found). */
  resolve(fromPath: string, language: string | null, source: string): ProjectFile | null {
    if (!language) return null;
    if (JS_LANGS.has(language)) return this.resolveJs(fromPath, source);
    switch (language) {
      case 'python':
        return this.resolvePython(fromPath, source);
      case 'rust':
        return this.resolveRust(fromPath, source).file;
      case 'go':
        return this.resolveGo(source);
      case 'java':
        return this.resolveJava(source);
      case 'c':
      case 'cpp':
        return this.resolveInclude(fromPath, source);
      default:
        return null;
    }
  }

  // ---- JavaScript / TypeScript

  private resolveJs(fromPath: string, source: string): ProjectFile | null {
    if (source.startsWith('.') || source.startsWith('/')) {
      const base = source.startsWith('/') ? source.slice(1) : path.posix.join(path.posix.dirname(fromPath), source);
      return this.jsCandidates(base);
    }
    // Path aliases most projects use for their own source.
    const alias = /^[@~#]\/(.*)$/.exec(source);
    if (alias) return this.jsCandidates(`src/${alias[1]}`) ?? this.jsCandidates(alias[1]!);
    // Workspace packages (monorepos): the package's folder, then its src/.
    const parts = source.split('/');
    const pkgName = source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const dir = this.jsPackages.get(pkgName);
    if (dir !== undefined) {
      const sub = parts.slice(source.startsWith('@') ? 2 : 1).join('/');
      const prefix = dir === '.' ? '' : `${dir}/`;
      for (const cand of sub ? [`${prefix}${sub}`, `${prefix}src/${sub}`, `${prefix}lib/${sub}`] : [`${prefix}src/index`, `${prefix}index`, `${prefix}lib/index`, `${prefix}src/main`]) {
        const hit = this.jsCandidates(cand);
        if (hit) return hit;
      }
    }
    return null;
  }

  private jsCandidates(base: string): ProjectFile | null {
    const norm = path.posix.normalize(base).replace(/^\.\//, '');
    const exact = this.byPath.get(norm);
    if (exact && JS_LANGS.has(exact.language ?? '')) return exact;
    // ESM TypeScript writes './x.js' for './x.ts'.
    const stripped = norm.replace(/\.(m|c)?js$/, '');
    for (const b of stripped !== norm ? [stripped, norm] : [norm]) {
      for (const ext of JS_EXTS) {
        const f = this.byPath.get(b + ext);
        if (f) return f;
      }
      for (const ext of JS_EXTS) {
        const f = this.byPath.get(`${b}/index${ext}`);
        if (f) return f;
      }
    }
    return null;
  }

  // ---- Python

  private resolvePython(fromPath: string, source: string): ProjectFile | null {
    const m = /^(\.*)(.*)$/.exec(source)!;
    const dots = m[1]!.length;
    const rest = m[2]!.split('.').filter(Boolean);
    if (dots > 0) {
      let dir = path.posix.dirname(fromPath);
      for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
      const base = [dir === '.' ? '' : dir, ...rest].filter(Boolean).join('/');
      return this.pyModule(base);
    }
    if (!rest.length) return null;
    // Absolute: the shortest path ending in a/b/c.py or a/b/c/__init__.py (the package root may be anywhere: src/, lib/...).
    const tail = rest.join('/');
    const candidates = [...(this.byBase.get(`${rest[rest.length - 1]}.py`) ?? []), ...(this.byBase.get('__init__.py') ?? [])].filter(
      (f) => f.path === `${tail}.py` || f.path.endsWith(`/${tail}.py`) || f.path === `${tail}/__init__.py` || f.path.endsWith(`/${tail}/__init__.py`),
    );
    if (!candidates.length) return null;
    const fromDir = path.posix.dirname(fromPath);
    candidates.sort((a, b) => score(b) - score(a) || a.path.length - b.path.length);
    return candidates[0]!;
    function score(f: ProjectFile): number {
      return commonPrefix(fromDir, path.posix.dirname(f.path));
    }
  }

  private pyModule(base: string): ProjectFile | null {
    return this.byPath.get(`${base}.py`) ?? this.byPath.get(`${base}/__init__.py`) ?? this.byPath.get(`${base}.pyi`) ?? null;
  }

  /** For `from pkg import name` where `name` is a submodule rather than a symbol of pkg/__init__.py. */
  pythonSubmodule(packageFile: ProjectFile, name: string): ProjectFile | null {
    if (!packageFile.path.endsWith('__init__.py')) return null;
    return this.pyModule(`${path.posix.dirname(packageFile.path)}/${name}`);
  }

  // ---- Rust

  private crateRoot(fromPath: string): string | null {
    for (const d of this.cargoDirs) if (d === '.' || fromPath.startsWith(`${d}/`)) return d === '.' ? 'src' : `${d}/src`;
    return fromPath.startsWith('src/') ? 'src' : null;
  }

  /** A Rust file's module path below its crate's src: src/lib.rs → [], src/a/b.rs → [a, b], src/a/mod.rs → [a]. */
  private rustModulePath(fromPath: string, root: string): string[] {
    if (!fromPath.startsWith(`${root}/`)) return [];
    const rel = fromPath.slice(root.length + 1).replace(/\.rs$/, '').split('/');
    const last = rel[rel.length - 1];
    if (last === 'mod' || (rel.length === 1 && (last === 'lib' || last === 'main'))) rel.pop();
    // Binaries under src/bin/ are crate roots of their own.
    if (rel[0] === 'bin') return rel.slice(2);
    return rel;
  }

  private rustModuleFile(root: string, segs: string[]): ProjectFile | null {
    if (!segs.length) return this.byPath.get(`${root}/lib.rs`) ?? this.byPath.get(`${root}/main.rs`) ?? null;
    const p = `${root}/${segs.join('/')}`;
    return this.byPath.get(`${p}.rs`) ?? this.byPath.get(`${p}/mod.rs`) ?? null;
  }

  /**
   * Resolves a `::` path as far as module files go. Returns the last module file reached and the segments left
   * over (items inside it, such as a function, or a type whose associated function is called).
   */
  resolveRust(fromPath: string, source: string): { file: ProjectFile | null; rest: string[] } {
    const segs = source.split('::').filter(Boolean);
    if (!segs.length) return { file: null, rest: [] };
    const first = segs[0]!;
    let root = this.crateRoot(fromPath);
    let mod: string[];
    let i = 0;
    if (first === 'crate') {
      if (!root) return { file: null, rest: segs };
      mod = [];
      i = 1;
    } else if (first === 'self' || first === 'super') {
      if (!root) return { file: null, rest: segs };
      mod = this.rustModulePath(fromPath, root);
      while (i < segs.length && (segs[i] === 'self' || segs[i] === 'super')) {
        if (segs[i] === 'super') mod = mod.slice(0, -1);
        i++;
      }
    } else if (this.crates.has(first)) {
      const d = this.crates.get(first)!;
      root = d === '.' ? 'src' : `${d}/src`;
      mod = [];
      i = 1;
    } else {
      // A child module of the current one (2018 uniform paths), else of the crate root.
      if (!root) return { file: null, rest: segs };
      const here = this.rustModulePath(fromPath, root);
      if (this.rustModuleFile(root, [...here, first])) mod = here;
      else if (this.rustModuleFile(root, [first])) mod = [];
      else return { file: null, rest: segs };
    }
    let file = this.rustModuleFile(root, mod);
    while (i < segs.length) {
      const next = this.rustModuleFile(root, [...mod, segs[i]!]);
      if (!next) break;
      mod = [...mod, segs[i]!];
      file = next;
      i++;
    }
    return { file, rest: segs.slice(i) };
  }

  // ---- Go

  private resolveGo(source: string): ProjectFile | null {
    for (const m of this.goModules) {
      if (source !== m.module && !source.startsWith(`${m.module}/`)) continue;
      const rel = source.slice(m.module.length).replace(/^\//, '');
      const dir = [m.dir === '.' ? '' : m.dir, rel].filter(Boolean).join('/') || '.';
      const files = (this.dirs.get(dir) ?? []).filter((f) => f.language === 'go');
      return files.find((f) => !f.path.endsWith('_test.go')) ?? files[0] ?? null;
    }
    return null;
  }

  // ---- Java

  private resolveJava(source: string): ProjectFile | null {
    const parts = source.split('.');
    // `a.b.C` names C.java in a/b; a static import `a.b.C.m` names the class one level up.
    for (let n = parts.length; n >= Math.max(1, parts.length - 2); n--) {
      const tail = parts.slice(0, n).join('/');
      const hits = this.byBase.get(`${parts[n - 1]}.java`)?.filter((f) => f.path === `${tail}.java` || f.path.endsWith(`/${tail}.java`));
      if (hits?.length) return hits[0]!;
    }
    // A package (wildcard import): any file in that folder.
    const dirTail = parts.join('/');
    for (const [dir, files] of this.dirs) if ((dir === dirTail || dir.endsWith(`/${dirTail}`)) && files.some((f) => f.language === 'java')) return files.find((f) => f.language === 'java')!;
    return null;
  }

  // ---- C / C++

  private resolveInclude(fromPath: string, source: string): ProjectFile | null {
    if (source.startsWith('<')) {
      source = source.slice(1, -1);
    }
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), source));
    const direct = this.byPath.get(rel) ?? this.byPath.get(source);
    if (direct) return direct;
    const base = path.posix.basename(source);
    const hits = (this.byBase.get(base) ?? []).filter((f) => f.path.endsWith(`/${source}`) || f.path === source);
    if (!hits.length) return null;
    hits.sort((a, b) => commonPrefix(fromPath, b.path) - commonPrefix(fromPath, a.path) || a.path.length - b.path.length);
    return hits[0]!;
  }

  private readText(rel: string): string | null {
    try {
      return fs.readFileSync(path.join(this.root, rel), 'utf8');
    } catch {
      return null;
    }
  }

  private readJson(rel: string): unknown {
    const t = this.readText(rel);
    if (!t) return null;
    try {
      return JSON.parse(t);
    } catch {
      return null;
    }
  }
}

export function commonPrefix(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return n;
}
