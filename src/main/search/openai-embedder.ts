// The server embedder: OpenAI's /v1/embeddings (or any compatible server) through the openai SDK, batched, cached, and counted.
//
// Paid calls are made once per distinct text: vectors are cached in embedding_cache by embedder and sha256 of the
// text, duplicates within a call are sent once, and each batch is cached as soon as it returns (an interrupted index
// run resumes without paying twice). Requests respect the API's limits (2048 inputs, a token cap per request,
// 8191 tokens per input, longer inputs truncated) and report their token use through `onUsage` for the budget.
import OpenAI, { APIConnectionError, APIError } from 'openai';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { blobToVector, normalize, sha256, vectorToBlob, type Embedder, type EmbeddingUsage } from './embedder';

export const OPENAI_DEFAULT_MODEL = 'text-embedding-3-large';

/** Native output sizes of the models we know; others are learned from the first response (`init`). */
export const KNOWN_EMBEDDING_DIMS: Readonly<Record<string, number>> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
};

/** OpenAI's own limits for /v1/embeddings: inputs per request, tokens per request, tokens per input. */
const API_MAX_INPUTS = 2048;
const API_MAX_REQUEST_TOKENS = 300_000;
const API_MAX_INPUT_TOKENS = 8191;

export interface OpenAIEmbedderOptions {
  model?: string;
  /** Output size; sent as `dimensions` (text-embedding-3 models shorten their vectors) unless it is the model's native size. */
  dimensions?: number;
  apiKey?: string;
  baseURL?: string;
  /** Where embedding_cache lives; without it nothing is cached. */
  db?: Db;
  maxInputsPerRequest?: number;
  /** Counted with cl100k (the text-embedding-3 tokenizer); default 250k, under the API's 300k to leave room for estimate drift. */
  maxTokensPerRequest?: number;
  maxTokensPerInput?: number;
  /** Told the tokens of every paid request after it returns (the budget module counts spend with it). */
  onUsage?: (usage: EmbeddingUsage) => void;
  /** Told the counted tokens before every request; throw (e.g. MiraError 'budget_exceeded') to refuse it unsent. */
  beforeRequest?: (usage: EmbeddingUsage) => void | Promise<void>;
  timeoutMs?: number;
  maxRetries?: number;
}

interface Tokenizer {
  encode(text: string, allowedSpecial?: string[] | 'all', disallowedSpecial?: string[] | 'all'): number[];
  decode(tokens: number[]): string;
}

let tokenizer: Promise<Tokenizer> | null = null;
/** cl100k is loaded on first use only: it takes ~300 ms and most runs (local embedder) never need it. */
function cl100k(): Promise<Tokenizer> {
  tokenizer ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
    return new Tiktoken(ranks.default) as Tokenizer;
  })();
  return tokenizer;
}

interface Pending {
  hash: string;
  input: string;
  tokens: number;
}

