// The offline embedder: tokenisation, determinism, and a retrieval check (natural-language queries find the right chunk).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { openDb, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { cosine, dot } from './embedder';
import { canonical, LocalEmbedder, splitIdentifier, stem, termsOf } from './local-embedder';
import { TermStats } from './local-embedder-terms';

/** Twelve chunks of ordinary application code; each query below names one of them in words, mostly not its identifiers. */
const CORPUS: Record<string, string> = {
  'src/db/user-repository.ts': `export class UserRepository {
  constructor(private readonly db: Database) {}
  findById(id: number): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }
  save(user: NewUser): number {
    const info = this.db.prepare('INSERT INTO users (email, name) VALUES (?, ?)').run(user.email, user.name);
    return Number(info.lastInsertRowid);
  }
}`,
  'src/http/orders-routes.ts': `export function registerOrderRoutes(app: Express) {
  app.get('/api/orders/:id', async (req, res) => {
    const order = await orders.get(req.params.id);
    if (!order) return res.status(404).json({ error: 'not found' });
    res.json(order);
  });
  app.post('/api/orders', validateBody(orderSchema), createOrderHandler);
}`,
  'src/auth/login.ts': `export async function verifyLogin(email: string, password: string): Promise<Session | null> {
  const account = await accounts.byEmail(email);
  if (!account) return null;
  const ok = await scryptCompare(password, account.passwordHash, account.salt);
  if (!ok) { failedAttempts.inc(email); return null; }
  return sessions.issue(account.id);
}`,
  'src/net/retry.ts': `export async function withRetry<T>(fn: () => Promise<T>, attempts = 5, baseDelayMs = 200): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try { return await fn(); } catch (err) {
      lastErr = err;
      const delay = baseDelayMs * 2 ** attempt + Math.random() * 100; // exponential backoff with jitter
      await sleep(delay);
    }
  }
  throw lastErr;
}`,
  'src/cache/lru.ts': `export class LruCache<K, V> {
  private map = new Map<K, { value: V; expires: number }>();
  constructor(private capacity: number, private ttlMs: number) {}
  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit || hit.expires < Date.now()) { this.map.delete(key); return undefined; }
    this.map.delete(key); this.map.set(key, hit); // most recently used goes last
    return hit.value;
  }
  set(key: K, value: V) {
    if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value!); // evict the oldest
    this.map.set(key, { value, expires: Date.now() + this.ttlMs });
  }
}`,
  'src/import/csv.ts': `/** Splits CSV text into rows of fields; a field in double quotes may hold commas and "" escapes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\\r?\\n/)) {
    const fields: string[] = [];
    let cur = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { fields.push(cur); cur = ''; }
      else cur += ch;
    }
    fields.push(cur);
    rows.push(fields);
  }
  return rows;
}`,
  'src/log/logger.ts': `export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export function createLogger(file: string, minLevel: Level = 'info') {
  const out = fs.createWriteStream(file, { flags: 'a' });
  return (level: Level, msg: string, extra?: object) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    out.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra }) + '\\n');
  };
}`,
  'src/config/load.ts': `export function loadConfig(env = process.env): AppConfig {
  const file = env.APP_CONFIG ?? path.join(os.homedir(), '.app', 'config.json');
  const fromFile = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  return {
    port: Number(env.PORT ?? fromFile.port ?? 8080),
    databaseUrl: env.DATABASE_URL ?? fromFile.databaseUrl,
    debug: env.DEBUG === '1' || fromFile.debug === true,
  };
}`,
  'src/util/dates.ts': `export function formatDate(d: Date, pattern = 'yyyy-MM-dd'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return pattern
    .replace('yyyy', String(d.getFullYear()))
    .replace('MM', pad(d.getMonth() + 1))
    .replace('dd', pad(d.getDate()));
}
export const daysBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 86_400_000);`,
  'src/ui/TodoList.tsx': `export function TodoList({ todos, onToggle }: { todos: Todo[]; onToggle: (id: string) => void }) {
  if (!todos.length) return <p className="empty">Nothing to do</p>;
  return (
    <ul className="todo-list">
      {todos.map((t) => (
        <li key={t.id} className={t.done ? 'done' : ''} onClick={() => onToggle(t.id)}>{t.title}</li>
      ))}
    </ul>
  );
}`,
  'src/net/socket-client.ts': `export class LiveSocket {
  private ws?: WebSocket;
  private retries = 0;
  connect(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onopen = () => { this.retries = 0; };
    this.ws.onclose = () => {
      const wait = Math.min(30_000, 1000 * 2 ** this.retries++);
      setTimeout(() => this.connect(url), wait); // reconnect after the link drops
    };
  }
}`,
  'src/media/thumbnail.ts': `export async function makeThumbnail(input: Buffer, maxWidth = 320): Promise<Buffer> {
  const img = await decodeImage(input);
  const scale = Math.min(1, maxWidth / img.width);
  const resized = resizeBilinear(img, Math.round(img.width * scale), Math.round(img.height * scale));
  return encodePng(resized);
}`,
};

