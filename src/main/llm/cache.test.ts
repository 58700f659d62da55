// The response cache and the analysis cache: hits, misses on any change, no cached errors, TTL, LRU cap, a persisted hit rate, bypass.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer } from '../../../test/helpers/openai-server';
import type { MiraConfig } from '../../shared/config';
import { openDb, packagePath, type Db } from '../db/open';
import { AnalysisCache, LlmCache } from './cache';
import { canonicalJson, requestKey } from './canonical';
import { LlmService } from './service';
import { loadLlmSettings } from './settings';

const dirs: string[] = [];
function freshDb(): Db {
  const dir = tempDir('mira-cache-');
  dirs.push(dir);
  return openDb(path.join(dir, 'mira.db'), { migrationsDir: packagePath('migrations'), vectors: false }).db;
}

let server: OpenAiServer;
let home: string;
beforeAll(async () => {
  server = await startOpenAiServer();
  home = tempDir('mira-home-');
  dirs.push(home);
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function service(db: Db, opts: { now?: () => Date; maxEntries?: number; ttlMs?: number } = {}): LlmService {
  const config = { home, openaiApiKey: 'sk-test-cache-0000', openaiBaseUrl: server.url, model: 'gpt-4o-mini', reasoningEffort: 'medium', embeddingModel: 'text-embedding-3-small', dailyLimitUsd: 5, monthlyLimitUsd: 50 } as MiraConfig;
  const settings = { ...loadLlmSettings(config), retryBaseMs: 1, maxRetries: 0, cacheMaxEntries: opts.maxEntries ?? 5000, cacheTtlMs: opts.ttlMs ?? 3600_000 };
  return new LlmService({ db, settings, limits: () => ({ dailyUsd: 5, monthlyUsd: 50 }), now: opts.now });
}

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('canonical request keys', () => {
  it('ignores key order and undefined fields, but not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2}]},"b":1}');
    expect(requestKey({ a: 1, b: 2 })).toBe(requestKey({ b: 2, a: 1 }));
    expect(requestKey({ a: 1 })).not.toBe(requestKey({ a: 2 }));
  });
});

