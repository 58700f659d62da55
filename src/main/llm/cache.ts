// The LLM response cache (keyed by the canonical request's SHA-256, with TTL and an LRU size cap) and the per-symbol analysis cache (keyed by content hash).
import type { Db } from '../db/open';
import { scrub } from '../log';

export type CacheScope = 'chat' | 'embedding' | 'analysis';

export interface CacheOptions {
  /** How long an answer stays valid; 0 or less keeps it until evicted. */
  ttlMs?: number;
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

export interface CacheHit<T> {
  value: T;
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
}

export interface CacheStats {
  scope: string;
  lookups: number;
  hits: number;
  hit_rate: number;
  stores: number;
  evictions: number;
  expirations: number;
}

function statsStatements(db: Db) {
  return {
    bump: db.prepare(`INSERT INTO llm_cache_stats (scope, lookups, hits, stores, evictions, expirations) VALUES (@scope, @lookups, @hits, @stores, @evictions, @expirations)
      ON CONFLICT (scope) DO UPDATE SET lookups = lookups + excluded.lookups, hits = hits + excluded.hits, stores = stores + excluded.stores,
        evictions = evictions + excluded.evictions, expirations = expirations + excluded.expirations`),
    get: db.prepare(`SELECT scope, lookups, hits, stores, evictions, expirations FROM llm_cache_stats WHERE scope = ?`),
  };
}

type Bump = Partial<Record<'lookups' | 'hits' | 'stores' | 'evictions' | 'expirations', number>>;

function readStats(stmt: { get: (s: string) => unknown }, scope: string): CacheStats {
  const r = (stmt.get(scope) as Omit<CacheStats, 'hit_rate'> | undefined) ?? { scope, lookups: 0, hits: 0, stores: 0, evictions: 0, expirations: 0 };
  return { ...r, hit_rate: r.lookups ? r.hits / r.lookups : 0 };
}

export class LlmCache {
  private readonly ttl: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly q;
  private readonly s;

  constructor(private readonly db: Db, opts: CacheOptions = {}) {
    this.ttl = opts.ttlMs ?? 7 * 24 * 3600_000;
    this.maxEntries = opts.maxEntries ?? 5000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
    this.s = statsStatements(db);
    this.q = {
      get: db.prepare(`SELECT response_json, cost_usd, tokens_in, tokens_out, expires_at_ms FROM llm_cache WHERE key = ? AND kind = ?`),
      touch: db.prepare(`UPDATE llm_cache SET last_used_at_ms = ?, hits = hits + 1 WHERE key = ?`),
      del: db.prepare(`DELETE FROM llm_cache WHERE key = ?`),
      put: db.prepare(`INSERT INTO llm_cache (key, kind, model, response_json, cost_usd, tokens_in, tokens_out, size_bytes, created_at_ms, expires_at_ms, last_used_at_ms)
        VALUES (@key, @kind, @model, @response_json, @cost_usd, @tokens_in, @tokens_out, @size_bytes, @now, @expires_at_ms, @now)
        ON CONFLICT (key) DO UPDATE SET response_json = excluded.response_json, cost_usd = excluded.cost_usd, tokens_in = excluded.tokens_in,
          tokens_out = excluded.tokens_out, size_bytes = excluded.size_bytes, created_at_ms = excluded.created_at_ms,
          expires_at_ms = excluded.expires_at_ms, last_used_at_ms = excluded.last_used_at_ms`),
      totals: db.prepare(`SELECT count(*) AS n, ifnull(sum(size_bytes), 0) AS bytes FROM llm_cache`),
      oldest: db.prepare(`SELECT key, size_bytes FROM llm_cache ORDER BY last_used_at_ms ASC, created_at_ms ASC LIMIT ?`),
      expired: db.prepare(`DELETE FROM llm_cache WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= ?`),
    };
  }

  /**
   * Looks a request up; every lookup counts toward the persisted hit rate. Expired entries are dropped on sight.
   * IMMEDIATE because the read is followed by writes: a deferred transaction could fail to take the write lock when
   * another process (the desktop app next to the CLI) wrote in between.
   */
  lookup<T>(scope: 'chat' | 'embedding', key: string): CacheHit<T> | null {
    return this.db.transaction((): CacheHit<T> | null => {
      const now = this.now();
      const row = this.q.get.get(key, scope) as { response_json: string; cost_usd: number; tokens_in: number; tokens_out: number; expires_at_ms: number | null } | undefined;
      if (row && row.expires_at_ms !== null && row.expires_at_ms <= now) {
        this.q.del.run(key);
        this.bump(scope, { lookups: 1, expirations: 1 });
        return null;
      }
      if (!row) {
        this.bump(scope, { lookups: 1 });
        return null;
      }
      this.q.touch.run(now, key);
      this.bump(scope, { lookups: 1, hits: 1 });
      return { value: JSON.parse(row.response_json) as T, costUsd: row.cost_usd, tokensIn: row.tokens_in, tokensOut: row.tokens_out };
    }).immediate();
  }

