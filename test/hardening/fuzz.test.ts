// Property-based fuzzing of the entry points: config loader, migration runner, API router, WebSocket frames, CLI args.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { openDb } from '../../src/main/db/open';
import { MiraError } from '../../src/shared/errors';
import { METHOD_NAMES } from '../../src/shared/api';
import { createRepo, tempDir, type TestRepo } from '../helpers/git-repo';
import { startTestMira, type TestMira } from '../helpers/mira';
import { runCli } from '../helpers/cli';
import { parseBuildOutput } from '../../src/main/build/parse';

const anyJson = fc.jsonValue({ maxDepth: 4 });

describe('fuzz: config loader', () => {
  it('either loads or fails with config_invalid, and never rewrites the file', () => {
    const home = tempDir('mira-fuzz-cfg-');
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyJson.map((v) => JSON.stringify(v)), fc.record({ model: fc.anything(), dailyLimitUsd: fc.anything() }).map((v) => JSON.stringify(v))), (text) => {
        fs.writeFileSync(path.join(home, 'config.json'), text);
        try {
          const c = loadConfig(home, {});
          expect(typeof c.model).toBe('string');
          expect(c.dailyLimitUsd).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(e).toBeInstanceOf(MiraError);
          expect((e as MiraError).code).toBe('config_invalid');
        }
        expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).toBe(text);
      }),
      { numRuns: 300 },
    );
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('rejects bad environment values with a clear error', () => {
    const home = tempDir('mira-fuzz-env-');
    expect(() => loadConfig(home, { MIRA_DAILY_LIMIT_USD: 'lots' })).toThrow(/MIRA_DAILY_LIMIT_USD/);
    expect(() => loadConfig(home, { MIRA_REASONING_EFFORT: 'extreme' })).toThrow(/MIRA_REASONING_EFFORT/);
    fs.rmSync(home, { recursive: true, force: true });
  });
});

describe('fuzz: migration runner', () => {
  it('a garbage migration rolls back and keeps the stored data', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (garbage) => {
        const home = tempDir('mira-fuzz-mig-');
        const mdir = path.join(home, 'm');
        fs.mkdirSync(mdir);
        fs.writeFileSync(path.join(mdir, '001_a.sql'), 'CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (7);');
        openDb(path.join(home, 'mira.db'), { migrationsDir: mdir, vectors: false }).db.close();
        fs.writeFileSync(path.join(mdir, '002_b.sql'), `CREATE TABLE newer (y INTEGER); ${garbage}`);
        let applied = true;
        try {
          openDb(path.join(home, 'mira.db'), { migrationsDir: mdir, vectors: false }).db.close();
        } catch (e) {
          applied = false;
          expect(e).toBeInstanceOf(MiraError);
        }
        const raw = new Database(path.join(home, 'mira.db'));
        expect(raw.prepare('SELECT x FROM keep').get()).toEqual({ x: 7 });
        const version = (raw.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v;
        const newer = raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'newer'`).get() as { n: number };
        // Either the whole migration went in, or none of it did.
        expect(version).toBe(applied ? 2 : 1);
        expect(newer.n).toBe(applied ? 1 : 0);
        raw.close();
        fs.rmSync(home, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
  });
});

describe('fuzz: the API over every carrier', () => {
  let repo: TestRepo;
  let t: TestMira;
  beforeAll(async () => {
    repo = createRepo();
    repo.write('a.txt', 'hello\n');
    t = await startTestMira(repo.root, 'websocket');
  });
  afterAll(async () => {
    await t.close();
    repo.cleanup();
  });

  it('random methods and params get a MiraError or a result, never a crash, and never write outside the root', async () => {
    const safe = METHOD_NAMES.filter((m) => !/^(terminal\/|build\/run|index\/run|project\/open|fs\/write|apply\/|tools\/run|tools\/apply|llm\/|chat\/|ops\/|do\/|docs\/add|memory\/(set|forget))/.test(m));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...safe, 'nope/x', ''), anyJson, async (method, params) => {
        try {
          await t.client.call(method as never, params as never);
        } catch (e) {
          expect(e).toBeInstanceOf(MiraError);
          expect(typeof (e as MiraError).message).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
    expect((await t.client.call('fs/read', { path: 'a.txt' })).content).toBe('hello\n');
  });

  it('random frames get error replies and the connection and server stay up', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.server!.port}/api?token=${t.server!.token}`);
    await new Promise((r) => ws.once('open', r));
    let replies = 0;
    ws.on('message', (m) => {
      if (!('event' in JSON.parse(m.toString()))) replies++;
    });
    const frames = fc.sample(fc.oneof(fc.string(), anyJson.map((v) => JSON.stringify(v)), fc.record({ id: fc.integer(), method: fc.string(), params: anyJson }).map((v) => JSON.stringify(v))), 150);
    for (const f of frames) ws.send(f);
    const deadline = Date.now() + 10_000;
    while (replies < frames.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(replies).toBe(frames.length);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    expect((await t.client.call('fs/read', { path: 'a.txt' })).content).toBe('hello\n');
  });
});

describe('fuzz: CLI arguments', () => {
  it('random argv exits 0, 1 or 2 with no stack trace', async () => {
    const home = tempDir('mira-fuzz-cli-');
    const words = fc.constantFrom('index', 'search', 'locate', 'build', 'parse', 'apply', '--json', '--k', '-1', '--batch', '/nonexistent', '--project', '..', '--file', 'x', '--port', '99999', '--', 'eval', '%', '');
    await fc.assert(
      fc.asyncProperty(fc.array(words, { maxLength: 6 }), async (argv) => {
        const r = await runCli(['--home', home, '--project', home, ...argv], { cwd: home });
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      }),
      { numRuns: 60 },
    );
    fs.rmSync(home, { recursive: true, force: true });
  }, 120_000);
});

describe('fuzz: build output parsers', () => {
  it('never throw on arbitrary text and return well-formed diagnostics', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.constantFrom(undefined, 'tsc', 'cargo build', 'gcc x.c', 'pytest', 'go test ./...', 'npx vitest'), (text, command) => {
        const out = parseBuildOutput(text, { command, root: '/tmp/x' });
        for (const d of out) {
          expect(typeof d.message).toBe('string');
          expect(['error', 'warning', 'note', 'info']).toContain(d.severity);
        }
      }),
      { numRuns: 500 },
    );
  });
});
