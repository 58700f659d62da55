// The code capability's part of the contract: search, symbols, call graph, impact, concepts and patterns.
import { z } from 'zod';
import { method } from './define';

const SymbolArg = z.string().min(1).max(2000);
const Confidence = z.number().min(0).max(1);

export const SearchHit = z.object({
  path: z.string(),
  line: z.number(),
  end_line: z.number(),
  symbol: z.string().nullable(),
  kind: z.string().nullable(),
  score: z.number(),
  snippet: z.string(),
  sources: z.array(z.string()),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const CodeSymbol = z.object({
  name: z.string(),
  qualified_name: z.string(),
  kind: z.string(),
  path: z.string(),
  start_line: z.number(),
  end_line: z.number(),
  parent: z.string().nullable(),
  signature: z.string().nullable(),
  visibility: z.string().nullable(),
  language: z.string(),
});
export type CodeSymbol = z.infer<typeof CodeSymbol>;

export const CallEdge = z.object({
  name: z.string(),
  /** callers: the file of the call; callees: the file of the definition (null when unresolved). */
  path: z.string().nullable(),
  line: z.number(),
  confidence: z.number(),
  resolution: z.string(),
  symbol_line: z.number().optional(),
  call_line: z.number().optional(),
});
export type CallEdge = z.infer<typeof CallEdge>;

const Matched = z.array(z.object({ name: z.string(), path: z.string(), line: z.number() }));

export const ConceptSize = z.object({ concept: z.string(), domain: z.string().nullable(), symbols: z.number(), files: z.number(), avg_score: z.number() });
export const ConceptMember = z.object({
  name: z.string(),
  kind: z.string(),
  path: z.string(),
  line: z.number(),
  score: z.number(),
  confidence: z.number(),
  purpose: z.string().nullable(),
  concepts: z.array(z.string()),
});

export const PatternHit = z.object({
  pattern: z.string(),
  confidence: z.number(),
  symbols: z.array(z.object({ name: z.string(), path: z.string(), line: z.number(), role: z.string() })),
  evidence: z.array(z.string()),
});
export type PatternHit = z.infer<typeof PatternHit>;

export const codeMethods = {
  'code/search': method(
    z.object({
      query: z.string().min(1).max(2000),
      k: z.number().int().min(1).max(200).default(10),
      language: z.string().max(40).optional(),
      concept: z.string().max(60).optional(),
    }),
    z.object({ results: z.array(SearchHit), took_ms: z.number() }),
  ),
  'code/symbols': method(
    z
      .object({
        file: z.string().max(4096).optional(),
        kind: z.string().max(40).optional(),
        query: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1_000_000).optional(),
      })
      .default({}),
    z.object({ results: z.array(CodeSymbol), took_ms: z.number() }),
  ),
  'code/callers': method(
    z.object({ symbol: SymbolArg, min_confidence: Confidence.default(0.3) }),
    z.object({ results: z.array(CallEdge), symbols: Matched, took_ms: z.number() }),
  ),
  'code/callees': method(
    z.object({ symbol: SymbolArg, min_confidence: Confidence.default(0.3), include_unresolved: z.boolean().default(false) }),
    z.object({ results: z.array(CallEdge), symbols: Matched, took_ms: z.number() }),
  ),
  'code/impact': method(
    z.object({ symbol: SymbolArg, depth: z.number().int().min(1).max(50).default(3), min_confidence: Confidence.default(0.3) }),
    z.object({
      results: z.array(z.object({ name: z.string(), path: z.string(), line: z.number(), depth: z.number(), via: z.string() })),
      symbols: Matched,
      took_ms: z.number(),
    }),
  ),
  'code/concepts': method(
    z.object({ concept: z.string().max(60).optional(), k: z.number().int().min(1).max(5000).default(50) }).default({ k: 50 }),
    z.object({ concept: z.string().nullable(), results: z.array(z.union([ConceptSize, ConceptMember])), took_ms: z.number() }),
  ),
  'code/patterns': method(
    z.object({ pattern: z.string().max(60).optional() }).default({}),
    z.object({ results: z.array(PatternHit), took_ms: z.number() }),
  ),
  'code/symbolAt': method(
    z.object({ path: z.string().min(1).max(4096), line: z.number().int().min(1) }),
    z.object({ symbol: CodeSymbol.nullable(), took_ms: z.number() }),
  ),
};

export const codeEvents = {};
