// Concepts: heuristic tagging ranks a project's database code first; the enricher hook is cached by content hash.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { tempDir } from '../../../test/helpers/git-repo';
import type { ConceptEnricher, EnrichInput, SemanticNode } from './concepts';
import { codeIndexOf } from './stages';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/code/concepts');
let mira: Mira | null = null;
afterEach(async () => {
  if (mira) {
    await codeIndexOf(mira.project()).close();
    mira.close();
  }
  mira = null;
});

function open(dir: string): Mira {
  mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: dir });
  return mira;
}

describe('concepts', () => {
  it('lists concepts with sizes and ranks database code first', async () => {
    const m = open(FIXTURE);
    await m.index({ git: false });
    const all = await m.client().call('code/concepts', {});
    const names = all.results.map((r) => (r as { concept: string }).concept);
    for (const c of ['database', 'api', 'auth', 'testing']) expect(names).toContain(c);

    const db = await m.client().call('code/concepts', { concept: 'database', k: 10 });
    const top = db.results.slice(0, 3) as { name: string; path: string; purpose: string | null }[];
    expect(top.every((r) => r.path === 'src/db/user_repository.ts')).toBe(true);
    expect(db.results.findIndex((r) => (r as { path: string }).path.startsWith('test/'))).not.toBe(0);
    expect(top.some((r) => r.purpose === 'Reads and writes users in Postgres.')).toBe(true);

    const auth = await m.client().call('code/concepts', { concept: 'auth', k: 5 });
    expect((auth.results[0] as { path: string }).path).toBe('src/auth/jwt.ts');

    // Semantic edges link the repository's methods through their shared concept.
    const edges = m.db.prepare(`SELECT count(*) AS n FROM semantic_edges WHERE project_id = ? AND kind = 'shared_concept' AND label = 'database'`).get(m.project().id) as { n: number };
    expect(edges.n).toBeGreaterThan(0);
  });

  it('applies an enricher once per content hash and reuses its cached answers', async () => {
    const dir = tempDir('mira-concepts-');
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const m = open(dir);
    const seen: string[] = [];
    const enricher: ConceptEnricher = {
      name: 'fake-llm',
      async enrich(symbols: EnrichInput[]) {
        const out = new Map<string, SemanticNode>();
        for (const s of symbols) {
          seen.push(s.name);
          out.set(s.hash, { purpose: `LLM: ${s.name}`, concepts: [{ concept: 'enriched', score: 5 }], domains: ['llm'], confidence: 0.9 });
        }
        return out;
      },
    };
    codeIndexOf(m.project()).enricher = enricher;
    await m.index({ git: false });
    expect(seen).toContain('UserRepository');
    const first = seen.length;
    const enriched = await m.client().call('code/concepts', { concept: 'enriched', k: 100 });
    expect(enriched.results.length).toBe(first);

    // Only the changed symbol goes to the model again; the others come from the cache.
    fs.appendFileSync(path.join(dir, 'src/util/format.ts'), '\nexport function pad(s: string): string {\n  return s.padStart(2, "0");\n}\n');
    seen.length = 0;
    await m.index({ git: false });
    expect(seen).toEqual(['pad']);
    const row = m.db.prepare(`SELECT c.source, c.purpose FROM code_concepts c JOIN code_elements e ON e.id = c.symbol_id WHERE e.name = 'formatDate'`).get() as { source: string; purpose: string };
    expect(row).toEqual({ source: 'fake-llm', purpose: 'LLM: formatDate' });
  });
});

describe('ambiguous concept words', () => {
  it('reads `query` as database code only where the file shows database code otherwise', async () => {
    const { parseFile } = await import('./parse');
    const { tagFile } = await import('./concepts');
    const tagsOf = async (path: string, text: string, name: string) => {
      const parsed = await parseFile(path, 'javascript', text);
      const i = parsed.symbols.findIndex((s) => s.name === name);
      return tagFile(parsed, false)[i]!.concepts.map((c) => c.concept);
    };
    // A web framework's request: the URL's query string.
    const web = 'function query(req) {\n  return parse(req.url).search;\n}\nfunction accepts(req) {\n  return req.headers.accept;\n}\n';
    expect(await tagsOf('lib/request.js', web, 'query')).not.toContain('database');
    // Next to a transaction on a db handle, it is database code.
    const data = 'function query(sql) {\n  return db.prepare(sql).all();\n}\nfunction save(user) {\n  return db.transaction(() => insertUser(user))();\n}\n';
    expect(await tagsOf('lib/store.js', data, 'query')).toContain('database');
  });
});
