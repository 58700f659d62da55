// Symbol coverage against universal-ctags: the share of ctags' (path, name) definitions that Mira's index also has.
// Usage: npx tsx bench/code-ctags-coverage.ts --repo DIR [--repo DIR2 ...] [--show N]
// Writes bench/results/code-ctags-coverage-<name>.json per repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMira } from '../src/main/app';
import { loadConfig } from '../src/main/config';
import { codeIndexOf } from '../src/main/code/stages';
import { PARSED_LANGUAGES } from '../src/main/code/parse';

/** The ctags kinds the goal names: functions, classes, methods, members, structs, enums, interfaces and traits. */
const KINDS = new Set(['function', 'func', 'class', 'method', 'member', 'struct', 'enum', 'interface', 'trait']);

interface Options {
  repos: string[];
  show: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { repos: [], show: 15 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repo') o.repos.push(path.resolve(argv[++i]!));
    else if (argv[i] === '--show') o.show = Number(argv[++i]);
  }
  if (!o.repos.length) {
    console.error('usage: npx tsx bench/code-ctags-coverage.ts --repo DIR [--repo DIR ...]');
    process.exit(2);
  }
  return o;
}

function ctagsVersion(): string {
  const v = execFileSync('ctags', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  if (!/Universal Ctags/.test(v)) throw new Error(`ctags is not universal-ctags: ${v}`);
  return v;
}

async function measure(repo: string, show: number) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-bench-'));
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: repo });
  try {
    await mira.index({ git: false });
    const pid = mira.project().id;
    // Exactly the files Mira parsed: ctags sees the same tree (ignores, size limits and binary checks applied).
    const files = (mira.db.prepare('SELECT path, language FROM files WHERE project_id = ? AND skip_reason IS NULL').all(pid) as { path: string; language: string | null }[]).filter(
      (f) => f.language && PARSED_LANGUAGES.has(f.language),
    );
    const ours = new Set((mira.db.prepare('SELECT path, name FROM code_elements WHERE project_id = ?').all(pid) as { path: string; name: string }[]).map((r) => `${r.path}\0${r.name}`));
    const out = execFileSync('ctags', ['--output-format=json', '--fields=+nKl', '-f', '-', '-L', '-'], {
      cwd: repo,
      input: files.map((f) => f.path).join('\n'),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const theirs = new Map<string, { kind: string; line: number; language: string }>();
    for (const line of out.split('\n')) {
      if (!line) continue;
      let tag: { _type?: string; name: string; path: string; kind: string; line: number; language: string };
      try {
        tag = JSON.parse(line);
      } catch {
        continue;
      }
      if (tag._type !== 'tag' || !KINDS.has(tag.kind)) continue;
      // Anonymous functions get generated names (AnonymousFunction…, __anon…): nothing to compare.
      if (/^(Anonymous|__anon)/.test(tag.name)) continue;
      theirs.set(`${tag.path}\0${tag.name}`, { kind: tag.kind, line: tag.line, language: tag.language });
    }
    const byLang = new Map<string, { total: number; found: number }>();
    const missed: string[] = [];
    for (const [key, t] of theirs) {
      const l = byLang.get(t.language) ?? { total: 0, found: 0 };
      l.total++;
      if (ours.has(key)) l.found++;
      else missed.push(`${t.language} ${t.kind} ${key.replace('\0', `:${t.line} `)}`);
      byLang.set(t.language, l);
    }
    const found = [...byLang.values()].reduce((a, l) => a + l.found, 0);
    const result = {
      repo: path.basename(repo),
      files: files.length,
      ctags_definitions: theirs.size,
      found,
      coverage: theirs.size ? Math.round((found / theirs.size) * 10000) / 100 : 100,
      by_language: Object.fromEntries([...byLang.entries()].map(([k, v]) => [k, { ...v, coverage: Math.round((v.found / v.total) * 10000) / 100 }])),
      mira_symbols: ours.size,
      missed_sample: missed.slice(0, show),
    };
    return result;
  } finally {
    await codeIndexOf(mira.project()).close();
    mira.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const version = ctagsVersion();
  const dir = path.join(import.meta.dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  for (const repo of opts.repos) {
    const r = { ...(await measure(repo, opts.show)), ctags: version, kinds: [...KINDS], at: new Date().toISOString() };
    fs.writeFileSync(path.join(dir, `code-ctags-coverage-${r.repo}.json`), JSON.stringify(r, null, 2) + '\n');
    console.log(`${r.repo}: ${r.coverage}% of ${r.ctags_definitions} ctags definitions (${JSON.stringify(Object.fromEntries(Object.entries(r.by_language).map(([k, v]) => [k, v.coverage])))})`);
    for (const m of r.missed_sample) console.log(`  missed ${m}`);
  }
}

await main();
