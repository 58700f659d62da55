// A PROTOCOL FAKE of Qdrant's REST API for tests, NOT Qdrant: just the endpoints QdrantStore calls, in memory, brute force.
//
// No Qdrant server can run on this machine (no package, no Docker), so this lets the adapter's real HTTP traffic
// (made by @qdrant/js-client-rest) be exercised. It checks what the real server checks where the adapter relies on
// it (point ids are UUIDs or integers, vector sizes match, collections exist) and answers in Qdrant's envelope
// ({result, status, time}). It proves the adapter speaks the protocol as we read it, not that Qdrant agrees:
// run the same contract against a real server with QDRANT_URL set.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface FakePoint {
  id: string | number;
  vector: number[];
  payload: Record<string, unknown>;
}

interface FakeCollection {
  size: number;
  distance: string;
  points: Map<string, FakePoint>;
  indexes: Record<string, string>;
}

export interface FakeQdrant {
  url: string;
  /** Every request as "METHOD /path" (no query string), in order. */
  requests: string[];
  collections: Map<string, FakeCollection>;
  /** When set, every request without this api-key header is refused with 401. */
  apiKey?: string;
  close(): Promise<void>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Condition = { key: string; match?: { value?: unknown } };
type Filter = { must?: Condition[]; must_not?: Condition[]; should?: Condition[] } | null | undefined;

function matches(p: FakePoint, filter: Filter): boolean {
  if (!filter) return true;
  const test = (c: Condition) => {
    if (!c.match || !('value' in c.match)) throw new HttpError(400, `Format error: unsupported condition ${JSON.stringify(c)} in protocol fake`);
    return p.payload[c.key] === c.match.value;
  };
  if (filter.must && !filter.must.every(test)) return false;
  if (filter.must_not && filter.must_not.some(test)) return false;
  if (filter.should && filter.should.length && !filter.should.some(test)) return false;
  return true;
}

function cosine(a: number[], b: number[]): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? s / Math.sqrt(na * nb) : 0;
}

function pointKey(id: unknown): string {
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && UUID_RE.test(id)) return id.toLowerCase();
  throw new HttpError(400, `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

export async function startFakeQdrant(opts: { apiKey?: string } = {}): Promise<FakeQdrant> {
  const collections = new Map<string, FakeCollection>();
  const requests: string[] = [];
  const started = performance.now();

  const route = (method: string, parts: string[], body: Record<string, unknown>): unknown => {
    if (parts[0] !== 'collections' || !parts[1]) throw new HttpError(404, `protocol fake: no route for ${method} /${parts.join('/')}`);
    const name = decodeURIComponent(parts[1]);
    const rest = parts.slice(2).join('/');
    const col = collections.get(name);
    const need = (): FakeCollection => {
      if (!col) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
      return col;
    };
    const ack = () => ({ operation_id: requests.length, status: 'completed' });
    if (rest === '' && method === 'GET') {
      const c = need();
      return {
        status: 'green',
        optimizer_status: 'ok',
        indexed_vectors_count: 0,
        points_count: c.points.size,
        segments_count: 1,
        config: {
          params: { vectors: { size: c.size, distance: c.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
          hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
          optimizer_config: {},
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
          quantization_config: null,
        },
        payload_schema: Object.fromEntries(Object.entries(c.indexes).map(([k, t]) => [k, { data_type: t, points: c.points.size }])),
      };
    }
    if (rest === 'exists' && method === 'GET') return { exists: !!col };
    if (rest === '' && method === 'PUT') {
      if (col) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = body.vectors as { size?: unknown; distance?: unknown } | undefined;
      if (!vectors || typeof vectors.size !== 'number' || typeof vectors.distance !== 'string') throw new HttpError(400, 'Format error: vectors {size, distance} required (named vectors are not in the protocol fake)');
      collections.set(name, { size: vectors.size, distance: vectors.distance, points: new Map(), indexes: {} });
      return true;
    }
    if (rest === '' && method === 'DELETE') return collections.delete(name);
    if (rest === 'index' && method === 'PUT') {
      const c = need();
      const schema = body.field_schema;
      c.indexes[String(body.field_name)] = typeof schema === 'string' ? schema : String((schema as { type?: string })?.type);
      return ack();
    }
    if (rest === 'points' && method === 'PUT') {
      const c = need();
      const points = body.points as { id: unknown; vector: unknown; payload?: Record<string, unknown> }[] | undefined;
      if (!Array.isArray(points)) throw new HttpError(400, 'Format error: points list required (batch form is not in the protocol fake)');
      const staged: [string, FakePoint][] = [];
      for (const p of points) {
        const key = pointKey(p.id);
        if (!Array.isArray(p.vector)) throw new HttpError(400, 'Format error: vector must be a list of numbers');
        if (p.vector.length !== c.size) throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${p.vector.length}`);
        staged.push([key, { id: p.id as string | number, vector: p.vector as number[], payload: p.payload ?? {} }]);
      }
      for (const [k, p] of staged) c.points.set(k, p);
      return ack();
    }
    if (rest === 'points/delete' && method === 'POST') {
      const c = need();
      if (Array.isArray(body.points)) {
        for (const id of body.points) c.points.delete(pointKey(id));
      } else if (body.filter) {
        for (const [k, p] of [...c.points]) if (matches(p, body.filter as Filter)) c.points.delete(k);
      } else {
        throw new HttpError(400, 'Format error: points or filter required');
      }
      return ack();
    }
    if ((rest === 'points/search' || rest === 'points/query') && method === 'POST') {
      const c = need();
      const vector = (rest === 'points/search' ? body.vector : body.query) as unknown;
      if (!Array.isArray(vector) || vector.length !== c.size) throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${Array.isArray(vector) ? vector.length : 'none'}`);
      const limit = typeof body.limit === 'number' ? body.limit : 10;
      const hits = [...c.points.values()]
        .filter((p) => matches(p, body.filter as Filter))
        .map((p) => ({ id: p.id, version: 0, score: cosine(vector as number[], p.vector), payload: body.with_payload ? p.payload : null }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
      return rest === 'points/search' ? hits : { points: hits };
    }
    if (rest === 'points/count' && method === 'POST') {
      const c = need();
      return { count: [...c.points.values()].filter((p) => matches(p, body.filter as Filter)).length };
    }
    throw new HttpError(404, `protocol fake: no route for ${method} /${parts.join('/')}`);
  };

  const fake: FakeQdrant = {
    url: '',
    requests,
    collections,
    apiKey: opts.apiKey,
    close: () =>
      new Promise<void>((resolve) => {
        // The client keeps sockets alive: close them or server.close() waits for their timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      requests.push(`${method} ${url.pathname}`);
      const time = (performance.now() - started) / 1e6;
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      try {
        if (fake.apiKey && req.headers['api-key'] !== fake.apiKey) throw new HttpError(401, 'Must provide an API key or an Authorization bearer token');
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        const result = route(method, url.pathname.split('/').filter(Boolean), body);
        send(200, { result, status: 'ok', time });
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        send(status, { status: { error: (e as Error).message }, time });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
