// Finds change shapes in mined commits: families of files added together under one varying name, grouped into the template sets several commits share.
import { isBinaryPath, MAX_CHANGED, type AddedFile, type MinedCommit, type ModifiedFile } from './history';
import { stems, templatePath } from './names';

/** Files one commit added whose paths share the varying name `name`, keyed by their templates. */
export interface Family {
  sha: string;
  time: number;
  name: string;
  /** template -> the file it matched in this commit */
  files: Map<string, AddedFile>;
}

/** One commit that added a whole shape. */
export interface Instance {
  sha: string;
  parent: string | null;
  time: number;
  name: string;
  /** template -> added file (only the shape's templates) */
  files: Record<string, AddedFile>;
  /** Other files the same family added (one-off files beside the shape). */
  extra: string[];
  modified: ModifiedFile[];
}

/** One commit that added a file of a template (whatever else it added): what a file's content is learned from. */
export interface PoolEntry {
  sha: string;
  parent: string | null;
  time: number;
  name: string;
  blob: string;
}

export interface Shape {
  /** Sorted path templates ('test/{name}.js'). */
  templates: string[];
  /**
   * Per template, every commit that added such a file, newest first. A file's content depends on its path, not on
   * what else the commit added, so a locale file is learned from all locale additions, with or without a test.
   */
  pool: Record<string, PoolEntry[]>;
  /** Newest first; one per (commit, name). */
  instances: Instance[];
  /** Distinct commits. */
  support: number;
  /** Files modified by at least half (and at least 2) of the instances: where registration may happen. */
  registries: string[];
}

export interface ShapeOptions {
  /** Commits needed for a shape of several files (default 2: two commits adding the same set of files is already rare by chance). */
  minSupportMulti?: number;
  /** Commits needed for a one-file shape, which must also sit in a fixed folder (default 3). */
  minSupportSingle?: number;
  /** At most this many shapes, best supported and most recent first. */
  maxShapes?: number;
}

function tokens(path: string, newDirs: ReadonlySet<string>): Set<string> {
  const parts = path.split('/');
  const out = new Set<string>(stems(path));
  for (let i = 0; i < parts.length - 1; i++) if (newDirs.has(parts.slice(0, i + 1).join('/'))) out.add(parts[i]!);
  for (const t of out) if (t.length < 2) out.delete(t);
  return out;
}

/** Does the template sit in a folder that is the same for every instance (not only under the name's own folder)? */
export function fixedDir(template: string): boolean {
  return template
    .split('/')
    .slice(0, -1)
    .some((d) => !d.includes('{'));
}

type Support = (template: string, name: string) => number;

/**
 * The families of one commit. With `support`, a file whose two stem readings differ ('x.test.ts' as x + .test.ts or
 * x.test + .ts) keeps only the better supported reading (the shorter on ties), as toolsynth_build.py does.
 */
export function familiesOf(c: MinedCommit, support?: Support): Family[] {
  const nd = new Set(c.newDirs);
  const added = c.added.filter((f) => !isBinaryPath(f.path));
  const drop = new Set<string>();
  if (support) {
    for (const f of added) {
      const [short, long] = stems(f.path);
      if (short === long) continue;
      const worse = support(templatePath(f.path, short, nd), short) >= support(templatePath(f.path, long, nd), long) ? long : short;
      drop.add(f.path + '\0' + worse);
    }
  }
  const toks = new Set<string>();
  for (const f of added) for (const t of tokens(f.path, nd)) toks.add(t);
  const out: Family[] = [];
  for (const v of [...toks].sort()) {
    const files = new Map<string, AddedFile>();
    let dup = false;
    for (const f of added) {
      if (drop.has(f.path + '\0' + v)) continue;
      const t = templatePath(f.path, v, nd);
      if (t === f.path) continue;
      if (files.has(t)) dup = true;
      files.set(t, f);
    }
    if (files.size && !dup) out.push({ sha: c.sha, time: c.time, name: v, files });
  }
  return out;
}

