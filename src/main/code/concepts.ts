// Heuristic concept tagging: one semantic node per symbol (purpose, concepts, domains, confidence) from its names,
// path, doc comment, calls and the libraries it uses; plus the hook for an enricher (an LLM) cached by content hash.
import { splitIdentifier } from '../search/fts-text';
import { LEXICON, lexiconIndex, libConcepts, stem } from './concept-lexicon';
import type { ParsedFile, ParsedSymbol } from './model';

export interface ConceptScore {
  concept: string;
  score: number;
}

export interface SemanticNode {
  purpose: string | null;
  concepts: ConceptScore[];
  domains: string[];
  confidence: number;
}

/**
 * An enrichment source (an LLM). Given symbols it has not seen (by content hash), it returns their semantic nodes.
 * Results are cached in concept_cache by hash, so a symbol is sent again only when its code changes.
 */
export interface ConceptEnricher {
  /** Stable name, part of the cache key (a model change re-enriches). */
  readonly name: string;
  enrich(symbols: EnrichInput[]): Promise<Map<string, SemanticNode>>;
}

export interface EnrichInput {
  hash: string;
  name: string;
  kind: string;
  path: string;
  signature: string | null;
  doc: string | null;
  heuristic: SemanticNode;
}

/** Call names that are unmistakably one concept's API (ORM and driver methods, mostly). */
const VERB_CONCEPTS = new Map<string, string>([
  ...['findmany', 'findunique', 'findfirst', 'findone', 'findall', 'findbyid', 'findbypk', 'findoneandupdate', 'bulkcreate', 'deletemany', 'updatemany', 'createmany', 'insertmany', 'aggregate', '$transaction', 'executeraw', 'queryraw', '$queryraw', '$executeraw', 'rawquery', 'fetchall', 'fetchone', 'fetchmany', 'executemany', 'rollback', 'cursor', 'query_row', 'prepare_cached', 'queryrow', 'querycontext', 'execcontext', 'begintx', 'filter_by', 'get_or_404', 'first_or_404', 'scalars', 'scalar'].map((v) => [v, 'database'] as [string, string]),
  ...['jwt', 'sign', 'verify', 'hashpassword', 'comparepassword', 'check_password_hash', 'generate_password_hash', 'login_user', 'logout_user', 'authenticate'].map((v) => [v, 'auth'] as [string, string]),
]);

const MIN_SCORE = 2;
const MAX_CONCEPTS = 3;

