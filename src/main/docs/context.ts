// The assistant's context from documents: the chunks of the open project's documents that match the question, within a token budget.
import { fitToBudget, type ContextItem, type ContextProvider, type GatherOptions, type GatheredContext } from '../llm';
import type { DocHit } from './service';

export interface DocsSearcher {
  searchDocs(projectId: number, query: string, k: number): Promise<DocHit[]>;
}

/** Plugs documents into the LLM layer next to the code oracle; it reads the project from the gather options, so one instance serves every project. */
export class DocsContextProvider implements ContextProvider {
  constructor(private readonly docs: DocsSearcher, private readonly opts: { k?: number; minScore?: number } = {}) {}

  async gather(question: string, opts: GatherOptions): Promise<GatheredContext> {
    if (opts.projectId === null || opts.maxTokens <= 0) return { items: [], tokens: 0 };
    const hits = await this.docs.searchDocs(opts.projectId, question, this.opts.k ?? 6);
    const items: ContextItem[] = hits
      .filter((h) => h.score >= (this.opts.minScore ?? 0))
      .map((h) => ({
        kind: 'doc',
        path: h.path,
        text: `${h.title}${h.heading ? ` — ${h.heading}` : ''}\n${h.text}`,
        reason: `from the document ${h.title} (${h.reasons.join(', ')})`,
        score: h.score,
        ref: `document_chunk:${h.chunk_id}`,
      }));
    return fitToBudget(items, opts.maxTokens);
  }
}
