// The built-in offline embedder: code-aware sub-token features hashed into a fixed-size, L2-normalised vector.
//
// No model weights can be shipped or downloaded, so this is a lexical embedder built for code:
// - identifiers are split (camelCase, snake_case, kebab, paths), lower-cased, abbreviation-expanded and lightly stemmed,
//   so `getUserByID`, `user_ids` and "the users" share the feature `user`;
// - features are sub-token unigrams, adjacent sub-token bigrams (same line), whole multi-part identifiers and
//   character trigrams (so `authenticator` still meets `authentication`), each weighted 1 + ln(tf) (sublinear);
// - every feature is hashed with a signed hash into `dims` buckets (the hashing trick; signs make collisions cancel
//   in expectation instead of piling up).
// Queries get two extras that documents do not (so stored vectors never go stale): per-project idf weights and
// expansion with related terms, both built-in (local-embedder-lexicon.ts) and learned from the project's own
// co-occurrence statistics (local-embedder-terms.ts).
import { normalize, type Embedder } from './embedder';
import { ABBREVIATIONS, RELATED_GROUPS, STOPWORDS } from './local-embedder-lexicon';

/** Bump when features or weights change: the id changes, stores re-create their collections and files get re-embedded. */
const FEATURE_VERSION = 1;
export const LOCAL_DEFAULT_DIMS = 512;

/** Longer texts are cut: a 50-line chunk is ~2k characters, and the tail of a huge blob adds noise, not meaning. */
const MAX_CHARS = 12_000;
/** Terms recorded per chunk for co-occurrence learning. */
const TERMS_PER_CHUNK = 96;
const W_TRIGRAMS = 0.35; // the whole trigram set of a term weighs this much against the term itself
const W_BIGRAM = 0.45;
const W_COMPOUND = 0.5;
/** How much a query term's related terms weigh together, against the term itself (1). */
const W_EXPANSION = 0.5;
const MAX_EXPANSIONS = 12;
const BUILTIN_STRENGTH = 0.6;

const SEED_UNI = 0x1b873593;
const SEED_TRI = 0x2c1b3c6d;
const SEED_BI = 0x297a2d39;
const SEED_ID = 0x6b43a9b5;

/** What the query side may know about a project's vocabulary (local-embedder-terms.ts provides it from the database). */
export interface QueryVocabulary {
  /** A weight in (0, 1]: lower for terms found in many chunks of the project. */
  weight(projectId: number, term: string): number;
  /** Terms that co-occur with `term` in the project, with a strength in (0, 1]. */
  related(projectId: number, term: string): readonly (readonly [string, number])[];
  /** Called once before each query's lookups (a chance to notice newer statistics). */
  begin?(projectId: number): void;
}

