// Personal memory: contradictions update facts, learned-pattern confidence, rule-based learning, extractive and rolling summaries, recall ranking, reasoning patterns.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { openDb, packagePath, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { extractStatements, Memory, parseExtraction, RETIRE_BELOW, sentences, extractiveSummary, type MemoryLlm } from './index';

const dirs: string[] = [];
function freshDb(): Db {
  const dir = tempDir('mira-mem-');
  dirs.push(dir);
  return openDb(path.join(dir, 'mira.db'), { migrationsDir: packagePath('migrations'), vectors: false }).db;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function project(db: Db, root: string): number {
  return new ProjectsRepo(db).ensure(root).id;
}

describe('facts and profile', () => {
  it('a contradicting fact updates the old one instead of adding another', () => {
    const m = new Memory(freshDb());
    expect(m.facts.set('editor', { value: 'vim' })).toMatchObject({ kind: 'fact', action: 'added' });
    expect(m.facts.set('Editor', { value: 'Vim.' })).toMatchObject({ action: 'confirmed' });
    const upd = m.facts.set('editor', { value: 'helix' });
    expect(upd).toMatchObject({ action: 'updated', previous_value: 'vim', value: 'helix' });
    const rows = m.facts.facts(null).filter((f) => f.key === 'editor');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ value: 'helix', previous_value: 'vim', revisions: 1 });
  });

  it('routes profile keys to the profile, scopes facts per project, and forgets', () => {
    const db = freshDb();
    const m = new Memory(db);
    const p1 = project(db, '/tmp/p1');
    const p2 = project(db, '/tmp/p2');
    expect(m.facts.set('coding_style.indentation', { value: 'tabs' })).toMatchObject({ kind: 'profile', key: 'coding_style.indentation' });
    m.facts.set('stack.test_framework', { value: 'vitest', projectId: p1 });
    m.facts.set('stack.test_framework', { value: 'pytest', projectId: p2 });
    expect(m.facts.profile().coding_style).toEqual({ indentation: 'tabs' });
    expect(m.facts.facts(p1).map((f) => f.value)).toEqual(['vitest']);
    expect(m.facts.getFact('stack.test_framework', p2)?.value).toBe('pytest');
    expect(m.facts.forget('stack.test_framework', p1)).toBe(1);
    expect(m.facts.getFact('stack.test_framework', p2)?.value).toBe('pytest');
    expect(m.facts.forget('coding_style')).toBe(1);
    expect(m.facts.profile().coding_style).toEqual({});
  });
});

describe('learned patterns', () => {
  it('confidence grows with each confirmation and decays when contradicted, retiring a pattern that keeps being wrong', () => {
    const m = new Memory(freshDb());
    const a = m.learned.observe({ pattern: 'runs the tests after every edit', appliesWhen: 'editing TypeScript', confidence: 0.5 });
    expect(a.action).toBe('added');
    const seen = [a.confidence];
    // Near-same wording is the same pattern.
    seen.push(m.learned.observe({ pattern: 'runs tests after every edit' }).confidence);
    seen.push(m.learned.confirm(a.id)!.confidence);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(m.learned.list()).toHaveLength(1);
    let c = m.learned.contradict(a.id)!;
    expect(c.confidence).toBeLessThan(seen.at(-1)!);
    while (c.status === 'active') c = m.learned.contradict(a.id)!;
    expect(c.confidence).toBeLessThan(RETIRE_BELOW);
    expect(m.learned.list()).toHaveLength(0);
    expect(m.learned.list({ includeRetired: true })[0]).toMatchObject({ status: 'retired', applies_when: 'editing TypeScript' });
  });
});

