// Recall: the memories worth putting in front of a question, ranked by similarity, recency, salience and project.
import type { ConversationRow, Conversations } from './conversations';
import type { FactStore } from './facts';
import type { LearnedPatterns } from './learned';
import { similarity } from './lexical';

export type MemoryKind = 'profile' | 'fact' | 'pattern' | 'conversation';

export interface RecallItem {
  kind: MemoryKind;
  key: string;
  text: string;
  score: number;
  reasons: string[];
  project_id: number | null;
}

export interface RecallOptions {
  projectId?: number | null;
  k?: number;
  kinds?: MemoryKind[];
  /** Leave this conversation's own summary out (it is in the prompt already). */
  excludeConversation?: number | null;
  /** Count the recalled facts as referenced (true when they go into a prompt). */
  touch?: boolean;
  minScore?: number;
}

/** Optional semantic similarity (0..1 per text); the lexical score is used alone until one is set. */
export type VectorScorer = (query: string, texts: string[]) => Promise<number[]>;

interface Candidate {
  kind: MemoryKind;
  key: string;
  text: string;
  at: string;
  confidence: number;
  refs: number;
  projectId: number | null;
  touch?: () => void;
}

const WEIGHTS = { similarity: 0.55, recency: 0.15, salience: 0.2, project: 0.1 };
const HALF_LIFE_DAYS = 30;

export class Recall {
  private vector: VectorScorer | null = null;

  constructor(
    private readonly facts: FactStore,
    private readonly learned: LearnedPatterns,
    private readonly conversations: Conversations,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The hook for vector similarity: once set, an item's similarity is the better of the lexical and the vector score. */
  setVectorScorer(fn: VectorScorer | null): void {
    this.vector = fn;
  }

  async recall(query: string, opts: RecallOptions = {}): Promise<RecallItem[]> {
    const projectId = opts.projectId ?? null;
    const kinds = new Set(opts.kinds ?? ['profile', 'fact', 'pattern', 'conversation']);
    const cands: Candidate[] = [];
    if (kinds.has('profile')) {
      for (const r of this.facts.profileRows()) {
        cands.push({
          kind: 'profile',
          key: `${r.category}.${r.key}`,
          text: `${r.category.replace(/_/g, ' ')} / ${r.key.replace(/_/g, ' ')}: ${r.value}`,
          at: r.updated_at,
          confidence: r.confidence,
          refs: r.times_referenced,
          projectId: null,
          touch: () => this.facts.touchProfile([{ category: r.category, key: r.key }]),
        });
      }
    }
    if (kinds.has('fact')) {
      for (const f of this.facts.facts(projectId)) {
        cands.push({
          kind: 'fact',
          key: f.key,
          text: `${f.key.replace(/[._]/g, ' ')}: ${f.value}`,
          at: f.last_confirmed_at,
          confidence: f.confidence,
          refs: f.times_referenced,
          projectId: f.project_id,
          touch: () => this.facts.touchFacts([f.id]),
        });
      }
    }
    if (kinds.has('pattern')) {
      for (const p of this.learned.list({ projectId })) {
        cands.push({
          kind: 'pattern',
          key: `pattern:${p.id}`,
          text: p.applies_when ? `${p.pattern} (when ${p.applies_when})` : p.pattern,
          at: p.last_seen_at,
          confidence: p.confidence,
          refs: p.confirmations,
          projectId: p.project_id,
        });
      }
    }
    if (kinds.has('conversation')) {
      for (const c of this.conversations.withSummaries(projectId, 100) as ConversationRow[]) {
        if (c.id === opts.excludeConversation || !c.summary) continue;
        cands.push({ kind: 'conversation', key: `conversation:${c.id}`, text: `${c.title}\n${c.summary}`, at: c.updated_at, confidence: 0.6, refs: 0, projectId: c.project_id });
      }
    }
    if (!cands.length) return [];

    const texts = cands.map((c) => c.text);
    let sims = similarity(query, texts);
    if (this.vector) {
      try {
        const v = await this.vector(query, texts);
        sims = sims.map((s, i) => Math.max(s, v[i] ?? 0));
      } catch {
        /* vectors are an improvement, never a requirement */
      }
    }
    const nowMs = this.now().getTime();
    const scored = cands.map((c, i) => {
      const sim = sims[i]!;
      const ageDays = Math.max(0, (nowMs - Date.parse(c.at)) / 86_400_000) || 0;
      const recency = Math.pow(0.5, ageDays / HALF_LIFE_DAYS);
      const salience = Math.min(1, c.confidence * (0.75 + 0.25 * Math.min(1, Math.log1p(c.refs) / Math.log(10))));
      const project = c.projectId === null ? 0.6 : c.projectId === projectId ? 1 : 0;
      const score = WEIGHTS.similarity * sim + WEIGHTS.recency * recency + WEIGHTS.salience * salience + WEIGHTS.project * project;
      const reasons: string[] = [];
      if (sim > 0) reasons.push(`matches the question (${sim.toFixed(2)})`);
      if (recency > 0.8) reasons.push('recent');
      if (salience > 0.8) reasons.push('confident');
      if (c.projectId !== null && c.projectId === projectId) reasons.push('this project');
      if (c.kind === 'profile' && sim === 0) reasons.push('profile');
      return { c, sim, score, reasons };
    });
    // Unrelated memories stay out, except the profile, which shapes every answer.
    const kept = scored.filter((s) => s.sim > 0 || s.c.kind === 'profile').filter((s) => s.score >= (opts.minScore ?? 0.2));
    kept.sort((a, b) => b.score - a.score);
    const top = kept.slice(0, opts.k ?? 12);
    if (opts.touch) for (const t of top) t.c.touch?.();
    return top.map((t) => ({ kind: t.c.kind, key: t.c.key, text: t.c.text, score: Math.round(t.score * 1000) / 1000, reasons: t.reasons, project_id: t.c.projectId }));
  }
}