/** Mines the shapes of a history (commits newest first). */
export function findShapes(commits: MinedCommit[], opts: ShapeOptions = {}): Shape[] {
  const minMulti = opts.minSupportMulti ?? 2;
  const minSingle = opts.minSupportSingle ?? 3;
  const usable = commits.filter((c) => c.changed <= MAX_CHANGED && c.added.length > 0);
  const byCommit = new Map(usable.map((c) => [c.sha, c]));

  // Pass 1: which commits added each template, under which names (all readings), to choose readings in pass 2.
  const byTpl = new Map<string, Map<string, Set<string>>>();
  for (const c of usable) {
    for (const fam of familiesOf(c)) {
      for (const t of fam.files.keys()) {
        let m = byTpl.get(t);
        if (!m) byTpl.set(t, (m = new Map()));
        let names = m.get(c.sha);
        if (!names) m.set(c.sha, (names = new Set()));
        names.add(fam.name);
      }
    }
  }
  const support: Support = (t, v) => {
    const m = byTpl.get(t);
    if (!m) return 0;
    let n = 0;
    for (const names of m.values()) if (names.size > 1 || !names.has(v)) n++;
    return n;
  };

  // Pass 2: families with one reading per file; templates kept only where two commits or more share them.
  const families: Family[] = [];
  for (const c of usable) families.push(...familiesOf(c, support));
  const tplShas = new Map<string, Set<string>>();
  for (const f of families) {
    for (const t of f.files.keys()) {
      let s = tplShas.get(t);
      if (!s) tplShas.set(t, (s = new Set()));
      s.add(f.sha);
    }
  }
  const frequent = (t: string) => (tplShas.get(t)?.size ?? 0) >= 2;

  // Unique keys restricted to frequent templates; their families.
  const keyFams = new Map<string, { key: string[]; fams: Family[] }>();
  for (const f of families) {
    const key = [...f.files.keys()].filter(frequent).sort();
    if (!key.length) continue;
    const k = key.join('\n');
    let e = keyFams.get(k);
    if (!e) keyFams.set(k, (e = { key, fams: [] }));
    e.fams.push(f);
  }
  const keys = [...keyFams.values()];
  const keysByTpl = new Map<string, number[]>();
  keys.forEach((e, i) => {
    for (const t of e.key) {
      let l = keysByTpl.get(t);
      if (!l) keysByTpl.set(t, (l = []));
      l.push(i);
    }
  });

  // Candidate template sets: every key, every frequent template alone, and the intersections of keys that share a template.
  const cands = new Map<string, string[]>();
  const addCand = (set: string[]) => {
    if (set.length) cands.set(set.join('\n'), set);
  };
  for (const e of keys) addCand(e.key);
  for (const t of keysByTpl.keys()) addCand([t]);
  for (const idx of keysByTpl.values()) {
    if (idx.length < 2) continue;
    const lim = Math.min(idx.length, 400);
    for (let a = 0; a < lim; a++) {
      const A = new Set(keys[idx[a]!]!.key);
      for (let b = a + 1; b < lim; b++) addCand(keys[idx[b]!]!.key.filter((t) => A.has(t)));
    }
  }

  // Support of each candidate: the families whose key holds all of it.
  interface Cand {
    set: string[];
    fams: Family[];
    shas: number;
  }
  const accepted: Cand[] = [];
  for (const set of cands.values()) {
    const rarest = set.reduce((best, t) => ((keysByTpl.get(t)?.length ?? 0) < (keysByTpl.get(best)?.length ?? 0) ? t : best), set[0]!);
    const fams: Family[] = [];
    for (const i of keysByTpl.get(rarest) ?? []) {
      const e = keys[i]!;
      if (set.every((t) => e.key.includes(t))) fams.push(...e.fams);
    }
    const shas = new Set(fams.map((f) => f.sha)).size;
    const names = new Set(fams.map((f) => f.name)).size;
    if (names < 2) continue;
    const ok = set.length > 1 ? shas >= minMulti : shas >= minSingle && fixedDir(set[0]!);
    if (ok) accepted.push({ set, fams, shas });
  }

  // Closed sets only: a set whose instances (nearly) all added some other template too is that bigger set's shape
  // (a sample's _config.js alone, when 451 of its 452 commits also added main.svelte).
  const bySize = accepted.sort((a, b) => b.set.length - a.set.length);
  const closed: Cand[] = [];
  for (const c of bySize) {
    const covered = closed.some((d) => d.set.length > c.set.length && d.shas >= 0.9 * c.shas && c.set.every((t) => d.set.includes(t)));
    if (!covered) closed.push(c);
  }

  // one shape per set of files: 'src/components/{name:kebab}/{name}.tsx' and '.../{name}/{name:pascal}.tsx' read the
  // same commits with the kebab or the Pascal spelling as the name; keep one (fewer converted forms, shorter names)
  const byFiles = new Map<string, Cand>();
  const converted = (c: Cand) => c.set.join('/').match(/\{name:/g)?.length ?? 0;
  const avgName = (c: Cand) => c.fams.reduce((a, f) => a + f.name.length, 0) / Math.max(1, c.fams.length);
  for (const c of closed) {
    const fp = c.fams
      .map((f) => `${f.sha}:${c.set.map((t) => f.files.get(t)!.path).join(',')}`)
      .sort()
      .join('|');
    const prev = byFiles.get(fp);
    if (!prev || converted(c) < converted(prev) || (converted(c) === converted(prev) && avgName(c) < avgName(prev))) byFiles.set(fp, c);
  }
  const unique = [...byFiles.values()];

  const poolOf = new Map<string, PoolEntry[]>();
  for (const f of families) {
    for (const [t, file] of f.files) {
      let l = poolOf.get(t);
      if (!l) poolOf.set(t, (l = []));
      l.push({ sha: f.sha, parent: byCommit.get(f.sha)?.parent ?? null, time: f.time, name: f.name, blob: file.blob });
    }
  }
  for (const l of poolOf.values()) l.sort((a, b) => b.time - a.time);

  const shapes: Shape[] = unique.map((c) => {
    const seen = new Set<string>();
    const instances: Instance[] = [];
    for (const f of c.fams.sort((a, b) => b.time - a.time)) {
      const id = f.sha + '\0' + f.name;
      if (seen.has(id)) continue;
      seen.add(id);
      const commit = byCommit.get(f.sha)!;
      const files: Record<string, AddedFile> = {};
      for (const t of c.set) files[t] = f.files.get(t)!;
      const inShape = new Set(c.set.map((t) => f.files.get(t)!.path));
      instances.push({
        sha: f.sha,
        parent: commit.parent,
        time: f.time,
        name: f.name,
        files,
        extra: [...f.files.values()].map((x) => x.path).filter((p) => !inShape.has(p)),
        modified: commit.modified,
      });
    }
    const pool: Record<string, PoolEntry[]> = {};
    for (const t of c.set) pool[t] = poolOf.get(t) ?? [];
    return { templates: c.set, pool, instances, support: c.shas, registries: registriesOf(instances) };
  });
  // Rank: support, damped by age, so a shape still in use beats one abandoned years ago.
  const newest = Math.max(0, ...usable.map((c) => c.time));
  const rank = (s: Shape) => s.support * s.templates.length ** 0.5 / (1 + (newest - (s.instances[0]?.time ?? 0)) / (365 * 86400));
  return shapes.sort((a, b) => rank(b) - rank(a)).slice(0, opts.maxShapes ?? 150);
}

/** Files modified by at least half of the instances' commits, and by two at least (toolsynth_build.py's registry). */
export function registriesOf(instances: Instance[]): string[] {
  const shas = new Map<string, ModifiedFile[]>();
  for (const i of instances) shas.set(i.sha, i.modified);
  const count = new Map<string, number>();
  for (const mods of shas.values()) for (const m of new Set(mods.map((x) => x.path))) count.set(m, (count.get(m) ?? 0) + 1);
  return [...count]
    .filter(([, n]) => 2 * n >= shas.size && n >= 2)
    .map(([p]) => p)
    .sort();
}
