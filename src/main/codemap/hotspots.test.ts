// Hotspots on a real (temporary) git repository: the buggy, churny, complex file ranks first, with reasons in words.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { codemapOf, hotspotNote, registerCodemapStages } from './service';
import { HotspotPrior } from './prior';
import { oracleFor } from '../oracle/service';
import { OracleContextProvider } from '../oracle/context';
import { DEFAULT_WEIGHTS } from '../oracle/signals';

/** A function with many branches, grown by `n` more of them. */
function engine(n: number): string {
  const cases = Array.from({ length: 6 + n }, (_, i) => `    if (state.step === ${i} && (state.retry || state.force)) {\n      for (const t of state.tasks) { if (t.id > ${i}) { run(t); } else { skip(t); } }\n    }`).join('\n');
  return `export function tick(state: State): void {\n${cases}\n}\n\nexport function plan(state: State): number {\n  return state.tasks.length > 3 ? state.tasks.length : 0;\n}\n`;
}

const simple = (name: string, lines: number) =>
  Array.from({ length: lines }, (_, i) => `export const ${name}${i} = ${i};`).join('\n') + '\n';

describe('hotspots', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;

  beforeAll(async () => {
    repo = createRepo();
    home = tempDir('mira-home-');
    const people = ['ann', 'bob', 'cy', 'dee'];
    repo.write('src/engine.ts', engine(0));
    repo.write('src/util.ts', 'export function add(a: number, b: number) { return a + b; }\n');
    repo.write('src/config.ts', simple('setting', 40));
    repo.write('src/legacy.ts', simple('old', 120));
    repo.write('src/names.ts', simple('name', 10));
    repo.write('src/format.ts', 'export const fmt = (x: number) => x.toFixed(2);\n');
    repo.write('test/engine.test.ts', "import { tick } from '../src/engine';\ntick({} as never);\n");
    repo.commit('initial import', { date: '2023-01-10T10:00:00Z', author: 'ann', email: 'ann@example.com' });
    let day = 0;
    const at = () => new Date(Date.UTC(2023, 6, 1) + (day += 9) * 86_400_000).toISOString();
    for (let i = 1; i <= 14; i++) {
      const who = people[i % people.length]!;
      repo.write('src/engine.ts', engine(i));
      const fix = i % 3 === 0;
      repo.commit(fix ? `fix crash in tick step ${i}` : `engine: support step ${i}`, { date: at(), author: who, email: `${who}@example.com` });
      if (i % 5 === 0) {
        repo.write('src/config.ts', simple('setting', 40 + i));
        repo.commit(`config: more settings ${i}`, { date: at(), author: 'ann', email: 'ann@example.com' });
      }
    }
    repo.write('src/util.ts', 'export function add(a: number, b: number) { return a + b; }\nexport const sub = (a: number, b: number) => a - b;\n');
    repo.commit('util: sub', { date: at(), author: 'bob', email: 'bob@example.com' });
    mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    const p = mira.project();
    if (!p.indexer.fileStages.some((s) => s.name === 'codemap-quality')) registerCodemapStages(p);
    await mira.index({ git: true });
  }, 60_000);

  afterAll(() => {
    mira?.close();
    repo?.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('ranks the buggy, churny, complex file first, with reasons a person can act on', () => {
    const top = codemapOf(mira.project()).hotspotsOf({ k: 10 });
    expect(top[0]!.path).toBe('src/engine.ts');
    expect(top.map((r) => r.path)).not.toContain('test/engine.test.ts');
    const r = top[0]!;
    expect(r.churn).toBe(15); // the initial import is within the year too
    expect(r.score).toBeGreaterThan(top[top.length - 1]!.score);
    const text = r.reasons.join(' | ');
    if (process.env.SHOW) console.log(JSON.stringify(top.slice(0, 3), null, 1));
    expect(text).toMatch(/\d+ bug fix(es)? in the last (6 months|year)/);
    expect(text).toMatch(/changed in \d+ commits (this quarter|in the last year) by [2-4] people/);
    expect(text).toMatch(/complexity \d+ and rising/);
    expect(r.symbols[0]!.name).toBe('tick');
    expect(r.symbols[0]!.complexity).toBeGreaterThan(20);
  });

  it('gives the oracle a one-line note for a hotspot, and none for a quiet file', () => {
    const id = mira.project().id;
    expect(hotspotNote(id, 'src/engine.ts')).toMatch(/^src\/engine\.ts is a hotspot \(#1 of \d+ source files/);
    expect(hotspotNote(id, 'src/format.ts')).toBeNull();
    expect(hotspotNote(id, 'no/such/file.ts')).toBeNull();
  });

  it('stores quality metrics with fan-in and test reach from the call graph', () => {
    const cm = codemapOf(mira.project());
    const fns = cm.qualityOf({ file: 'src/engine.ts' });
    const tick = fns.find((f) => f.symbol === 'tick')!;
    expect(tick.complexity).toBeGreaterThan(40);
    expect(tick.fan_in).toBeGreaterThanOrEqual(1);
    expect(tick.tested).toBe(true);
    expect(fns.find((f) => f.symbol === 'plan')!.tested).toBe(false);
    const files = cm.qualityOf({ k: 3 });
    expect(files[0]!.path).toBe('src/engine.ts');
    expect(files[0]!.symbol).toBe('tick');
  });

  it('gives treemap and trend data for the pictures', async () => {
    const cm = codemapOf(mira.project());
    const tree = cm.treemapOf();
    const src = tree.children!.find((c) => c.name === 'src')!;
    const eng = src.children!.find((c) => c.name === 'engine.ts')!;
    expect(eng.size).toBeGreaterThan(50);
    expect(eng.score).toBe(src.score);
    expect(tree.size).toBe(tree.children!.reduce((s, c) => s + c.size, 0));
    const trend = await cm.trendOf('src/engine.ts');
    expect(trend.points).toHaveLength(15);
    expect(trend.points.at(-1)!.lines).toBe(eng.size);
    expect(trend.points.some((p) => p.measured)).toBe(true);
    expect(trend.points.at(-1)!.complexity).toBeGreaterThan(trend.points[0]!.complexity);
    expect(trend.months.reduce((s, m) => s + m.fixes, 0)).toBe(4);
  });

  it('scores hotspots as of a past time from the history before it only (a prior the oracle calibrates with)', () => {
    const p = mira.project();
    const prior = new HotspotPrior(mira.db, p.id);
    const now = prior.scoresAt();
    expect([...now].sort((a, b) => b[1] - a[1])[0]![0]).toBe('src/engine.ts');
    // Before the engine's churn began (its first change after the import is in July 2023) it is not the top file, and
    // nothing after the asked time is seen: a time before the import knows no file at all.
    const before = prior.scoresAt(Date.UTC(2023, 0, 1) / 1000);
    expect(before.size).toBe(0);
    const early = prior.scoresAt(Date.UTC(2023, 5, 1) / 1000);
    expect(early.get('src/engine.ts')!).toBeLessThan(now.get('src/engine.ts')!);
    expect(prior.scoresAt(Date.UTC(2023, 5, 1) / 1000)).toBe(early); // kept per bucket
  });

  it('feeds the oracle a hotspot signal, and says so in the context of an edit to a hotspot', async () => {
    const p = mira.project();
    const o = oracleFor(p);
    o.invalidate();
    const only = { ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])), text: 1, hotspot: 1 } as typeof DEFAULT_WEIGHTS;
    const hits = o.locate('tick step state', { weights: only, k: 5 });
    const engineHit = hits.find((h) => h.path === 'src/engine.ts')!;
    expect(engineHit.reasons.map((r) => r.source)).toContain('hotspot');
    expect(engineHit.reasons.find((r) => r.source === 'hotspot')!.detail).toMatch(/^a hotspot \(#1\): \d+% chance of a fix within a year/);
    const provider = new OracleContextProvider({
      db: mira.db,
      projectId: p.id,
      root: p.root,
      locate: (task, k) => o.locate(task, { k }),
      openErrors: () => [],
      spentFraction: () => 0,
      noteFor: (file) => hotspotNote(p.id, file),
    });
    const ctx = await provider.gather('change how tick handles a retried step', { projectId: p.id, maxTokens: 8000 });
    const item = ctx.items.find((i) => i.path === 'src/engine.ts')!;
    expect(item.text).toMatch(/^\/\/ Note: src\/engine\.ts is a hotspot \(#1 of/);
    expect(item.reason).toMatch(/is a hotspot/);
    const quiet = ctx.items.find((i) => i.path === 'src/format.ts');
    if (quiet) expect(quiet.text).not.toMatch(/hotspot/);
  });

  it('feeds the oracle the domain of its strongest hits', () => {
    const p = mira.project();
    const o = oracleFor(p);
    o.invalidate();
    const domains = codemapOf(p).domainsOf({ files: true });
    const home = domains.results.find((d) => d.files.includes('src/engine.ts'));
    const mates = (home?.files ?? []).filter((f) => f !== 'src/engine.ts');
    expect(mates.length, JSON.stringify(domains.results)).toBeGreaterThan(0);
    const only = { ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])), text: 1, domain: 1 } as typeof DEFAULT_WEIGHTS;
    const hits = o.locate('tick step retry force', { weights: only, k: 20 });
    const mate = hits.find((h) => mates.includes(h.path) && h.reasons.some((r) => r.source === 'domain'));
    expect(mate, JSON.stringify(hits)).toBeDefined();
    expect(mate!.reasons.find((r) => r.source === 'domain')!.detail).toMatch(/ domain with src\/engine\.ts$/);
  });

  it('adds metrics and hotspots for files indexed before the code map existed (an upgrade), on the next index run', async () => {
    const p = mira.project();
    const count = () => (mira.db.prepare('SELECT count(*) AS n FROM code_quality_files WHERE project_id = ?').get(p.id) as { n: number }).n;
    const before = count();
    expect(before).toBeGreaterThan(5);
    // A database from before the code map: files indexed, no metrics, no hotspots.
    mira.db.prepare('DELETE FROM code_quality_files WHERE project_id = ?').run(p.id);
    mira.db.prepare('DELETE FROM code_quality WHERE project_id = ?').run(p.id);
    mira.db.prepare('DELETE FROM codemap_hotspots WHERE project_id = ?').run(p.id);
    mira.db.prepare('DELETE FROM codemap_state WHERE project_id = ?').run(p.id);
    const r = await mira.index({ git: true });
    expect(r.changed_files ?? 0).toBe(0);
    expect(count()).toBe(before);
    expect(codemapOf(p).hotspotsOf({ k: 1 })[0]!.path).toBe('src/engine.ts');
    expect(codemapOf(p).qualityOf({ file: 'src/engine.ts' }).find((f) => f.symbol === 'tick')!.tested).toBe(true);
  });
});