  /** Stores a successful answer (callers never store errors), then evicts least recently used entries past the caps. */
  store(scope: 'chat' | 'embedding', key: string, entry: { model: string; value: unknown; costUsd: number; tokensIn?: number; tokensOut?: number; ttlMs?: number }): void {
    // A model that echoes a secret must not get it written to disk.
    const json = scrub(JSON.stringify(entry.value));
    const ttl = entry.ttlMs ?? this.ttl;
    const now = this.now();
    this.db.transaction(() => {
      this.q.put.run({
        key,
        kind: scope,
        model: entry.model,
        response_json: json,
        cost_usd: entry.costUsd,
        tokens_in: entry.tokensIn ?? 0,
        tokens_out: entry.tokensOut ?? 0,
        size_bytes: Buffer.byteLength(json) + key.length,
        now,
        expires_at_ms: ttl > 0 ? now + ttl : null,
      });
      const expired = this.q.expired.run(now).changes;
      let evicted = 0;
      let { n, bytes } = this.q.totals.get() as { n: number; bytes: number };
      const over = () => (n > this.maxEntries || bytes > this.maxBytes) && n > 1;
      while (over()) {
        const before = evicted;
        for (const v of this.q.oldest.all(200) as { key: string; size_bytes: number }[]) {
          if (!over()) break;
          if (v.key === key) continue; // never evict what was just stored
          this.q.del.run(v.key);
          n--;
          bytes -= v.size_bytes;
          evicted++;
        }
        if (evicted === before) break;
      }
      this.bump(scope, { stores: 1, evictions: evicted, expirations: expired });
    }).immediate();
  }

  stats(scope: CacheScope): CacheStats {
    return readStats(this.s.get, scope);
  }

  /** Hit rate over the response caches (chat and embeddings) together. */
  combined(): { lookups: number; hits: number; hit_rate: number; entries: number; bytes: number } {
    const a = this.stats('chat');
    const b = this.stats('embedding');
    const t = this.q.totals.get() as { n: number; bytes: number };
    const lookups = a.lookups + b.lookups;
    const hits = a.hits + b.hits;
    return { lookups, hits, hit_rate: lookups ? hits / lookups : 0, entries: t.n, bytes: t.bytes };
  }

  clear(): number {
    return this.db.prepare(`DELETE FROM llm_cache`).run().changes;
  }

  private bump(scope: string, b: Bump): void {
    this.s.bump.run({ scope, lookups: b.lookups ?? 0, hits: b.hits ?? 0, stores: b.stores ?? 0, evictions: b.evictions ?? 0, expirations: b.expirations ?? 0 });
  }
}

/**
 * Per-symbol analyses (concepts, pattern validation) keyed by (kind, content hash, model): the same code analysed by the
 * same model gives the same answer, so a re-index after a commit only asks about symbols whose text changed.
 */
export class AnalysisCache {
  private readonly q;
  private readonly s;
  private readonly now: () => number;
  private puts = 0;

  constructor(private readonly db: Db, private readonly opts: { maxEntries?: number; now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
    this.s = statsStatements(db);
    this.q = {
      get: db.prepare(`SELECT result_json FROM llm_analysis_cache WHERE kind = ? AND content_hash = ? AND model = ?`),
      touch: db.prepare(`UPDATE llm_analysis_cache SET last_used_at_ms = ?, hits = hits + 1 WHERE kind = ? AND content_hash = ? AND model = ?`),
      put: db.prepare(`INSERT INTO llm_analysis_cache (kind, content_hash, model, result_json, cost_usd, created_at_ms, last_used_at_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, content_hash, model) DO UPDATE SET result_json = excluded.result_json,
        cost_usd = excluded.cost_usd, last_used_at_ms = excluded.last_used_at_ms`),
      count: db.prepare(`SELECT count(*) AS n FROM llm_analysis_cache`),
      prune: db.prepare(`DELETE FROM llm_analysis_cache WHERE rowid IN (SELECT rowid FROM llm_analysis_cache ORDER BY last_used_at_ms ASC LIMIT ?)`),
    };
  }

  get<T = unknown>(kind: string, contentHash: string, model: string): T | undefined {
    const row = this.q.get.get(kind, contentHash, model) as { result_json: string } | undefined;
    this.s.bump.run({ scope: 'analysis', lookups: 1, hits: row ? 1 : 0, stores: 0, evictions: 0, expirations: 0 });
    if (!row) return undefined;
    this.q.touch.run(this.now(), kind, contentHash, model);
    return JSON.parse(row.result_json) as T;
  }

  put(kind: string, contentHash: string, model: string, result: unknown, costUsd = 0): void {
    const now = this.now();
    this.q.put.run(kind, contentHash, model, JSON.stringify(result), costUsd, now, now);
    this.s.bump.run({ scope: 'analysis', lookups: 0, hits: 0, stores: 1, evictions: 0, expirations: 0 });
    if (++this.puts % 500 === 0) this.prune();
  }

  /** The cached analysis, or `compute` once and remembered. `computed` says whether the LLM was asked. */
  async getOrCompute<T>(kind: string, contentHash: string, model: string, compute: () => Promise<{ result: T; costUsd?: number }>): Promise<{ result: T; computed: boolean }> {
    const hit = this.get<T>(kind, contentHash, model);
    if (hit !== undefined) return { result: hit, computed: false };
    const { result, costUsd } = await compute();
    this.put(kind, contentHash, model, result, costUsd ?? 0);
    return { result, computed: true };
  }

  prune(): number {
    const max = this.opts.maxEntries ?? 200_000;
    const n = (this.q.count.get() as { n: number }).n;
    if (n <= max) return 0;
    const removed = this.q.prune.run(n - max).changes;
    this.s.bump.run({ scope: 'analysis', lookups: 0, hits: 0, stores: 0, evictions: removed, expirations: 0 });
    return removed;
  }

  stats(): CacheStats & { entries: number } {
    return { ...readStats(this.s.get, 'analysis'), entries: (this.q.count.get() as { n: number }).n };
  }
}