export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly requested?: number;
  private knownDims?: number;
  private readonly cacheKey: string;
  private readonly maxInputs: number;
  private readonly maxRequestTokens: number;
  private readonly maxInputTokens: number;
  private readonly stmts?: { get: import('better-sqlite3').Statement; put: import('better-sqlite3').Statement };

  constructor(private readonly opts: OpenAIEmbedderOptions = {}) {
    this.model = opts.model ?? OPENAI_DEFAULT_MODEL;
    const native = Object.hasOwn(KNOWN_EMBEDDING_DIMS, this.model) ? KNOWN_EMBEDDING_DIMS[this.model] : undefined;
    if (opts.dimensions !== undefined && (!Number.isInteger(opts.dimensions) || opts.dimensions < 1 || opts.dimensions > 8192)) {
      throw new MiraError('config_invalid', `embedding dimensions must be an integer in 1..8192, got ${opts.dimensions}`);
    }
    this.requested = opts.dimensions !== undefined && opts.dimensions !== native ? opts.dimensions : undefined;
    this.knownDims = opts.dimensions ?? native;
    this.cacheKey = `openai:${this.model}@${this.requested ?? 'native'}`;
    this.maxInputs = Math.min(API_MAX_INPUTS, Math.max(1, opts.maxInputsPerRequest ?? API_MAX_INPUTS));
    this.maxRequestTokens = Math.min(API_MAX_REQUEST_TOKENS, Math.max(1, opts.maxTokensPerRequest ?? 250_000));
    this.maxInputTokens = Math.min(API_MAX_INPUT_TOKENS, Math.max(1, opts.maxTokensPerInput ?? API_MAX_INPUT_TOKENS));
    if (!opts.apiKey && !opts.baseURL) {
      throw new MiraError('llm_not_configured', `embedding model ${this.model} needs an API key`, 'set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server), or use MIRA_EMBEDDING_MODEL=local');
    }
    this.client = new OpenAI({
      // Local OpenAI-compatible servers (Ollama, llama.cpp) take no key, but the SDK insists on one.
      apiKey: opts.apiKey ?? 'no-key',
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 120_000,
      maxRetries: opts.maxRetries ?? 3,
    });
    if (opts.db) {
      this.stmts = {
        get: opts.db.prepare('SELECT vector FROM embedding_cache WHERE model = ? AND hash = ?'),
        put: opts.db.prepare('INSERT OR REPLACE INTO embedding_cache (model, hash, dims, vector) VALUES (?, ?, ?, ?)'),
      };
    }
  }

  get id(): string {
    return `openai:${this.model}@${this.dims}`;
  }

  get dims(): number {
    if (this.knownDims === undefined) throw new MiraError('internal', `the size of ${this.model}'s vectors is not known yet`, 'call init() first, or write the model as NAME@DIMS');
    return this.knownDims;
  }

  /** For a model of unknown size: embeds one probe text (cached, so this is paid once ever) to learn it. */
  async init(): Promise<void> {
    if (this.knownDims === undefined) await this.embed(['dimension probe']);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = new Array(texts.length);
    // Identical texts are looked up and sent once.
    const byHash = new Map<string, number[]>();
    const firstText = new Map<string, string>();
    texts.forEach((t, i) => {
      const h = sha256(t);
      const list = byHash.get(h);
      if (list) list.push(i);
      else {
        byHash.set(h, [i]);
        firstText.set(h, t);
      }
    });
    const pending: Pending[] = [];
    for (const [h, idx] of byHash) {
      const row = this.stmts?.get.get(this.cacheKey, h) as { vector: Buffer } | undefined;
      if (row) {
        const v = blobToVector(row.vector);
        this.knownDims ??= v.length;
        for (const i of idx) out[i] = v;
      } else {
        pending.push({ hash: h, input: firstText.get(h)!, tokens: 0 });
      }
    }
    if (pending.length) {
      const enc = await cl100k();
      for (const p of pending) {
        // The API refuses empty input; a space embeds to "nothing in particular", which is what an empty chunk is.
        if (!p.input) p.input = ' ';
        let tokens = enc.encode(p.input, [], []);
        if (tokens.length > this.maxInputTokens) {
          tokens = tokens.slice(0, this.maxInputTokens);
          p.input = enc.decode(tokens);
        }
        p.tokens = tokens.length;
      }
      for (const batch of this.batches(pending)) {
        const vectors = await this.request(batch);
        this.opts.db?.transaction(() => {
          batch.forEach((p, i) => this.stmts!.put.run(this.cacheKey, p.hash, vectors[i]!.length, vectorToBlob(vectors[i]!)));
        })();
        batch.forEach((p, i) => {
          for (const j of byHash.get(p.hash)!) out[j] = vectors[i]!;
        });
      }
    }
    return out as Float32Array[];
  }

  private *batches(pending: Pending[]): Generator<Pending[]> {
    let batch: Pending[] = [];
    let tokens = 0;
    for (const p of pending) {
      if (batch.length && (batch.length >= this.maxInputs || tokens + p.tokens > this.maxRequestTokens)) {
        yield batch;
        batch = [];
        tokens = 0;
      }
      batch.push(p);
      tokens += p.tokens;
    }
    if (batch.length) yield batch;
  }

  private async request(batch: Pending[]): Promise<Float32Array[]> {
    const counted = batch.reduce((s, p) => s + p.tokens, 0);
    await this.opts.beforeRequest?.({ model: this.model, tokens: counted });
    let res: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      // base64 asked for explicitly: a quarter of the bytes of JSON floats, and the SDK then leaves decoding to us,
      // which lets servers that ignore the format and answer with float arrays work too.
      res = await this.client.embeddings.create({
        model: this.model,
        input: batch.map((p) => p.input),
        encoding_format: 'base64',
        ...(this.requested !== undefined ? { dimensions: this.requested } : {}),
      });
    } catch (e) {
      throw this.error(e);
    }
    const data = [...(res.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== batch.length) throw new MiraError('llm_error', `the embeddings server returned ${data.length} vectors for ${batch.length} inputs`);
    const vectors = data.map((d) => {
      const raw = d.embedding as unknown;
      const v = typeof raw === 'string' ? blobToVector(Buffer.from(raw, 'base64')) : Float32Array.from(raw as number[]);
      // Cosine ignores length, but unit vectors make every store and score agree.
      normalize(v);
      return v;
    });
    const size = vectors[0]!.length;
    if (vectors.some((v) => v.length !== size)) throw new MiraError('llm_error', 'the embeddings server returned vectors of different sizes in one response');
    if (this.knownDims !== undefined && size !== this.knownDims) {
      throw new MiraError('llm_error', `${this.model} returned ${size}-dimensional vectors, ${this.knownDims} were expected`, 'check MIRA_EMBEDDING_MODEL (write NAME@DIMS for a model that cannot shorten its vectors)');
    }
    this.knownDims = size;
    this.opts.onUsage?.({ model: this.model, tokens: res.usage?.total_tokens ?? counted });
    return vectors;
  }

  private error(e: unknown): MiraError {
    if (e instanceof MiraError) return e;
    const where = this.opts.baseURL ?? 'api.openai.com';
    if (e instanceof APIConnectionError) return new MiraError('llm_error', `cannot reach the embeddings server at ${where}: ${e.message}`, 'check the network and OPENAI_BASE_URL, or use MIRA_EMBEDDING_MODEL=local');
    if (e instanceof APIError) {
      if (e.status === 401 || e.status === 403) return new MiraError('unauthorized', `the embeddings server refused the API key (HTTP ${e.status})`, 'check OPENAI_API_KEY');
      if (e.status === 429) return new MiraError('rate_limited', `the embeddings server is rate limiting (HTTP 429): ${e.message}`, 'wait and run `mira index` again: finished batches are cached');
      return new MiraError('llm_error', `the embeddings server failed (HTTP ${e.status ?? '?'}): ${e.message}`);
    }
    return new MiraError('llm_error', `embedding failed: ${(e as Error).message ?? String(e)}`);
  }
}
