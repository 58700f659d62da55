// Documents: Markdown, text and a hand-made PDF added, chunked, listed and found (full text and vectors), the full-text fallback, and the context provider.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../../test/fixtures/ops/pdf';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { docsMethods } from '../../shared/api/docs';
import { MiraError } from '../../shared/errors';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { openDb } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { docsHandlers } from '../handlers/docs';
import { loadEncoder } from '../llm/tokens';
import { chunkMarkdown, chunkText, markdownTitle } from './chunk';
import { DocsContextProvider } from './context';
import { DocsService } from './service';

type AnySpec = { params: { parse(v: unknown): unknown }; result: { parse(v: unknown): unknown } };
const specs = docsMethods as unknown as Record<string, AnySpec>;

const GUIDE = `---
title: ignored front matter
---
# Deployment guide

Intro paragraph about shipping the service.

## Secrets

Rotate the signing keys every ninety days. The vault holds them.

\`\`\`sh
# not a heading: a comment inside a code fence
vault rotate signing
\`\`\`

## Rollback

Use the blue-green switch to go back to the previous release.
`;

describe('chunking', () => {
  beforeAll(async () => {
    await loadEncoder();
  });

  it('splits Markdown by heading, keeps the heading path, ignores headings in code fences and front matter', () => {
    const chunks = chunkMarkdown(GUIDE);
    expect(chunks.map((c) => c.heading)).toEqual(['Deployment guide', 'Deployment guide > Secrets', 'Deployment guide > Rollback']);
    expect(chunks[1]!.text).toContain('# not a heading');
    expect(chunks.some((c) => c.text.includes('front matter'))).toBe(false);
    expect(markdownTitle(GUIDE)).toBe('Deployment guide');
  });

  it('packs paragraphs into chunks of about 400 tokens and cuts an over-long one', () => {
    const para = (i: number) => `Paragraph ${i}: ${'the quick brown fox jumps over the lazy dog. '.repeat(20)}`;
    const text = Array.from({ length: 12 }, (_, i) => para(i)).join('\n\n');
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(420);
    const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
    expect(squash(chunks.map((c) => c.text).join('\n\n'))).toBe(squash(text));
    const huge = chunkText('word '.repeat(3000));
    expect(huge.length).toBeGreaterThan(5);
    for (const c of huge) expect(c.tokens).toBeLessThanOrEqual(420);
    const section = chunkMarkdown(`# Big\n\n${Array.from({ length: 8 }, (_, i) => para(i)).join('\n\n')}`);
    expect(section.length).toBeGreaterThan(1);
    expect(new Set(section.map((c) => c.heading))).toEqual(new Set(['Big']));
  });
});