const QUERIES: [string, string][] = [
  ['where do we store users in the database', 'src/db/user-repository.ts'],
  ['check the password when someone signs in', 'src/auth/login.ts'],
  ['try again with exponential backoff when a call fails', 'src/net/retry.ts'],
  ['evict least recently used entries from the cache', 'src/cache/lru.ts'],
  ['parse comma separated values with quoted fields', 'src/import/csv.ts'],
  ['read settings from environment variables', 'src/config/load.ts'],
  ['http endpoint that returns one order', 'src/http/orders-routes.ts'],
  ['write log messages at a severity level', 'src/log/logger.ts'],
  ['reconnect the websocket when the connection closes', 'src/net/socket-client.ts'],
  ['resize an image to a smaller picture', 'src/media/thumbnail.ts'],
  ['format a date as text', 'src/util/dates.ts'],
  ['render the list of todo items', 'src/ui/TodoList.tsx'],
];

function rankAll(e: LocalEmbedder, queryVec: (q: string) => Float32Array) {
  const paths = Object.keys(CORPUS);
  const docs = paths.map((p) => e.embedSync(`${p}\n${CORPUS[p]}`));
  return QUERIES.map(([q, gold]) => {
    const qv = queryVec(q);
    const ranked = paths.map((p, i) => ({ p, s: dot(qv, docs[i]!) })).sort((a, b) => b.s - a.s);
    return { q, gold, rank: ranked.findIndex((r) => r.p === gold) + 1, top: ranked[0]!.p };
  });
}