describe('learning from what the user says, by rules', () => {
  it('captures explicit statements and ignores questions', () => {
    const got = extractStatements(
      "My name is Ada Lovelace. I prefer tabs over spaces. We use pnpm and Vitest. Always use strict TypeScript. Never leave console.log in commits. Can you use jest?",
    );
    const byKey = Object.fromEntries(got.map((g) => [g.key || `pattern:${g.value}`, g]));
    expect(byKey['identity.name']).toMatchObject({ target: 'profile', value: 'Ada Lovelace' });
    expect(byKey['coding_style.indentation']).toMatchObject({ value: 'tabs' });
    expect(byKey['stack.package_manager']).toMatchObject({ target: 'fact', value: 'pnpm', scope: 'project' });
    expect(byKey['stack.test_framework']).toMatchObject({ value: 'vitest' });
    expect(Object.keys(byKey).some((k) => k.startsWith('rule.') && /always use strict typescript/i.test(byKey[k]!.value))).toBe(true);
    expect(Object.values(byKey).some((g) => /never leave console\.log/i.test(g.value))).toBe(true);
    expect(Object.values(byKey).some((g) => g.value === 'jest')).toBe(false);
  });

  it('a later opposite statement updates the same key', async () => {
    const db = freshDb();
    const m = new Memory(db);
    const pid = project(db, '/tmp/p');
    await m.learnFrom('We use Jest for tests.', { projectId: pid, mode: 'rules' });
    await m.learnFrom('I prefer double quotes. Always use semicolons.', { projectId: pid, mode: 'rules' });
    await m.learnFrom('We switched from Jest to Vitest. Never use semicolons, and I prefer single quotes.', { projectId: pid, mode: 'rules' });
    expect(m.facts.getFact('stack.test_framework', pid)).toMatchObject({ value: 'vitest', previous_value: 'jest' });
    expect(m.facts.profile().coding_style).toMatchObject({ semicolons: 'never', quotes: 'single quotes' });
    expect(m.facts.facts(pid).filter((f) => f.key === 'stack.test_framework')).toHaveLength(1);
  });

  it('turns "when X, Y" into a learned pattern with when it applies', async () => {
    const m = new Memory(freshDb());
    const r = await m.learnFrom('When I say ship it, run the full test suite and then commit.', { projectId: null, mode: 'rules' });
    expect(r.method).toBe('rules');
    expect(m.learned.list()[0]).toMatchObject({ applies_when: 'I say ship it', pattern: 'run the full test suite and then commit' });
  });

  it('with an LLM, extracted facts are merged by decision; a failing LLM falls back to the rules', async () => {
    const db = freshDb();
    const m = new Memory(db);
    m.facts.set('tech_stack.language', { value: 'python' });
    const llm: MemoryLlm = {
      complete: async (_system, user) => {
        expect(user).toContain('tech_stack.language = python');
        return JSON.stringify({
          facts: [
            { kind: 'profile', key: 'tech_stack.language', value: 'typescript', decision: 'replace', confidence: 0.9, scope: 'global' },
            { kind: 'fact', key: 'rule.no_default_exports', value: 'never use default exports', decision: 'add', confidence: 0.8, scope: 'global' },
            { kind: 'profile', key: 'preferences.color', value: 'blue', decision: 'ignore', confidence: 0.5, scope: 'global' },
          ],
        });
      },
    };
    const r = await m.learnFrom('I moved to TypeScript. Never use default exports.', { projectId: null, llm });
    expect(r.method).toBe('llm');
    expect(m.facts.profile().tech_stack).toEqual({ language: 'typescript' });
    expect(m.facts.getFact('rule.no_default_exports')?.value).toBe('never use default exports');
    expect(m.facts.profile().preferences).toEqual({});
    const broken: MemoryLlm = { complete: async () => Promise.reject(new Error('budget_exceeded')) };
    const f = await m.learnFrom('I prefer tabs.', { projectId: null, llm: broken });
    expect(f).toMatchObject({ method: 'rules', fallback: 'budget_exceeded' });
    expect(m.facts.profile().coding_style.indentation).toBe('tabs');
    expect(parseExtraction('not json at all', 'x')).toBeNull();
    expect(parseExtraction('{"facts": []}', 'x')).toEqual([]);
    expect(parseExtraction('```json\n{"facts":[{"key":"identity.name","value":"Bo","decision":"add"}]}\n```', 'x')![0]).toMatchObject({ target: 'profile', key: 'identity.name' });
  });
});