/** Tags every symbol of a parsed file. */
export function tagFile(parsed: ParsedFile, testFile: boolean): SemanticNode[] {
  const idx = lexiconIndex();
  // Libraries the file imports, by local alias (calls through an alias are strong evidence) and overall.
  const aliasLibs = new Map<string, string[]>();
  const fileLibs = new Map<string, number>();
  for (const imp of parsed.imports) {
    if (imp.source.startsWith('.') && parsed.language !== 'python') continue;
    const cs = libConcepts(imp.source);
    if (!cs.length) continue;
    if (imp.alias) aliasLibs.set(imp.alias, cs);
    for (const c of cs) fileLibs.set(c, (fileLibs.get(c) ?? 0) + 1);
  }
  const pathWords = splitPath(parsed.path);
  const corroborated = corroboration(parsed, fileLibs, idx);
  const callsBy = new Map<number, { name: string; receiver: string | null }[]>();
  for (const c of parsed.calls) {
    if (c.caller < 0) continue;
    const list = callsBy.get(c.caller) ?? [];
    if (list.length < 200) list.push({ name: c.name, receiver: c.receiver });
    callsBy.set(c.caller, list);
  }

  return parsed.symbols.map((sym, i) => {
    const scores = new Map<string, number>();
    const caps = new Map<string, number>();
    const add = (concept: string, w: number, capKey?: string, cap?: number) => {
      if (capKey && cap !== undefined) {
        const k = `${concept}|${capKey}`;
        const used = caps.get(k) ?? 0;
        if (used >= cap) return;
        w = Math.min(w, cap - used);
        caps.set(k, used + w);
      }
      scores.set(concept, (scores.get(concept) ?? 0) + w);
    };
    const words = (text: string, strongW: number, weakW: number, capKey?: string, cap?: number) => {
      const seen = new Set<string>();
      for (const w of splitIdentifier(text)) {
        const st = stem(w);
        if (seen.has(st)) continue;
        seen.add(st);
        for (const hit of idx.terms.get(st) ?? []) add(hit.concept, hit.strong && (!hit.ambiguous || corroborated.has(hit.concept)) ? strongW : weakW, capKey, cap);
      }
    };
    words(sym.name, 3, 1.2);
    const parent = sym.parent >= 0 ? parsed.symbols[sym.parent] : undefined;
    const ownerName = sym.owner ?? parent?.name;
    if (ownerName) words(ownerName, 1.5, 0.6);
    for (const w of pathWords) for (const hit of idx.terms.get(w) ?? []) add(hit.concept, hit.strong ? 1 : 0.4, 'path', 1.5);
    if (sym.doc) words(sym.doc.slice(0, 400), 0.8, 0.3, 'doc', 2);
    if (sym.signature) words(sym.signature.replace(sym.name, ''), 0.6, 0.25, 'sig', 1.5);
    for (const call of callsBy.get(i) ?? []) {
      words(call.name, 0.8, 0.3, 'calls', 2.5);
      const alias = call.receiver?.split(/\.|::/)[0] ?? call.name;
      for (const c of aliasLibs.get(alias) ?? []) add(c, 2, 'lib', 4);
      // What a call goes through says what it touches: `db.query()`, `prisma.user.findMany()`, `cache.get()`.
      if (call.receiver && call.receiver !== 'this' && call.receiver !== 'self') words(call.receiver.replace(/^(this|self)\./, ''), 1, 0.4, 'recv', 2);
      const verb = VERB_CONCEPTS.get(call.name.toLowerCase());
      if (verb) add(verb, 1.2, 'verb', 3.6);
    }
    for (const [c, n] of fileLibs) add(c, 0.6 * Math.min(n, 2), 'filelib', 1.2);
    for (const b of sym.facts.bases ?? []) words(b, 1.5, 0.5, 'bases', 2);
    // Tests of database code are not database code: in tests, everything but testing counts half.
    const inTest = sym.is_test || testFile;
    if (inTest) {
      for (const [c, s] of scores) if (c !== 'testing') scores.set(c, s * 0.5);
      add('testing', 2);
    }
    const concepts = [...scores.entries()]
      .filter(([, s]) => s >= MIN_SCORE)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_CONCEPTS)
      .map(([concept, score]) => ({ concept, score: Math.round(score * 100) / 100 }));
    const top = concepts[0]?.score ?? 0;
    const domains = [...new Set(concepts.map((c) => LEXICON[c.concept]?.domain).filter((d): d is string => !!d))];
    return {
      purpose: purposeOf(sym, ownerName),
      concepts,
      domains,
      confidence: concepts.length ? Math.round((1 - Math.exp(-top / 3)) * 100) / 100 : 0,
    };
  });
}

/**
 * Concepts the file shows beyond its ambiguous words: an import of the concept's libraries, or an unambiguous strong
 * word in the name of one of its symbols or calls. `query` in express's request.js (a URL's query) is not database code;
 * next to `db.transaction()` it is. JSX files corroborate `ui` (their `render` is a component's).
 */
function corroboration(parsed: ParsedFile, fileLibs: Map<string, number>, idx: ReturnType<typeof lexiconIndex>): Set<string> {
  const out = new Set(fileLibs.keys());
  if (parsed.language === 'tsx' || /\.(jsx|tsx|vue|svelte)$/.test(parsed.path)) out.add('ui');
  const names = new Set<string>();
  for (const s of parsed.symbols) names.add(s.name);
  for (const c of parsed.calls) {
    names.add(c.name);
    if (c.receiver) names.add(c.receiver);
  }
  for (const n of names) {
    for (const w of splitIdentifier(n)) {
      for (const hit of idx.terms.get(stem(w)) ?? []) if (hit.strong && !hit.ambiguous) out.add(hit.concept);
    }
  }
  return out;
}

function splitPath(p: string): string[] {
  const out = new Set<string>();
  for (const part of p.split('/')) for (const w of splitIdentifier(part.replace(/\.[^.]+$/, ''))) out.add(stem(w));
  return [...out];
}

/** A one-line purpose: the doc comment's first sentence, or the name read as words. */
export function purposeOf(sym: ParsedSymbol, owner?: string): string {
  if (sym.doc) {
    const first = sym.doc.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s/)[0] ?? '';
    const clean = first.replace(/^(@\w+\s*)+/, '').trim();
    if (clean.length >= 8) return clean.length > 160 ? clean.slice(0, 159) + '…' : clean;
  }
  const words = splitIdentifier(sym.name).join(' ');
  const phrase = words ? words[0]!.toUpperCase() + words.slice(1) : sym.name;
  switch (sym.kind) {
    case 'function':
    case 'method':
      return owner ? `${phrase} (${sym.kind} of ${owner})` : `${phrase} (${sym.kind})`;
    default:
      return `${phrase} (${sym.kind})`;
  }
}