describe('LLM response cache', () => {
  it('answers the same request from the cache, and any change in model, effort, messages, tools or parameters misses', async () => {
    const llm = service(freshDb());
    const n0 = server.chatRequests().length;
    const a = await llm.chat(ask('what is a ledger?'));
    const b = await llm.chat(ask('what is a ledger?'));
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.content).toBe(a.content);
    expect(b.costUsd).toBe(0);
    expect(server.chatRequests().length - n0).toBe(1);
    const variants = [
      llm.chat({ ...ask('what is a ledger?'), model: 'gpt-4o' }),
      llm.chat({ ...ask('what is a ledger?'), model: 'gpt-5.1', effort: 'low' }),
      llm.chat({ ...ask('what is a ledger?'), model: 'gpt-5.1', effort: 'high' }),
      llm.chat(ask('what is a ledger? ')),
      llm.chat({ ...ask('what is a ledger?'), temperature: 0.5 }),
      llm.chat({ ...ask('what is a ledger?'), tools: [{ name: 't', description: 'd', parameters: { type: 'object', properties: {} } }] }),
    ];
    for (const v of await Promise.all(variants)) expect(v.cached).toBe(false);
    expect(server.chatRequests().length - n0).toBe(7);
    // Efforts the model maps to the same value are the same request: gpt-5.1 has no 'minimal', it sends 'low'.
    expect((await llm.chat({ ...ask('what is a ledger?'), model: 'gpt-5.1', effort: 'minimal' })).cached).toBe(true);
    // The cost saved shows up in the ledger.
    const rep = llm.budget.report();
    expect(rep.cache_hits).toBe(2);
    expect(rep.saved_usd).toBeGreaterThan(0);
  });

  it('a streamed call and a whole call share entries; a hit replays the text to the stream', async () => {
    const llm = service(freshDb());
    await llm.chat(ask('stream me'));
    const deltas: string[] = [];
    const r = await llm.chat(ask('stream me'), { onDelta: (d) => deltas.push(d) });
    expect(r.cached).toBe(true);
    expect(deltas.join('')).toBe('echo: stream me');
  });

  it('never caches errors', async () => {
    const llm = service(freshDb());
    const n0 = server.chatRequests().length;
    server.enqueue({ status: 500 });
    await expect(llm.chat(ask('flaky'))).rejects.toMatchObject({ code: 'llm_error' });
    const r = await llm.chat(ask('flaky'));
    expect(r.cached).toBe(false);
    expect(r.content).toBe('echo: flaky');
    expect(server.chatRequests().length - n0).toBe(2);
  });

  it('expires entries after the TTL', async () => {
    let now = new Date(2025, 3, 1, 10, 0);
    const llm = service(freshDb(), { now: () => now, ttlMs: 60_000 });
    await llm.chat(ask('ttl'));
    now = new Date(now.getTime() + 30_000);
    expect((await llm.chat(ask('ttl'))).cached).toBe(true);
    now = new Date(now.getTime() + 61_000);
    expect((await llm.chat(ask('ttl'))).cached).toBe(false);
    expect(llm.cache.stats('chat')).toMatchObject({ lookups: 3, hits: 1, expirations: 1 });
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    let t = 1_000_000;
    const db = freshDb();
    const cache = new LlmCache(db, { maxEntries: 3, now: () => t++ });
    for (const k of ['a', 'b', 'c']) cache.store('chat', k, { model: 'm', value: { content: k }, costUsd: 0 });
    expect(cache.lookup('chat', 'a')).not.toBeNull(); // a is now the most recently used
    cache.store('chat', 'd', { model: 'm', value: { content: 'd' }, costUsd: 0 });
    expect(cache.lookup('chat', 'b')).toBeNull();
    for (const k of ['a', 'c', 'd']) expect(cache.lookup('chat', k)).not.toBeNull();
    expect(cache.stats('chat').evictions).toBe(1);
    // The byte cap evicts too.
    const small = new LlmCache(freshDb(), { maxBytes: 300, now: () => t++ });
    for (let i = 0; i < 5; i++) small.store('chat', `k${i}`, { model: 'm', value: { content: 'x'.repeat(100) }, costUsd: 0 });
    expect(small.combined().bytes).toBeLessThanOrEqual(300);
    expect(small.lookup('chat', 'k4')).not.toBeNull();
  });

  it('keeps a real hit rate (hits over lookups) that survives a restart', async () => {
    const db = freshDb();
    const llm = service(db);
    await llm.chat(ask('rate 1'));
    await llm.chat(ask('rate 1'));
    await llm.chat(ask('rate 2'));
    await llm.chat(ask('rate 1'));
    expect(llm.cache.combined()).toMatchObject({ lookups: 4, hits: 2, hit_rate: 0.5 });
    const again = new LlmCache(db);
    expect(again.combined().hit_rate).toBe(0.5);
  });

  it('bypass neither reads nor writes; refresh writes a new answer without reading', async () => {
    const llm = service(freshDb());
    const n0 = server.chatRequests().length;
    await llm.chat(ask('fresh'), { cache: 'bypass' });
    expect((await llm.chat(ask('fresh'), { cache: 'bypass' })).cached).toBe(false);
    server.enqueue({ content: 'first' });
    await llm.chat(ask('fresh'));
    server.enqueue({ content: 'second' });
    expect((await llm.chat(ask('fresh'), { cache: 'refresh' })).content).toBe('second');
    const hit = await llm.chat(ask('fresh'));
    expect(hit).toMatchObject({ cached: true, content: 'second' });
    expect(server.chatRequests().length - n0).toBe(4);
  });

  it('caches embeddings per text, so only new texts are sent', async () => {
    const llm = service(freshDb());
    const n0 = server.requests.filter((r) => r.path === '/v1/embeddings').length;
    const a = await llm.embed(['alpha', 'beta']);
    const b = await llm.embed(['beta', 'gamma', 'alpha']);
    expect(a.cachedCount).toBe(0);
    expect(b.cachedCount).toBe(2);
    expect(b.vectors[0]).toEqual(a.vectors[1]);
    expect(b.vectors[2]).toEqual(a.vectors[0]);
    const sent = server.requests.filter((r) => r.path === '/v1/embeddings').slice(n0);
    expect(sent.map((r) => r.body.input)).toEqual([['alpha', 'beta'], ['gamma']]);
  });
});