describe('documents through their handlers', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;
  let outside: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let call: (method: string, params?: unknown) => Promise<any>;

  beforeAll(() => {
    repo = createRepo();
    repo.write('docs/guide.md', GUIDE);
    repo.write('notes.txt', 'Meeting notes.\n\nThe cache warms up at midnight.\n\nInvoices are sent on the first Monday.\n');
    repo.write('src/app.ts', 'export const app = 1;\n');
    repo.commit('docs');
    home = tempDir('mira-home-');
    outside = tempDir('mira-outside-');
    fs.writeFileSync(path.join(outside, 'runbook.pdf'), makePdf(['Incident runbook', 'Page the on-call engineer within five minutes.', 'Escalate (with logs) after thirty minutes.']));
    mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    const handlers = docsHandlers(mira) as unknown as Record<string, (p: unknown, ctx: { via: 'in-process' }) => unknown>;
    call = async (method, params) => {
      const spec = specs[method]!;
      return spec.result.parse(await handlers[method]!(spec.params.parse(params), { via: 'in-process' }));
    };
  });
  afterAll(() => {
    mira.close();
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('adds Markdown and text from the project and a PDF from outside, with chunks and vectors', async () => {
    const pdf = path.join(outside, 'runbook.pdf');
    const r = await call('docs/add', { files: [{ path: 'docs/guide.md' }, { path: 'notes.txt' }, { path: pdf, content_base64: fs.readFileSync(pdf).toString('base64') }] });
    expect(r.results).toEqual([
      expect.objectContaining({ path: 'docs/guide.md', kind: 'markdown', title: 'Deployment guide', chunks: 3, status: 'added', vectors: true }),
      expect.objectContaining({ path: 'notes.txt', kind: 'text', chunks: 1, status: 'added', vectors: true }),
      expect.objectContaining({ path: pdf, kind: 'pdf', title: 'runbook.pdf', chunks: 1, status: 'added', vectors: true }),
    ]);
    const chunk = mira.db.prepare(`SELECT text FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE d.kind = 'pdf'`).get() as { text: string };
    expect(chunk.text).toContain('Page the on-call engineer within five minutes.');
    expect(chunk.text).toContain('Escalate (with logs) after thirty minutes.');

    const again = await call('docs/add', { files: [{ path: 'notes.txt' }] });
    expect(again.results[0].status).toBe('unchanged');
    repo.write('notes.txt', 'Meeting notes.\n\nThe cache now warms up at noon.\n');
    const changed = await call('docs/add', { files: [{ path: 'notes.txt' }] });
    expect(changed.results[0]).toMatchObject({ status: 'updated', id: r.results[1].id });

    const list = await call('docs/list', {});
    expect(list.results.map((d: { path: string }) => d.path).sort()).toEqual(['docs/guide.md', 'notes.txt', pdf].sort());
  });

  it('searches by words and by meaning, and refuses paths outside the project', async () => {
    const keys = await call('docs/search', { query: 'rotate signing keys' });
    expect(keys.results[0]).toMatchObject({ path: 'docs/guide.md', heading: 'Deployment guide > Secrets' });
    expect(keys.results[0].reasons).toContain('text match');
    expect(keys.results[0].snippet).toMatch(/signing/);
    const pdf = await call('docs/search', { query: 'who to page during an incident' });
    expect(pdf.results[0].path).toMatch(/runbook\.pdf$/);
    const stale = await call('docs/search', { query: 'midnight' });
    expect(stale.results).toEqual([]);
    const e = await call('docs/add', { files: [{ path: '../../etc/passwd' }] }).catch((x) => MiraError.from(x));
    expect(e.code).toBe('path_outside_root');
  });

  it('removes a document with its chunks and vectors', async () => {
    const list = await call('docs/list', {});
    const notes = list.results.find((d: { path: string }) => d.path === 'notes.txt');
    expect((await call('docs/remove', { id: notes.id })).removed).toBe(true);
    expect((await call('docs/search', { query: 'cache noon' })).results).toEqual([]);
    expect((mira.db.prepare('SELECT count(*) AS n FROM document_chunks WHERE document_id = ?').get(notes.id) as { n: number }).n).toBe(0);
    expect((await call('docs/remove', { id: notes.id })).removed).toBe(false);
  });

  it('gives the assistant document context for a question', async () => {
    const provider = new DocsContextProvider({ searchDocs: (pid, q, k) => new DocsService({ db: mira.db, config: mira.config }).searchDocs(pid, q, k) });
    const got = await provider.gather('how do we roll back a release', { projectId: mira.project().id, maxTokens: 400 });
    expect(got.items[0]).toMatchObject({ kind: 'doc', path: 'docs/guide.md' });
    expect(got.items[0]!.text).toContain('blue-green');
    expect(got.tokens).toBeLessThanOrEqual(400);
    expect((await provider.gather('anything', { projectId: null, maxTokens: 400 })).items).toEqual([]);
  });
});

describe('documents without vectors', () => {
  it('keep full-text search when the embedder or store fails, and say so', async () => {
    const dir = tempDir('mira-docs-novec-');
    const { db } = openDb(path.join(dir, 'mira.db'));
    const warnings: string[] = [];
    try {
      const project = new ProjectsRepo(db).ensure(dir);
      const svc = new DocsService({
        db,
        config: { embeddingModel: 'local' },
        log: { warn: (_o: object, msg: string) => void warnings.push(msg) },
        vectors: () => Promise.reject(new Error('vector store down')),
      });
      const added = await svc.add(project.id, [{ path: 'a.md', bytes: Buffer.from('# Alpha\n\nThe zebra crossing is painted white.\n') }]);
      expect(added[0]).toMatchObject({ chunks: 1, vectors: false, status: 'added' });
      const hits = await svc.searchDocs(project.id, 'zebra crossing', 5);
      expect(hits[0]).toMatchObject({ path: 'a.md', heading: 'Alpha', reasons: ['text match'] });
      expect(warnings.some((w) => /full-text/.test(w))).toBe(true);
      await expect(svc.add(project.id, [{ path: 'bin.dat', bytes: Buffer.from([1, 2, 0, 3]) }])).rejects.toMatchObject({ code: 'binary_file' });
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