describe('extractive summaries', () => {
  const conversation = [
    { role: 'user', content: 'The budget check in src/main/llm/budget.ts lets two parallel calls pass the daily limit. Why does that happen?' },
    {
      role: 'assistant',
      content:
        'The reservation reads the spend and inserts the hold in separate statements, so two calls can both see room. ' +
        'Sure, happy to help. The fix is to wrap the read and the insert in one BEGIN IMMEDIATE transaction, which takes the write lock first. ' +
        '```ts\nconst tx = db.transaction(fn).immediate();\n```\nThat way the second call waits and then sees the first hold.',
    },
    { role: 'user', content: 'Ok. Does that also work across processes, e.g. the CLI and the desktop app at once?' },
    { role: 'assistant', content: 'Yes: SQLite serializes writers across processes, and busy_timeout makes the second one wait instead of failing. Thanks for asking!' },
    { role: 'user', content: 'Great, we decided to use IMMEDIATE transactions for every reservation.' },
  ];

  it('splits sentences without breaking on abbreviations or file names, and drops code', () => {
    const s = sentences('See src/app.ts for details, e.g. the router. It works.\n```ts\nconst x = 1;\n```\n- a bullet point here');
    expect(s).toEqual(['See src/app.ts for details, e.g. the router.', 'It works.', 'a bullet point here']);
  });

  it('keeps the question, the cause, the fix and the decision within the budget, in order', () => {
    const sum = extractiveSummary(conversation, { maxChars: 600 });
    expect(sum.length).toBeLessThanOrEqual(600);
    const lines = sum.split('\n');
    expect(lines[0]).toMatch(/^User: The budget check in src\/main\/llm\/budget\.ts/);
    expect(sum).toMatch(/BEGIN IMMEDIATE/);
    expect(sum).toMatch(/decided to use IMMEDIATE transactions/);
    expect(sum).not.toMatch(/happy to help|Thanks for asking/);
    expect(sum).not.toContain('const tx');
  });

  it('rolls: every N messages the new ones are folded into the previous summary', async () => {
    const m = new Memory(freshDb());
    const conv = m.conversations.create({ title: 'budget race' });
    for (const msg of conversation.slice(0, 3)) m.conversations.add(conv.id, { role: msg.role as 'user', content: msg.content });
    expect(await m.maybeSummarize(conv.id, { every: 4 })).toEqual({ summarized: false });
    m.conversations.add(conv.id, { role: 'assistant', content: conversation[3]!.content });
    expect(await m.maybeSummarize(conv.id, { every: 4 })).toEqual({ summarized: true, method: 'extractive' });
    const first = m.conversations.get(conv.id).summary!;
    expect(first).toMatch(/IMMEDIATE/);
    m.conversations.add(conv.id, { role: 'user', content: conversation[4]!.content });
    expect(await m.maybeSummarize(conv.id, { every: 1 })).toMatchObject({ summarized: true });
    const second = m.conversations.get(conv.id).summary!;
    expect(second).toMatch(/decided/);
    expect(m.conversations.summaries(conv.id)).toHaveLength(2);
    // With an LLM, its summary is used.
    m.conversations.add(conv.id, { role: 'user', content: 'One more thing about tokens.' });
    const llm: MemoryLlm = { complete: async () => 'LLM summary: reservations use IMMEDIATE transactions.' };
    expect(await m.maybeSummarize(conv.id, { every: 1, llm })).toEqual({ summarized: true, method: 'llm' });
    expect(m.conversations.get(conv.id).summary).toBe('LLM summary: reservations use IMMEDIATE transactions.');
  });

  it('searches stored messages with full text', () => {
    const m = new Memory(freshDb());
    const conv = m.conversations.create({});
    for (const msg of conversation) m.conversations.add(conv.id, { role: msg.role as 'user', content: msg.content });
    const hits = m.conversations.search('immediate transaction processes');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.snippet).toMatch(/\[/);
    expect(m.conversations.search('"; DROP TABLE messages; --')).toEqual([]);
    expect(m.conversations.get(conv.id).title).toMatch(/^The budget check/);
  });
});

describe('recall', () => {
  it('ranks by similarity, then salience, recency and project; unrelated facts stay out', async () => {
    const db = freshDb();
    let now = new Date('2025-01-01T00:00:00Z');
    const m = new Memory(db, () => now);
    const p1 = project(db, '/tmp/r1');
    const p2 = project(db, '/tmp/r2');
    m.facts.set('stack.database', { value: 'postgres with row level security', projectId: p1 });
    m.facts.set('stack.database', { value: 'sqlite in WAL mode', projectId: p2 });
    m.facts.set('favourite_food', { value: 'ramen' });
    m.facts.set('deploy_target', { value: 'database migrations run on deploy via fly.io', confidence: 0.4 });
    now = new Date('2025-03-01T00:00:00Z');
    m.facts.set('coding_style.sql', { value: 'uppercase SQL keywords' });
    const r = await m.recall.recall('how should I write the database migration?', { projectId: p1 });
    const keys = r.map((x) => `${x.kind}:${x.key}`);
    // Both database facts that apply here rank first; the other project's database does not apply at all.
    expect(keys.slice(0, 2).sort()).toEqual(['fact:deploy_target', 'fact:stack.database']);
    expect(r.find((x) => x.key === 'stack.database')!.text).toContain('postgres');
    expect(r.some((x) => x.text.includes('sqlite'))).toBe(false);
    expect(keys).not.toContain('fact:favourite_food');
    expect(keys).toContain('profile:coding_style.sql');
    const ranks = await m.recall.recall('database', { projectId: p1, touch: true });
    expect(ranks.findIndex((x) => x.key === 'stack.database')).toBeLessThan(ranks.findIndex((x) => x.key === 'deploy_target'));
    expect(m.facts.getFact('stack.database', p1)!.times_referenced).toBe(1);
  });

  it('uses a vector scorer when one is set', async () => {
    const m = new Memory(freshDb());
    m.facts.set('car', { value: 'automobile maintenance log' });
    expect(await m.recall.recall('vehicle', {})).toEqual([]);
    m.recall.setVectorScorer(async (_q, texts) => texts.map((t) => (t.includes('automobile') ? 0.9 : 0)));
    expect((await m.recall.recall('vehicle', {}))[0]?.key).toBe('car');
  });
});