export interface LocalEmbedderOptions {
  dims?: number;
  vocabulary?: QueryVocabulary;
  /** Turn off the built-in related-term groups (for measuring what they add). */
  builtinRelations?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Hashing

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a with a murmur finaliser: cheap, and its low bits (the bucket) and top bit (the sign) are well mixed. */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function hashPair(a: number, b: number): number {
  return fmix32((Math.imul(a, 0x9e3779b1) ^ b ^ SEED_BI) >>> 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical terms

const STOP = new Set(STOPWORDS);
// A Map, not the object itself: `ABBREVIATIONS['constructor']` would find Object.prototype's.
const ABBREV = new Map(Object.entries(ABBREVIATIONS));

/**
 * A light, consistent stemmer (not Porter): plurals, -ing/-ed, doubled consonants, a final e. What matters is that
 * `parse`, `parses`, `parsed`, `parsing` all land on one form, not that the form is an English word.
 */
const HAS_VOWEL = /[aeiouy]/;

export function stem(w: string): string {
  let s = w;
  if (s.length > 4 && s.endsWith('ies')) s = s.slice(0, -3) + 'y';
  else if (s.length > 4 && s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  let cut = false;
  // Porter's *v* condition: the stem left behind must hold a vowel, so `string` and `red` stay whole.
  if (s.length > 5 && s.endsWith('ing') && HAS_VOWEL.test(s.slice(0, -3))) {
    s = s.slice(0, -3);
    cut = true;
  } else if (s.length > 4 && s.endsWith('ed') && !s.endsWith('eed') && HAS_VOWEL.test(s.slice(0, -2))) {
    s = s.slice(0, -2);
    cut = true;
  }
  if (cut) {
    const n = s.length;
    const last = s.charCodeAt(n - 1);
    // runn(ing) -> run, mapp(ed) -> map; but keep ll/ss/zz (install, process).
    if (n > 3 && last === s.charCodeAt(n - 2) && !'lsz'.includes(s[n - 1]!) && !'aeiou'.includes(s[n - 1]!)) s = s.slice(0, -1);
  }
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1);
  return s;
}

const canonCache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/** The canonical form of one lower-case sub-token, or '' when it carries no meaning (stopword, too short, too long). */
export function canonical(part: string): string {
  const hit = canonCache.get(part);
  if (hit !== undefined) return hit;
  let out = '';
  if (part.length >= 2 && part.length <= 32 && !STOP.has(part)) {
    const expanded = ABBREV.get(part) ?? part;
    out = STOP.has(expanded) ? '' : stem(expanded);
  }
  if (canonCache.size >= CACHE_LIMIT) canonCache.clear();
  canonCache.set(part, out);
  return out;
}

const IDENT_RE = /[A-Za-z0-9_$]+|\n/g;

/** Splits one identifier into lower-case sub-tokens: `HTTPServer_v2` -> http, server, v. Digits separate parts. */
export function splitIdentifier(id: string, out: string[]): void {
  let start = -1;
  const n = id.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? id.charCodeAt(i) : 0;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    if (!upper && !lower) {
      if (start >= 0) out.push(id.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    if (upper) {
      const p = id.charCodeAt(i - 1);
      const prevLower = p >= 97 && p <= 122;
      const next = i + 1 < n ? id.charCodeAt(i + 1) : 0;
      const nextLower = next >= 97 && next <= 122;
      const prevUpper = p >= 65 && p <= 90;
      // fooBar: split before B. HTTPServer: split before the S that starts "Server".
      if (prevLower || (prevUpper && nextLower)) {
        out.push(id.slice(start, i).toLowerCase());
        start = i;
      }
    }
  }
}

/** The stream of canonical terms of a text, for callers that learn statistics (distinct, in first-seen order). */
export function termsOf(text: string, limit = TERMS_PER_CHUNK): string[] {
  const counts = new Map<string, number>();
  const parts: string[] = [];
  const t = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  IDENT_RE.lastIndex = 0;
  for (let m = IDENT_RE.exec(t); m; m = IDENT_RE.exec(t)) {
    if (m[0] === '\n') continue;
    parts.length = 0;
    splitIdentifier(m[0], parts);
    for (const p of parts) {
      const c = canonical(p);
      if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  const all = [...counts.entries()];
  if (all.length <= limit) return all.map(([k]) => k);
  // The most frequent terms first; ties broken by the term so the choice is deterministic.
  all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return all.slice(0, limit).map(([k]) => k);
}

// ---------------------------------------------------------------------------------------------------------------
// Features

interface TermFeatures {
  term: string;
  /** The term's own hash (bigrams combine these). */
  h: number;
  /** Bucket indices and signed weights: the unigram first, then its trigrams. */
  idx: Uint32Array;
  val: Float32Array;
}

function termFeatures(term: string, dims: number, cache: Map<string, TermFeatures>): TermFeatures {
  const hit = cache.get(term);
  if (hit) return hit;
  const h = hashString(term, SEED_UNI);
  const grams: number[] = [];
  if (term.length >= 4) {
    const padded = `^${term}$`;
    for (let i = 0; i + 3 <= padded.length; i++) grams.push(hashString(padded.slice(i, i + 3), SEED_TRI));
  }
  const idx = new Uint32Array(1 + grams.length);
  const val = new Float32Array(1 + grams.length);
  idx[0] = h % dims;
  val[0] = h & 0x80000000 ? -1 : 1;
  const wg = grams.length ? W_TRIGRAMS / Math.sqrt(grams.length) : 0;
  for (let i = 0; i < grams.length; i++) {
    const g = grams[i]!;
    idx[i + 1] = g % dims;
    val[i + 1] = g & 0x80000000 ? -wg : wg;
  }
  const f = { term, h, idx, val };
  cache.set(term, f);
  return f;
}

function addHashed(v: Float32Array, h: number, w: number): void {
  const i = h % v.length;
  v[i] = v[i]! + (h & 0x80000000 ? -w : w);
}

function addTerm(v: Float32Array, f: TermFeatures, w: number): void {
  const { idx, val } = f;
  for (let i = 0; i < idx.length; i++) v[idx[i]!] = v[idx[i]!]! + val[i]! * w;
}

interface Bag {
  terms: Map<TermFeatures, number>;
  bigrams: Map<number, number>;
  /** For queries: which terms each bigram joins (to weight it by its terms). */
  bigramTerms?: Map<number, [string, string]>;
  /** Hashes of whole multi-part identifiers. */
  compounds: Map<number, number>;
}

/** The bag's distinct terms, first-seen order; when there are more than `limit`, the most frequent (ties by term). */
function topTerms(bag: Bag, limit = TERMS_PER_CHUNK): string[] {
  if (bag.terms.size <= limit) return [...bag.terms.keys()].map((f) => f.term);
  const all = [...bag.terms.entries()].map(([f, c]) => [f.term, c] as const);
  all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return all.slice(0, limit).map(([t]) => t);
}

/** What one identifier contributes, worked out once per distinct identifier (code repeats its names a lot). */
interface IdentInfo {
  terms: TermFeatures[];
  /** Hash of the whole identifier when it has two or more kept parts, else -1. */
  compound: number;
}

let builtinRelated: Map<string, string[]> | null = null;
/** The lexicon's groups in canonical form: term -> the other members of its groups. */
function builtinRelations(): Map<string, string[]> {
  if (builtinRelated) return builtinRelated;
  const out = new Map<string, Set<string>>();
  for (const group of RELATED_GROUPS) {
    const canon = [...new Set(group.map((w) => canonical(w)).filter(Boolean))];
    for (const a of canon) {
      let s = out.get(a);
      if (!s) out.set(a, (s = new Set()));
      for (const b of canon) if (b !== a) s.add(b);
    }
  }
  builtinRelated = new Map([...out].map(([k, s]) => [k, [...s].sort()]));
  return builtinRelated;
}

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  private readonly features = new Map<string, TermFeatures>();
  private readonly idents = new Map<string, IdentInfo>();
  private readonly vocabulary?: QueryVocabulary;
  private readonly builtin: boolean;

  constructor(opts: LocalEmbedderOptions = {}) {
    this.dims = opts.dims ?? LOCAL_DEFAULT_DIMS;
    if (!Number.isInteger(this.dims) || this.dims < 16 || this.dims > 8192) throw new RangeError(`local embedder dims must be an integer in 16..8192, got ${this.dims}`);
    this.id = `local-hash-v${FEATURE_VERSION}@${this.dims}`;
    this.vocabulary = opts.vocabulary;
    this.builtin = opts.builtinRelations ?? true;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedSync(t));
  }

  async embedQuery(texts: string[], opts: { projectId?: number } = {}): Promise<Float32Array[]> {
    return texts.map((t) => this.embedQuerySync(t, opts.projectId));
  }

  /** Distinct canonical terms of a text (what the project's co-occurrence statistics are learned from). */
  terms(text: string): string[] {
    return topTerms(this.bag(text, false));
  }

  embedSync(text: string): Float32Array {
    return this.vector(this.bag(text, false));
  }

  /** A document's vector and its terms from one pass over the text (what indexing needs). */
  embedDocument(text: string): { vector: Float32Array; terms: string[] } {
    const bag = this.bag(text, false);
    return { vector: this.vector(bag), terms: topTerms(bag) };
  }

  private vector(bag: Bag): Float32Array {
    const v = new Float32Array(this.dims);
    for (const [f, c] of bag.terms) addTerm(v, f, 1 + Math.log(c));
    for (const [h, c] of bag.bigrams) addHashed(v, h, W_BIGRAM * (1 + Math.log(c)));
    for (const [h, c] of bag.compounds) addHashed(v, h, W_COMPOUND * (1 + Math.log(c)));
    return this.finish(v);
  }

  embedQuerySync(text: string, projectId?: number): Float32Array {
    const bag = this.bag(text, true);
    const v = new Float32Array(this.dims);
    const vocab = projectId !== undefined ? this.vocabulary : undefined;
    vocab?.begin?.(projectId!);
    const weight = (t: string) => (vocab ? vocab.weight(projectId!, t) : 1);
    const weights = new Map<string, number>();
    for (const [f, c] of bag.terms) {
      const w = weight(f.term);
      weights.set(f.term, w);
      addTerm(v, f, w * (1 + Math.log(c)));
    }
    for (const [h, c] of bag.bigrams) {
      const pair = bag.bigramTerms!.get(h)!;
      const w = ((weights.get(pair[0]) ?? 1) + (weights.get(pair[1]) ?? 1)) / 2;
      addHashed(v, h, W_BIGRAM * w * (1 + Math.log(c)));
    }
    for (const [h, c] of bag.compounds) addHashed(v, h, W_COMPOUND * (1 + Math.log(c)));
    // Expansion: each query term lends a fixed share of its weight to the terms related to it.
    const builtin = this.builtin ? builtinRelations() : undefined;
    for (const [term, w] of weights) {
      const rel = new Map<string, number>();
      for (const r of builtin?.get(term) ?? []) rel.set(r, BUILTIN_STRENGTH);
      if (vocab) for (const [r, s] of vocab.related(projectId!, term)) rel.set(r, Math.max(rel.get(r) ?? 0, s));
      for (const t of weights.keys()) rel.delete(t);
      if (!rel.size) continue;
      const picked = [...rel.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_EXPANSIONS);
      let norm = 0;
      for (const [, s] of picked) norm += s * s;
      norm = Math.sqrt(norm);
      for (const [r, s] of picked) addTerm(v, termFeatures(r, this.dims, this.features), (w * W_EXPANSION * s) / norm);
    }
    return this.finish(v);
  }

  private bag(text: string, query: boolean): Bag {
    // Caches are bounded, and only ever dropped between texts, both at once: within a text every term must map to
    // one features object (bag counts are keyed by it), or the vector would depend on cache history.
    if (this.features.size >= CACHE_LIMIT || this.idents.size >= CACHE_LIMIT) {
      this.features.clear();
      this.idents.clear();
    }
    const t = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
    const bag: Bag = { terms: new Map(), bigrams: new Map(), compounds: new Map(), bigramTerms: query ? new Map() : undefined };
    let prev: TermFeatures | null = null;
    IDENT_RE.lastIndex = 0;
    for (let m = IDENT_RE.exec(t); m; m = IDENT_RE.exec(t)) {
      const word = m[0];
      if (word === '\n') {
        prev = null;
        continue;
      }
      const info = this.ident(word);
      for (const f of info.terms) {
        bag.terms.set(f, (bag.terms.get(f) ?? 0) + 1);
        if (prev !== null && prev !== f) {
          const h = hashPair(prev.h, f.h);
          bag.bigrams.set(h, (bag.bigrams.get(h) ?? 0) + 1);
          bag.bigramTerms?.set(h, [prev.term, f.term]);
        }
        prev = f;
      }
      if (info.compound >= 0) bag.compounds.set(info.compound, (bag.compounds.get(info.compound) ?? 0) + 1);
    }
    return bag;
  }

  private ident(word: string): IdentInfo {
    const hit = this.idents.get(word);
    if (hit) return hit;
    const parts: string[] = [];
    splitIdentifier(word, parts);
    const terms: TermFeatures[] = [];
    const kept: string[] = [];
    for (const p of parts) {
      const c = canonical(p);
      if (!c) continue;
      kept.push(c);
      terms.push(termFeatures(c, this.dims, this.features));
    }
    const info = { terms, compound: kept.length >= 2 ? hashString(kept.join('_'), SEED_ID) : -1 };
    this.idents.set(word, info);
    return info;
  }

  private finish(v: Float32Array): Float32Array {
    // An empty or all-stopword text still gets a unit vector (a zero vector has no cosine), in a bucket of its own.
    if (normalize(v) === 0) addHashed(v, hashString('\u0000empty', SEED_UNI), 1);
    return v;
  }
}