describe('analysis cache', () => {
  it('keys analyses by kind, content hash and model, and asks again only for changed content', async () => {
    const cache = new AnalysisCache(freshDb());
    let asked = 0;
    const compute = async () => ({ result: { concepts: ['budget'] }, costUsd: 0.001 * ++asked });
    expect((await cache.getOrCompute('concepts', 'h1', 'gpt-5.1', compute)).computed).toBe(true);
    expect(await cache.getOrCompute('concepts', 'h1', 'gpt-5.1', compute)).toEqual({ result: { concepts: ['budget'] }, computed: false });
    expect((await cache.getOrCompute('concepts', 'h2', 'gpt-5.1', compute)).computed).toBe(true);
    expect((await cache.getOrCompute('concepts', 'h1', 'gpt-5-mini', compute)).computed).toBe(true);
    expect((await cache.getOrCompute('pattern_validation', 'h1', 'gpt-5.1', compute)).computed).toBe(true);
    expect(cache.get('concepts', 'h1', 'gpt-5.1')).toEqual({ concepts: ['budget'] });
    expect(cache.get('concepts', 'nope', 'gpt-5.1')).toBeUndefined();
    expect(asked).toBe(4);
    expect(cache.stats()).toMatchObject({ lookups: 7, hits: 2, entries: 4 });
  });

  it('prunes the least recently used analyses past its cap', () => {
    let t = 0;
    const cache = new AnalysisCache(freshDb(), { maxEntries: 2, now: () => ++t });
    cache.put('k', 'a', 'm', 1);
    cache.put('k', 'b', 'm', 2);
    cache.get('k', 'a', 'm');
    cache.put('k', 'c', 'm', 3);
    expect(cache.prune()).toBe(1);
    expect(cache.get('k', 'b', 'm')).toBeUndefined();
    expect(cache.get('k', 'a', 'm')).toBe(1);
  });
});

describe('per-symbol analyses through the LLM', () => {
  it('asks only about new content hashes, in batches, and never caches an unusable answer', async () => {
    const { SymbolAnalyzer, CONCEPTS, llmConceptEnricher } = await import('./analysis');
    const llm = service(freshDb());
    server.setResponder((req) => {
      if (!String(req.body.messages[0].content).includes('tag code symbols')) return undefined;
      const syms = JSON.parse(req.body.messages[1].content).symbols as { hash: string; name: string }[];
      // The model forgets one symbol of every batch it sees named "flaky".
      return { content: JSON.stringify({ symbols: syms.filter((s) => s.name !== 'flaky').map((s) => ({ hash: s.hash, purpose: `does ${s.name}`, concepts: [{ concept: 'budget', score: 0.9 }], domains: ['billing'], confidence: 0.8 })) }) };
    });
    try {
      const syms = ['a', 'b', 'c', 'd', 'e', 'flaky'].map((n) => ({ hash: `h-${n}`, name: n, kind: 'function', path: 'src/x.ts' }));
      const analyzer = new SymbolAnalyzer(llm, { batch: 4 });
      const first = await analyzer.run(CONCEPTS, syms);
      expect(first).toMatchObject({ cached: 0, asked: 6, calls: 2 });
      expect(first.results.get('h-a')).toMatchObject({ purpose: 'does a', domains: ['billing'] });
      expect(first.results.has('h-flaky')).toBe(false);
      const second = await analyzer.run(CONCEPTS, [...syms.slice(0, 5), { hash: 'h-new', name: 'n', kind: 'function', path: 'src/x.ts' }, syms[5]!]);
      expect(second).toMatchObject({ cached: 5, asked: 2, calls: 1 });
      const enricher = llmConceptEnricher(llm);
      expect(enricher.name).toBe('llm:gpt-4o-mini');
      const nodes = await enricher.enrich([{ hash: 'h-a', name: 'a', kind: 'function', path: 'src/x.ts', signature: null, doc: null, heuristic: { purpose: null, concepts: [], domains: [], confidence: 0 } }]);
      expect(nodes.get('h-a')?.concepts).toEqual([{ concept: 'budget', score: 0.9 }]);
    } finally {
      server.setResponder(undefined);
    }
  });
});