describe('reasoning patterns', () => {
  const recipe = {
    task: 'fix a failing vitest snapshot after renaming a React component',
    steps: [
      { description: 'run the failing test to see the snapshot diff', tool: 'build_run' },
      { description: 'check the rename is intended in the component file', tool: 'search' },
      { description: 'update the snapshot with vitest -u', tool: 'build_run' },
    ],
    solutionTemplate: 'npx vitest -u <test file>',
    contexts: ['typescript', 'react'],
  };

  it('records a recipe, matches similar tasks lexically, and replays the steps as a plan', async () => {
    const m = new Memory(freshDb());
    const { pattern, action } = m.reasoning.recordRecipe(recipe);
    expect(action).toBe('added');
    expect(pattern.steps).toHaveLength(3);
    expect(m.reasoning.recordRecipe({ ...recipe, task: 'fix failing vitest snapshot after renaming a component' }).action).toBe('reinforced');
    expect(m.reasoning.list()).toHaveLength(1);
    const matches = await m.reasoning.match('the vitest snapshot test fails since I renamed the Button component');
    expect(matches[0]?.pattern.id).toBe(pattern.id);
    expect(await m.reasoning.match('configure nginx reverse proxy')).toEqual([]);
    const plan = m.reasoning.plan(matches[0]!);
    expect(plan).toMatch(/1\. run the failing test.*\[tool: build_run\]/);
    expect(plan).toMatch(/3\. update the snapshot/);
    expect(plan).toMatch(/Solution shape: npx vitest -u/);
  });

  it('does not offer a recipe to an unrelated task that only shares the file and boilerplate (UX audit)', async () => {
    const m = new Memory(freshDb());
    const task = 'In lib/utils.js, make normalizeType use String#includes instead of ~indexOf';
    const { pattern } = m.reasoning.recordRecipe({
      task,
      steps: [
        { description: 'read_file: lib/utils.js', tool: 'read_file' },
        { description: 'edit lib/utils.js', tool: 'propose_edit' },
      ],
      contexts: ['lib/utils.js'],
    });
    // the same task, reworded, still gets it
    expect((await m.reasoning.match('Make normalizeType in lib/utils.js use includes'))[0]?.pattern.id).toBe(pattern.id);
    expect((await m.reasoning.match(task))[0]?.pattern.id).toBe(pattern.id);
    // these got the indexOf -> includes plan at 0.695 and 0.55
    expect(await m.reasoning.match('Add a JSDoc @example to normalizeTypes in lib/utils.js')).toEqual([]);
    expect(await m.reasoning.match('Rename the local variable in lib/view.js lookup to candidate')).toEqual([]);
    // a search listing can still ask for loose matches
    expect((await m.reasoning.match('Add a JSDoc @example to normalizeTypes in lib/utils.js', { minScore: 0.05, requireOverlap: false })).length).toBe(1);
  });

  it('counts only verified outcomes: a build after a chat answer does not judge the recipe the answer mentioned', async () => {
    const m = new Memory(freshDb());
    const { pattern } = m.reasoning.recordRecipe(recipe);
    m.reasoning.recordUse(pattern.id, { task: 'how is the snapshot tested?', projectId: null, conversationId: 6 });
    m.reasoning.recordUse(pattern.id, { task: 'run the snapshot tests', projectId: null, conversationId: 7 });
    expect(m.reasoning.recordRunOutcome(null, true, 'build')).toBe(0);
    const p = m.reasoning.get(pattern.id)!;
    expect(p).toMatchObject({ uses: 2, successes: 1, failures: 0 });
    expect(m.reasoning.plan(p)).toContain('100% success over 1');
  });

  it('tracks use and success, and deprecates a pattern that keeps failing', async () => {
    const m = new Memory(freshDb());
    const { pattern } = m.reasoning.recordRecipe(recipe);
    const u1 = m.reasoning.recordUse(pattern.id, { task: 'snapshot broke', projectId: null });
    expect(m.reasoning.recordOutcome(u1, 'success', 'user')).toMatchObject({ uses: 1, successes: 2, status: 'active' });
    // The next build run judges pending uses.
    m.reasoning.recordUse(pattern.id, { task: 'snapshot broke again', projectId: null });
    expect(m.reasoning.recordRunOutcome(null, false, 'test')).toBe(1);
    m.reasoning.feedback(pattern.id, 'failure');
    expect(m.reasoning.get(pattern.id)!.status).toBe('active');
    m.reasoning.feedback(pattern.id, 'failure');
    const p = m.reasoning.get(pattern.id)!;
    expect(p.status).toBe('deprecated');
    expect(p.deprecated_reason).toMatch(/failed 3 of its last 4 uses/);
    expect(await m.reasoning.match(recipe.task)).toEqual([]);
    expect(m.reasoning.setStatus(pattern.id, 'active')!.status).toBe('active');
  });
});
