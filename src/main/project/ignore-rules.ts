// Built-in ignore list plus .gitignore files (nested ones apply under their own folder).
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders never worth walking: dependencies, VCS data, build outputs, caches. */
export const BUILTIN_IGNORED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'bower_components', 'jspm_packages', '.pnpm-store', '.yarn',
  'dist', 'build', 'out', 'target', '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache', '.cache',
  'coverage', '.nyc_output', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.venv', 'venv',
  '.gradle', '.idea', '.vscode-test', 'vendor', 'Pods', 'DerivedData', '.mira', '.terraform',
]);

export const BUILTIN_IGNORED_FILES = [/\.min\.(js|css)$/i, /\.map$/i, /^package-lock\.json$/, /^yarn\.lock$/, /^pnpm-lock\.yaml$/, /^Cargo\.lock$/, /^go\.sum$/, /\.lock$/i, /^\.DS_Store$/];

interface Layer {
  base: string; // folder (relative, posix, '' for root) the rules apply under
  ig: Ignore;
}

/** A stack of .gitignore layers; `child(dir)` adds the folder's own .gitignore if it has one. */
export class IgnoreRules {
  private constructor(private readonly root: string, private readonly layers: Layer[]) {}

  static forRoot(root: string): IgnoreRules {
    const layers: Layer[] = [];
    const top = ignore();
    let any = false;
    for (const f of ['.gitignore', path.join('.git', 'info', 'exclude'), '.miraignore']) {
      const text = readSmall(path.join(root, f));
      if (text !== null) {
        top.add(text);
        any = true;
      }
    }
    if (any) layers.push({ base: '', ig: top });
    return new IgnoreRules(root, layers);
  }

  child(relDir: string): IgnoreRules {
    const text = readSmall(path.join(this.root, relDir, '.gitignore'));
    if (text === null) return this;
    return new IgnoreRules(this.root, [...this.layers, { base: relDir, ig: ignore().add(text) }]);
  }

  /** `rel` is posix, relative to root; directories are tested with a trailing slash, as git does. */
  ignored(rel: string, isDir: boolean): boolean {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isDir && BUILTIN_IGNORED_DIRS.has(name)) return true;
    if (!isDir && BUILTIN_IGNORED_FILES.some((re) => re.test(name))) return true;
    for (const layer of this.layers) {
      const sub = layer.base ? (rel.startsWith(layer.base + '/') ? rel.slice(layer.base.length + 1) : null) : rel;
      if (sub === null || sub === '') continue;
      if (layer.ig.ignores(isDir ? sub + '/' : sub)) return true;
    }
    return false;
  }
}

function readSmall(file: string): string | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > 1024 * 1024) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
