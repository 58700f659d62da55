// Per-symbol LLM analyses (concepts, pattern validation) through the analysis cache: only symbols whose content hash is new are sent, in batches; includes the concept enricher the code index plugs in.
import { z } from 'zod';
import type { ConceptEnricher, EnrichInput, SemanticNode } from '../code';
import type { LlmService } from './service';

export interface SymbolForAnalysis {
  /** Hash of the symbol's source text: the cache key, with the kind of analysis and the model. */
  hash: string;
  name: string;
  kind: string;
  path: string;
  signature?: string | null;
  doc?: string | null;
  /** The source text, when the analysis needs it (pattern validation); concepts work from name, signature and doc. */
  text?: string;
}

export interface AnalysisRun<T> {
  results: Map<string, T>;
  /** Symbols answered by the cache. */
  cached: number;
  /** Symbols sent to the model. */
  asked: number;
  /** Model calls made (several symbols share a call when batched). */
  calls: number;
  costUsd: number;
}

export interface AnalysisKind<T> {
  /** Cache namespace, e.g. 'concepts' or 'pattern_validation'. */
  name: string;
  /** What the model is asked, for a batch of symbols. */
  system: string;
  describe(s: SymbolForAnalysis): Record<string, unknown>;
  /** Validates one symbol's answer; invalid answers are not cached. */
  parse(raw: unknown): T | null;
}

const ConceptAnswer = z.object({
  purpose: z.string().nullable().catch(null),
  concepts: z.array(z.object({ concept: z.string(), score: z.number().min(0).max(1).catch(0.5) })).max(5).catch([]),
  domains: z.array(z.string()).max(5).catch([]),
  confidence: z.number().min(0).max(1).catch(0.6),
});

export const CONCEPTS: AnalysisKind<SemanticNode> = {
  name: 'concepts',
  system:
    'You tag code symbols with what they are for. For each symbol answer its purpose in one sentence, up to 3 concepts ' +
    '(short lower-case nouns such as "authentication", "caching", "parsing") with a score from 0 to 1, up to 2 domains, and your confidence. ' +
    'Answer JSON only: {"symbols":[{"hash":"...","purpose":"...","concepts":[{"concept":"...","score":0.9}],"domains":["..."],"confidence":0.8}]}',
  describe: (s) => ({ hash: s.hash, name: s.name, kind: s.kind, path: s.path, signature: s.signature ?? null, doc: s.doc ?? null }),
  parse: (raw) => {
    const r = ConceptAnswer.safeParse(raw);
    return r.success ? { purpose: r.data.purpose, concepts: r.data.concepts, domains: r.data.domains, confidence: r.data.confidence } : null;
  },
};

export class SymbolAnalyzer {
  constructor(
    private readonly llm: LlmService,
    private readonly opts: { model?: string; batch?: number; concurrency?: number; projectId?: number | null } = {},
  ) {}

  get model(): string {
    return this.opts.model ?? this.llm.settings.model;
  }

  /** Analyses symbols, asking the model only about content hashes it has not answered before for this kind and model. */
  async run<T>(kind: AnalysisKind<T>, symbols: SymbolForAnalysis[], signal?: AbortSignal): Promise<AnalysisRun<T>> {
    const out: AnalysisRun<T> = { results: new Map(), cached: 0, asked: 0, calls: 0, costUsd: 0 };
    const misses: SymbolForAnalysis[] = [];
    const seen = new Set<string>();
    for (const s of symbols) {
      if (seen.has(s.hash)) continue;
      seen.add(s.hash);
      const hit = this.llm.analysis.get<T>(kind.name, s.hash, this.model);
      if (hit !== undefined) {
        out.results.set(s.hash, hit);
        out.cached++;
      } else misses.push(s);
    }
    const size = Math.max(1, this.opts.batch ?? 20);
    const batches: SymbolForAnalysis[][] = [];
    for (let i = 0; i < misses.length; i += size) batches.push(misses.slice(i, i + size));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const r = await this.llm.chat(
          {
            model: this.model,
            effort: 'low',
            responseFormat: 'json',
            messages: [
              { role: 'system', content: kind.system },
              { role: 'user', content: JSON.stringify({ symbols: batch.map((s) => kind.describe(s)) }) },
            ],
          },
          // The analysis cache is the cache here: a response cache keyed on a whole batch would rarely hit again.
          { purpose: `analysis:${kind.name}`, cache: 'bypass', signal, projectId: this.opts.projectId ?? null },
        );
        out.calls++;
        out.asked += batch.length;
        out.costUsd += r.costUsd;
        const answers = parseBatch(r.content);
        const share = r.costUsd / batch.length;
        for (const s of batch) {
          const raw = answers.get(s.hash) ?? (batch.length === 1 ? answers.get('*') : undefined);
          const parsed = raw === undefined ? null : kind.parse(raw);
          if (parsed === null) continue;
          this.llm.analysis.put(kind.name, s.hash, this.model, parsed, share);
          out.results.set(s.hash, parsed);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, batches.length) }, worker));
    return out;
  }
}

/** Answers by hash; a lone answer without a hash is filed under '*' (a batch of one). */
function parseBatch(content: string): Map<string, unknown> {
  const map = new Map<string, unknown>();
  let raw: unknown;
  try {
    raw = JSON.parse(content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, ''));
  } catch {
    return map;
  }
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { symbols?: unknown }).symbols) ? (raw as { symbols: unknown[] }).symbols : [raw];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const h = (item as { hash?: unknown }).hash;
    map.set(typeof h === 'string' ? h : '*', item);
  }
  return map;
}

/** The code index's ConceptEnricher, backed by the LLM and the analysis cache. */
export function llmConceptEnricher(llm: LlmService, opts: { model?: string; projectId?: number | null } = {}): ConceptEnricher {
  const analyzer = new SymbolAnalyzer(llm, { model: opts.model, projectId: opts.projectId });
  return {
    name: `llm:${analyzer.model}`,
    async enrich(symbols: EnrichInput[]): Promise<Map<string, SemanticNode>> {
      const run = await analyzer.run(CONCEPTS, symbols.map((s) => ({ hash: s.hash, name: s.name, kind: s.kind, path: s.path, signature: s.signature, doc: s.doc })));
      return run.results;
    },
  };
}
