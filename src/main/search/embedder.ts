// The Embedder contract (text to fixed-size vectors) and the small vector helpers every embedder and store shares.
import crypto from 'node:crypto';

export interface Embedder {
  /** Names the vector space: vectors from embedders with different ids must never be compared (stores re-create on change). */
  readonly id: string;
  readonly dims: number;
  /** Embeds documents (code chunks, messages). Deterministic for a given id: the same text gives the same vector. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /**
   * Embeds search queries. Embedders that treat queries differently (query expansion, per-project term weights)
   * implement it; callers fall back to `embed`. `projectId` picks the project whose learned vocabulary applies.
   */
  embedQuery?(texts: string[], opts?: { projectId?: number }): Promise<Float32Array[]>;
  /** Resolves anything only known by asking (a server model's dimensions). Call once before reading `dims`. */
  init?(): Promise<void>;
}

/** What an embedder reports after a paid call, so the budget module can count spend. */
export interface EmbeddingUsage {
  model: string;
  tokens: number;
}

export function embedQueries(embedder: Embedder, texts: string[], projectId?: number): Promise<Float32Array[]> {
  return embedder.embedQuery ? embedder.embedQuery(texts, { projectId }) : embedder.embed(texts);
}

/** Scales in place to unit length; returns the original norm (0 means the vector carried nothing). */
export function normalize(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return norm;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? s / Math.sqrt(na * nb) : 0;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A Float32Array as the little-endian bytes SQLite (and sqlite-vec) store. */
export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer | Uint8Array): Float32Array {
  // Copied so the result never aliases a buffer SQLite may reuse, and is 4-byte aligned.
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}
