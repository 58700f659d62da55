// The OpenAI embedder through the real openai SDK against a small local /v1/embeddings server: batching, caching, usage, errors.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { MiraError } from '../../shared/errors';
import { openDb, type Db } from '../db/open';
import { cosine, sha256 } from './embedder';
import { OpenAIEmbedder } from './openai-embedder';

interface Seen {
  model: string;
  input: string[];
  dimensions?: number;
  encoding_format?: string;
  auth?: string;
}

/** A stand-in for /v1/embeddings: a vector per input derived from its sha256, in OpenAI's response shape. */
function startServer() {
  const seen: Seen[] = [];
  const state = { status: 200, floatsOnly: false, omitUsage: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen & { input: string | string[] };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      seen.push({ model: body.model, input, dimensions: body.dimensions, encoding_format: body.encoding_format, auth: req.headers.authorization });
      if (state.status !== 200) return send(state.status, { error: { message: `status ${state.status}`, type: 'test' } });
      if (input.some((t) => t === '')) return send(400, { error: { message: "'$.input' is invalid" } });
      const dims = body.dimensions ?? 3072;
      const data = input.map((text, index) => {
        const v = serverVector(text, dims);
        const embedding = body.encoding_format === 'base64' && !state.floatsOnly ? Buffer.from(v.buffer).toString('base64') : Array.from(v);
        return { object: 'embedding', index, embedding };
      });
      // Answer out of order: the client must sort by index.
      data.reverse();
      const tokens = input.reduce((s, t) => s + Math.ceil(t.length / 4), 0);
      send(200, { object: 'list', data, model: body.model, ...(state.omitUsage ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } }) });
    });
  });
  return { server, seen, state };
}

function serverVector(text: string, dims: number): Float32Array {
  const seed = Buffer.from(sha256(text), 'hex');
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = (seed[i % 32]! - 127.5) * (1 + (i % 7));
  return v;
}