describe('LocalEmbedder: tokens and vectors', () => {
  it('splits identifiers in every common style', () => {
    const parts = (s: string) => {
      const out: string[] = [];
      splitIdentifier(s, out);
      return out;
    };
    expect(parts('getUserByID')).toEqual(['get', 'user', 'by', 'id']);
    expect(parts('HTTPServer_v2')).toEqual(['http', 'server', 'v']);
    expect(parts('snake_case_name')).toEqual(['snake', 'case', 'name']);
    expect(parts('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
    expect(parts('$el')).toEqual(['el']);
  });

  it('stems and expands abbreviations consistently', () => {
    for (const group of [
      ['parse', 'parses', 'parsed', 'parsing'],
      ['query', 'queries'],
      ['cache', 'caches', 'cached', 'caching'],
      ['run', 'running'],
      ['database', 'databases', 'db'],
      ['config', 'cfg', 'configuration'],
    ]) {
      expect(new Set(group.map(canonical)).size).toBe(1);
    }
    expect(stem('string')).toBe('string');
    expect(stem('status')).toBe('status');
    expect(stem('process')).toBe('process');
    expect(canonical('the')).toBe('');
    expect(canonical('constructor')).toBe('constructor');
    expect(termsOf('const userName = getUserName(user_id)')).toEqual(['user', canonical('name'), 'id']);
  });

  it('is deterministic, unit length, and never zero', async () => {
    const e = new LocalEmbedder();
    const [a, b, empty, stop] = await e.embed(['function fooBar() {}', 'function fooBar() {}', '', 'the and of']);
    expect(a!.length).toBe(512);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    for (const v of [a!, empty!, stop!]) expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    // A different instance (fresh caches) gives the same vector: nothing depends on call history.
    expect(Array.from(new LocalEmbedder().embedSync('function fooBar() {}'))).toEqual(Array.from(a!));
    expect(new LocalEmbedder({ dims: 384 }).id).toBe('local-hash-v1@384');
  });

  it('puts code that shares sub-tokens close together', () => {
    const e = new LocalEmbedder();
    const a = e.embedSync('function getUserName(userId) { return users.get(userId).name }');
    const b = e.embedSync('the user name of a user id');
    const c = e.embedSync('resize the thumbnail image to 320 pixels');
    expect(cosine(a, b)).toBeGreaterThan(0.3);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.25);
  });
});

describe('LocalEmbedder: retrieval', () => {
  it('ranks the right chunk first for natural-language queries among 12 chunks', () => {
    const e = new LocalEmbedder();
    const results = rankAll(e, (q) => e.embedQuerySync(q));
    const mrr = results.reduce((s, r) => s + 1 / r.rank, 0) / results.length;
    const misses = results.filter((r) => r.rank !== 1).map((r) => `${r.q} -> ${r.top} (gold at ${r.rank})`);
    console.log(`local embedder retrieval: top-1 ${results.length - misses.length}/${results.length}, MRR ${mrr.toFixed(3)}${misses.length ? `; misses: ${misses.join('; ')}` : ''}`);
    // Random ranking of 12 gives MRR ~0.26 and top-1 1/12.
    expect(results.length - misses.length).toBeGreaterThanOrEqual(11);
    expect(results.every((r) => r.rank <= 3)).toBe(true);
    expect(mrr).toBeGreaterThan(0.9);
  });

  it('the built-in related terms reach code that uses other words (database -> sql, signs in -> login)', () => {
    const plain = new LocalEmbedder({ builtinRelations: false });
    const withLexicon = new LocalEmbedder();
    const doc = withLexicon.embedSync('const rows = sql.query("SELECT * FROM accounts")');
    const distractor = withLexicon.embedSync('const rows = grid.rows.filter((r) => r.visible)');
    const q = 'database';
    expect(dot(plain.embedQuerySync(q), doc)).toBeCloseTo(0, 1);
    expect(dot(withLexicon.embedQuerySync(q), doc)).toBeGreaterThan(0.1);
    expect(dot(withLexicon.embedQuerySync(q), doc)).toBeGreaterThan(dot(withLexicon.embedQuerySync(q), distractor));
  });
});

describe('TermStats: vocabulary learned from the project', () => {
  let db: Db;
  let dir: string;
  let projectId: number;
  beforeAll(() => {
    dir = tempDir('mira-terms-');
    db = openDb(path.join(dir, 'mira.db')).db;
    projectId = new ProjectsRepo(db).ensure(path.join(dir, 'proj')).id;
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('learns that two project words go together and expands queries with it, only after learning', () => {
    // In this project a "tenant" is kept in a "workspace" (neither word is in the built-in lexicon).
    const chunks: Record<string, string> = {
      'a.ts': 'function tenantWorkspace(tenant) { return workspaceFor(tenant.id) }',
      'b.ts': 'class WorkspaceTenantMap { byTenant(tenantId) { return this.workspaces.get(tenantId) } }',
      'c.ts': '// every tenant has exactly one workspace\nexport const tenantWorkspaceIds = new Map()',
      'd.ts': 'export function archiveWorkspace(workspace) { workspace.archived = true; save(workspace) }',
      'e.ts': 'export function renderChart(series) { return svgPath(series.points) }',
      'f.ts': 'export function parseDuration(text) { return Number(text.replace(/ms$/, "")) }',
      'g.ts': 'export function sumInvoices(invoices) { return invoices.reduce((s, i) => s + i.total, 0) }',
      'h.ts': 'export function slugify(title) { return title.toLowerCase().replace(/\\s+/g, "-") }',
    };
    const stats = new TermStats(db);
    const e = new LocalEmbedder({ vocabulary: stats });
    db.transaction(() => {
      for (const [p, text] of Object.entries(chunks)) stats.replaceFile(projectId, p, [{ key: '1', terms: e.terms(text) }]);
    })();
    const target = e.embedSync(chunks['d.ts']!);
    const before = dot(e.embedQuerySync('tenant', projectId), target);
    expect(stats.needsLearning(projectId)).toBe(true);
    const learned = stats.learn(projectId);
    expect(learned.chunks).toBe(8);
    expect(stats.needsLearning(projectId)).toBe(false);
    expect(stats.related(projectId, 'tenant').map(([t]) => t)).toContain('workspac');
    const after = dot(e.embedQuerySync('tenant', projectId), target);
    expect(before).toBeLessThan(0.05);
    expect(after).toBeGreaterThan(0.1);
    // Other chunks did not gain from it.
    for (const p of ['e.ts', 'f.ts', 'g.ts', 'h.ts']) expect(dot(e.embedQuerySync('tenant', projectId), e.embedSync(chunks[p]!))).toBeLessThan(0.05);
    // Without a project, no project vocabulary applies.
    expect(dot(e.embedQuerySync('tenant'), target)).toBeLessThan(0.05);
  });

  it('weights common project terms down in queries', () => {
    const stats = new TermStats(db);
    // Unknown terms count as rare: they weigh most.
    expect(stats.weight(projectId, 'workspac')).toBeLessThan(stats.weight(projectId, 'tenant'));
    expect(stats.weight(projectId, 'tenant')).toBeLessThan(stats.weight(projectId, 'never-seen'));
  });

  it('forgets removed files and asks to learn again after enough changes', () => {
    const stats = new TermStats(db);
    stats.removeFiles(projectId, ['a.ts', 'b.ts']);
    expect((db.prepare('SELECT count(*) AS n FROM vector_terms WHERE project_id = ?').get(projectId) as { n: number }).n).toBe(6);
    expect(stats.needsLearning(projectId)).toBe(false);
    for (let i = 0; i < 25; i++) stats.replaceFile(projectId, `gen${i}.ts`, [{ key: '1', terms: ['alpha', 'beta'] }]);
    expect(stats.needsLearning(projectId)).toBe(true);
  });
});
