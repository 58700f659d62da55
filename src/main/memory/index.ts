// Personal memory's public face: profile and facts, learned patterns, conversations with rolling summaries, recall, reasoning patterns, and learning from what the user says.
import type { Db } from '../db/open';
import { Conversations } from './conversations';
import { FactStore } from './facts';
import { applyExtracted, extractionPrompt, extractStatements, hasMemorySignals, parseExtraction, type Learned } from './learn';
import { LearnedPatterns } from './learned';
import { Recall } from './recall';
import { ReasoningPatterns } from './reasoning';
import { extractiveSummary } from './summarize';

export * from './conversations';
export * from './facts';
export * from './learn';
export * from './learned';
export * from './recall';
export * from './reasoning';
export * from './summarize';
export { bm25, similarity, tokens } from './lexical';

/** What memory needs from an LLM; memory never imports the LLM layer, the caller passes this in. */
export interface MemoryLlm {
  complete(system: string, user: string, opts: { purpose: string; json?: boolean; signal?: AbortSignal }): Promise<string>;
}

export interface LearnResult {
  method: 'llm' | 'rules' | 'none';
  learned: Learned[];
  /** Why the LLM was not used when it could have been (e.g. the budget refused it). */
  fallback?: string;
}

export const SUMMARY_MARKER = 'MIRA_CONVERSATION_SUMMARY';

export class Memory {
  readonly facts: FactStore;
  readonly learned: LearnedPatterns;
  readonly conversations: Conversations;
  readonly recall: Recall;
  readonly reasoning: ReasoningPatterns;

  constructor(readonly db: Db, now: () => Date = () => new Date()) {
    this.facts = new FactStore(db, now);
    this.learned = new LearnedPatterns(db, now);
    this.conversations = new Conversations(db, now);
    this.recall = new Recall(this.facts, this.learned, this.conversations, now);
    this.reasoning = new ReasoningPatterns(db, now);
  }

  /**
   * Learns from a user message. With an LLM (mode 'auto'), facts are extracted and merged with an add/update/replace/ignore
   * decision; without one, or when the LLM call fails, explicit statements are captured by rules.
   */
  async learnFrom(text: string, opts: { projectId: number | null; llm?: MemoryLlm | null; mode?: 'auto' | 'rules' | 'off'; signal?: AbortSignal }): Promise<LearnResult> {
    const mode = opts.mode ?? 'auto';
    if (mode === 'off' || !hasMemorySignals(text)) return { method: 'none', learned: [] };
    let fallback: string | undefined;
    if (mode === 'auto' && opts.llm) {
      try {
        const known = [
          ...this.facts.profileRows().map((r) => ({ key: `${r.category}.${r.key}`, value: r.value })),
          ...this.facts.facts(opts.projectId).map((f) => ({ key: f.key, value: f.value })),
        ].slice(0, 200);
        const prompt = extractionPrompt(text, known);
        const answer = await opts.llm.complete(prompt.system, prompt.user, { purpose: 'memory:extract', json: true, signal: opts.signal });
        const items = parseExtraction(answer, text);
        if (!items) throw new Error('the model did not answer with the JSON asked for');
        return { method: 'llm', learned: applyExtracted(items, this.facts, this.learned, { projectId: opts.projectId, source: 'llm' }) };
      } catch (e) {
        fallback = (e as Error).message;
      }
    }
    const items = extractStatements(text);
    return { method: items.length ? 'rules' : 'none', learned: applyExtracted(items, this.facts, this.learned, { projectId: opts.projectId, source: 'rule' }), fallback };
  }

  /** Folds the messages since the last summary into a new rolling summary once there are `every` of them. */
  async maybeSummarize(conversationId: number, opts: { every: number; llm?: MemoryLlm | null; force?: boolean; signal?: AbortSignal }): Promise<{ summarized: boolean; method?: 'llm' | 'extractive' }> {
    const conv = this.conversations.get(conversationId);
    const pending = this.conversations.messagesAfter(conversationId, conv.summary_upto).filter((m) => m.role === 'user' || m.role === 'assistant');
    if (!pending.length || (!opts.force && pending.length < opts.every)) return { summarized: false };
    const last = pending.at(-1)!;
    let summary = '';
    let method: 'llm' | 'extractive' = 'extractive';
    if (opts.llm) {
      try {
        const transcript = pending.map((m) => `${m.role === 'user' ? 'User' : 'Mira'}: ${m.content.length > 2000 ? m.content.slice(0, 2000) + ' …' : m.content}`).join('\n\n');
        summary = (
          await opts.llm.complete(
            `${SUMMARY_MARKER}: summarize a conversation between a developer and Mira, a coding assistant, so it can be continued later. Keep decisions, facts about the code (files, symbols, errors), what was tried and what worked, open questions, and the user's stated preferences. Plain sentences, at most 150 words.`,
            `${conv.summary ? `Summary so far:\n${conv.summary}\n\n` : ''}New messages:\n${transcript}`,
            { purpose: 'memory:summary', signal: opts.signal },
          )
        ).trim();
        method = 'llm';
      } catch {
        summary = '';
      }
    }
    if (!summary) {
      summary = extractiveSummary(pending.map((m) => ({ role: m.role, content: m.content })), { previous: conv.summary, maxChars: 900 });
      method = 'extractive';
    }
    if (!summary) return { summarized: false };
    this.conversations.setSummary(conversationId, summary, last.id, method);
    return { summarized: true, method };
  }
}

const byDb = new WeakMap<Db, Memory>();

/** One Memory per database, so every face and handler shares the same prepared statements. */
export function memoryFor(db: Db): Memory {
  let m = byDb.get(db);
  if (!m) {
    m = new Memory(db);
    byDb.set(db, m);
  }
  return m;
}