describe('OpenAIEmbedder (real SDK, local HTTP server)', () => {
  const { server, seen, state } = startServer();
  let baseURL: string;
  let db: Db;
  let dir: string;
  const usage: { model: string; tokens: number }[] = [];

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    dir = tempDir('mira-emb-');
    db = openDb(path.join(dir, 'mira.db')).db;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    seen.length = 0;
    usage.length = 0;
    Object.assign(state, { status: 200, floatsOnly: false, omitUsage: false });
  });

  const make = (o: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
    new OpenAIEmbedder({ apiKey: 'sk-test-key', baseURL, db, maxRetries: 0, onUsage: (u) => usage.push(u), ...o });

  it('embeds through /v1/embeddings with text-embedding-3-large at 3072 dims, in input order', async () => {
    const e = make();
    expect(e.dims).toBe(3072);
    expect(e.id).toBe('openai:text-embedding-3-large@3072');
    const texts = ['function add(a, b) { return a + b }', 'class UserRepository {}', 'SELECT * FROM users'];
    const vs = await e.embed(texts);
    expect(vs).toHaveLength(3);
    vs.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(3072);
      expect(cosine(v, serverVector(texts[i]!, 3072))).toBeCloseTo(1, 5);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.model).toBe('text-embedding-3-large');
    expect(seen[0]!.auth).toBe('Bearer sk-test-key');
    expect(seen[0]!.encoding_format).toBe('base64');
    expect(seen[0]!.dimensions).toBeUndefined();
    expect(usage).toEqual([{ model: 'text-embedding-3-large', tokens: texts.reduce((s, t) => s + Math.ceil(t.length / 4), 0) }]);
  });

  it('passes `dimensions` and accepts servers that answer with float arrays', async () => {
    state.floatsOnly = true;
    const e = make({ dimensions: 256 });
    const [v] = await e.embed(['shortened vector']);
    expect(v!.length).toBe(256);
    expect(seen[0]!.dimensions).toBe(256);
    expect(cosine(v!, serverVector('shortened vector', 256))).toBeCloseTo(1, 5);
    expect(e.id).toBe('openai:text-embedding-3-large@256');
  });

  it('batches under the input and token caps, and never sends a text twice', async () => {
    const e = make({ dimensions: 8, maxInputsPerRequest: 100, maxTokensPerRequest: 1000 });
    const texts = Array.from({ length: 450 }, (_, i) => `chunk number ${i} ${'word '.repeat(i % 40)}`);
    const withDupes = [...texts, ...texts.slice(0, 50)];
    const vs = await e.embed(withDupes);
    expect(vs).toHaveLength(500);
    expect(cosine(vs[450]!, vs[0]!)).toBeCloseTo(1, 6);
    const enc = new Tiktoken(cl100k);
    for (const r of seen) {
      expect(r.input.length).toBeLessThanOrEqual(100);
      expect(r.input.reduce((s, t) => s + enc.encode(t).length, 0)).toBeLessThanOrEqual(1000);
    }
    expect(seen.reduce((s, r) => s + r.input.length, 0)).toBe(450);
    expect(seen.length).toBeGreaterThan(4);
    expect(usage.length).toBe(seen.length);
  });

  it('caps a request at 2048 inputs whatever is asked', async () => {
    const e = make({ dimensions: 4, maxInputsPerRequest: 5000 });
    await e.embed(Array.from({ length: 2100 }, (_, i) => `t${i}`));
    expect(seen.map((r) => r.input.length)).toEqual([2048, 52]);
  });

  it('caches by model and content hash: a repeat costs nothing, a new model pays again', async () => {
    const e = make({ dimensions: 16 });
    const first = await e.embed(['cached text one', 'cached text two']);
    expect(seen).toHaveLength(1);
    const again = await make({ dimensions: 16 }).embed(['cached text two', 'cached text one', 'new text']);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.input).toEqual(['new text']);
    expect(Array.from(again[0]!)).toEqual(Array.from(first[1]!));
    const rows = db.prepare(`SELECT count(*) AS n FROM embedding_cache WHERE model = 'openai:text-embedding-3-large@16'`).get() as { n: number };
    expect(rows.n).toBe(3);
    await make({ dimensions: 32 }).embed(['cached text one']);
    expect(seen).toHaveLength(3);
    await make({ model: 'text-embedding-3-small', dimensions: 16 }).embed(['cached text one']);
    expect(seen).toHaveLength(4);
  });

  it('truncates an input over the per-input token cap, and caches it under the original text', async () => {
    const e = make({ dimensions: 8, maxTokensPerInput: 50 });
    const long = Array.from({ length: 400 }, (_, i) => `identifier${i}`).join(' ');
    await e.embed([long]);
    const enc = new Tiktoken(cl100k);
    expect(enc.encode(seen[0]!.input[0]!).length).toBeLessThanOrEqual(50);
    expect(long.startsWith(seen[0]!.input[0]!.slice(0, 100))).toBe(true);
    await e.embed([long]);
    expect(seen).toHaveLength(1);
  });

  it('sends a space for an empty text (the API refuses empty input)', async () => {
    const [v] = await make({ dimensions: 8 }).embed(['']);
    expect(v!.length).toBe(8);
    expect(seen[0]!.input).toEqual([' ']);
  });

  it('asks beforeRequest first: a budget refusal stops the request from being sent', async () => {
    const asked: number[] = [];
    const e = make({
      dimensions: 8,
      beforeRequest: ({ tokens }) => {
        asked.push(tokens);
        throw new MiraError('budget_exceeded', 'daily limit of $5 reached ($5.01 spent)');
      },
    });
    await expect(e.embed(['would cost money'])).rejects.toMatchObject({ code: 'budget_exceeded' });
    expect(asked[0]).toBeGreaterThan(0);
    expect(seen).toHaveLength(0);
    expect(usage).toHaveLength(0);
  });

  it('falls back to the counted tokens when the server reports no usage', async () => {
    state.omitUsage = true;
    await make({ dimensions: 8 }).embed(['hello world']);
    expect(usage).toEqual([{ model: 'text-embedding-3-large', tokens: 2 }]);
  });

  it('learns the size of an unknown model from a probe', async () => {
    const e = make({ model: 'nomic-embed-text' });
    expect(() => e.dims).toThrow(MiraError);
    await e.init();
    expect(e.dims).toBe(3072);
    expect(e.id).toBe('openai:nomic-embed-text@3072');
  });

  it('turns HTTP failures into MiraErrors: 401 unauthorized, 429 rate_limited, 500 llm_error, no server llm_error', async () => {
    state.status = 401;
    await expect(make({ dimensions: 8 }).embed(['a'])).rejects.toMatchObject({ code: 'unauthorized' });
    state.status = 429;
    await expect(make({ dimensions: 8 }).embed(['b'])).rejects.toMatchObject({ code: 'rate_limited' });
    state.status = 500;
    await expect(make({ dimensions: 8 }).embed(['c'])).rejects.toMatchObject({ code: 'llm_error' });
    const nowhere = new OpenAIEmbedder({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, dimensions: 8 });
    await expect(nowhere.embed(['d'])).rejects.toMatchObject({ code: 'llm_error' });
    expect(() => new OpenAIEmbedder({})).toThrow(MiraError);
  });
});
