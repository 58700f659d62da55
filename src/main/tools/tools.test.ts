// Tool synthesis end to end on a real git history built here: detection, leave-one-out scores, running, applying, evolution, outcomes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { buildHistory, componentFile, componentsIndex, COMPONENT_NAMES, indexMd, sampleExpected, sampleInput, SAMPLE_NAMES } from '../../../test/fixtures/tools/history';
import { openDb, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { synthesizedLlmTools } from './llm-adapter';
import { ToolsService, type DetectResult } from './service';
import { recordBuildOutcome } from './index';

const migrationsDir = path.resolve(__dirname, '../../../migrations');

describe('tool synthesis on a project history', () => {
  let repo: TestRepo;
  let home: string;
  let db: Db;
  let svc: ToolsService;
  let detected: DetectResult;

  beforeAll(async () => {
    repo = createRepo();
    buildHistory(repo);
    home = tempDir('mira-tools-');
    db = openDb(path.join(home, 'mira.db'), { migrationsDir }).db;
    const p = new ProjectsRepo(db).ensure(repo.root);
    svc = new ToolsService(db, p.id, repo.root, { limits: { timeoutMs: 10_000 } });
    // build runs where codegen is always followed by the tests
    const run = db.prepare('INSERT INTO build_runs (project_id, command, scope, cwd, status, exit_code, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let d = 1; d <= 3; d++) {
      run.run(p.id, 'npm run codegen', 'all', repo.root, 'done', 0, `2024-03-0${d}T10:00:00.000Z`);
      run.run(p.id, 'npm test', 'all', repo.root, 'done', 0, `2024-03-0${d}T10:02:00.000Z`);
    }
    detected = await svc.detect();
  });
  afterAll(() => {
    db.close();
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('finds the sample shape with its sorted registry and validates it leave-one-out', () => {
    const sample = detected.results.find((t) => t.templates.join() === 'samples/{name}/expected.txt,samples/{name}/input.txt');
    expect(sample).toBeDefined();
    expect(sample!.name).toBe('new-sample');
    expect(sample!.registries).toEqual(['samples/index.md']);
    expect(sample!.support).toBe(4);
    expect(sample!.examples).toHaveLength(4);
    expect(sample!.params[0]).toMatchObject({ name: 'name', required: true });
    // each example replayed at its parent with a tool derived from the others: every path right, most lines
    expect(sample!.validation.cases).toBe(4);
    expect(sample!.validation.path_f1).toBe(1);
    expect(sample!.validation.line_f1).toBeGreaterThan(0.6);
    expect(detected.took_ms).toBeGreaterThanOrEqual(0);
  });

  it('stores repeated command sequences from the build runs as patterns', () => {
    expect(detected.patterns.commands).toBe(1);
    expect(svc.store.patterns('commands')[0]).toMatchObject({ templates: ['npm run codegen', 'npm test'], support: 3 });
  });

  it('learns the kebab folder and the PascalCase file of components, as one tool', () => {
    const comps = detected.results.filter((t) => t.templates.some((x) => x.startsWith('src/components/')));
    expect(comps).toHaveLength(1);
    expect(comps[0]!.templates[0]).toMatch(/^src\/components\/\{name(:kebab)?\}\/\{name(:pascal)?\}\.tsx$/);
    expect(comps[0]!.registries).toEqual(['src/components/index.ts']);
    expect(comps[0]!.validation.path_f1).toBe(1);
  });

  it('runs a tool in the sandbox: the change set, nothing written', async () => {
    const r = await svc.run('new-sample', { name: 'delta' });
    expect(r.applied).toBe(false);
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(['samples/delta/expected.txt', 'samples/delta/input.txt', 'samples/index.md']);
    expect(byPath.get('samples/delta/input.txt')!.action).toBe('create');
    expect(byPath.get('samples/delta/input.txt')!.content).toBe(sampleInput('delta'));
    expect(byPath.get('samples/delta/expected.txt')!.content).toBe(sampleExpected('delta'));
    const index = byPath.get('samples/index.md')!;
    expect(index.action).toBe('modify');
    // inserted at its sorted place (the history added charlie before bravo), not appended
    expect(index.content).toBe(indexMd([...SAMPLE_NAMES, 'delta']));
    expect(index.diff).toContain('+- [delta](delta/input.txt)');
    expect(fs.existsSync(path.join(repo.root, 'samples/delta'))).toBe(false);
  });

  it('spells the name per place: kebab folder, PascalCase file and export', async () => {
    const name = detected.results.find((t) => t.templates.some((x) => x.startsWith('src/components/')))!.name;
    const r = await svc.run(name, { name: 'ColorWheel' });
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect(byPath.get('src/components/color-wheel/ColorWheel.tsx')!.content).toBe(componentFile('color-wheel'));
    expect(byPath.get('src/components/index.ts')!.content).toBe(componentsIndex([...COMPONENT_NAMES, 'color-wheel']));
    // the other spelling of the name gives the same change
    const again = await svc.run(name, { name: 'color-wheel' });
    expect(again.files.map((f) => f.path).sort()).toEqual([...byPath.keys()].sort());
  });

  it('refuses to apply when a target file changed after the run, and applies otherwise', async () => {
    const r = await svc.run('new-sample', { name: 'foxtrot' });
    const index = path.join(repo.root, 'samples/index.md');
    const before = fs.readFileSync(index, 'utf8');
    fs.writeFileSync(index, before + '\nedited meanwhile\n');
    expect(() => svc.apply(r.execution_id)).toThrow(/samples\/index\.md changed since tool new-sample ran/);
    expect(fs.existsSync(path.join(repo.root, 'samples/foxtrot'))).toBe(false);
    fs.writeFileSync(index, before);
    const ok = svc.apply(r.execution_id);
    expect(ok.files.sort()).toEqual(['samples/foxtrot/expected.txt', 'samples/foxtrot/input.txt', 'samples/index.md']);
    expect(fs.readFileSync(path.join(repo.root, 'samples/foxtrot/input.txt'), 'utf8')).toBe(sampleInput('foxtrot'));
    expect(() => svc.apply(r.execution_id)).toThrow(/already applied/);
    // a second run for the same name now conflicts: the files exist
    await expect(svc.run('new-sample', { name: 'foxtrot' })).rejects.toThrow(/already exists/);
    repo.git('checkout', '--', '.');
    repo.git('clean', '-fdq');
  });

  it('refuses bad parameters with the reason', async () => {
    await expect(svc.run('new-sample', { name: '../escape' })).rejects.toThrow(/cannot be part of a file name/);
    await expect(svc.run('new-sample', { name: 'x1', colour: 'red' })).rejects.toThrow(/has no parameter colour/);
    await expect(svc.run('no-such-tool', { name: 'x1' })).rejects.toThrow(/there is no tool named no-such-tool/);
  });

  it('records outcomes, computes the success rate and retires a failing tool', async () => {
    const a = await svc.run('new-sample', { name: 'golf' });
    svc.apply(a.execution_id);
    expect(recordBuildOutcome(db, svc.projectId, 41, true)).toBe(a.execution_id);
    // the next outcome goes to the earlier applied run still waiting (foxtrot's), then nothing is left waiting
    const earlier = svc.recordBuildOutcome(svc.projectId, 42, true);
    expect(earlier).not.toBeNull();
    expect(earlier).not.toBe(a.execution_id);
    expect(svc.recordBuildOutcome(svc.projectId, 43, false)).toBeNull();
    repo.git('checkout', '--', '.');
    repo.git('clean', '-fdq');
    let list = svc.list().results.find((t) => t.name === 'new-sample')!;
    expect(list).toMatchObject({ accepted: 2, success_rate: 1 });
    for (const n of ['hotel', 'india', 'juliet', 'kilo']) svc.reject((await svc.run('new-sample', { name: n })).execution_id);
    list = svc.list({ all: true }).results.find((t) => t.name === 'new-sample')!;
    expect(list.status).toBe('retired');
    expect(list.success_rate).toBeLessThan(0.4);
    await expect(svc.run('new-sample', { name: 'mike' })).rejects.toThrow(/retired/);
    const h = svc.history('new-sample');
    expect(h.evolution.map((e) => e.event)).toContain('retired');
    expect(h.executions.length).toBeGreaterThanOrEqual(7);
  });

  it('re-derives a tool as a new version when a new commit of its shape differs', async () => {
    const name = detected.results.find((t) => t.templates.some((x) => x.startsWith('src/components/')))!.name;
    const v1 = svc.history(name).versions.at(-1)!.version;
    // the project changes its conventions: components get a test id, and the index exports everything of the module
    repo.write('src/components/tool-tip/ToolTip.tsx', componentFile('tool-tip').replace('<div ', '<div data-testid="tool-tip" '));
    repo.write('src/components/index.ts', componentsIndex(COMPONENT_NAMES) + "export * from './tool-tip/ToolTip';\n");
    const sha = repo.commit('add component tool-tip', { date: '2024-02-01T10:00:00Z' });
    const again = await svc.detect();
    expect(again.commits.new).toBe(1);
    const h = svc.history(name);
    const last = h.evolution.at(-1)!;
    expect(last.event).toBe('rederived');
    expect(last.commit).toBe(sha);
    expect(last.reason).toMatch(/did this differently: .*registered it differently in src\/components\/index\.ts/);
    expect(h.versions.at(-1)!.version).toBe(v1 + 1);
    expect(h.versions.find((v) => v.version === v1)!.status).toBe('superseded');
    // the sample tool had no new commit: it was not synthesized again
    expect(again.results.find((t) => t.name === name)?.event ?? 'n/a').not.toBe('created');
  });

  it('offers each active tool to the assistant as an LlmTool', async () => {
    const tools = synthesizedLlmTools(svc);
    expect(tools.length).toBeGreaterThan(0);
    const t = tools[0]!;
    expect(t.name).toMatch(/^tool_[A-Za-z0-9_-]+$/);
    expect(t.sideEffect).toBe(true);
    expect(t.parameters).toMatchObject({ type: 'object', required: ['name'] });
    const r = (await t.run({ name: 'november' }, {})) as { files: { path: string }[]; applied: boolean };
    expect(r.applied).toBe(false);
    expect(r.files.length).toBeGreaterThan(0);
  });
});
