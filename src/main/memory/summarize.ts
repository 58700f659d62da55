// An extractive summarizer for conversations (used when no LLM is configured): scores sentences by salient terms and cues, picks a diverse set (MMR), keeps their order.
import { jaccard, termSet, tokens } from './lexical';

export interface SummaryInput {
  role: string;
  content: string;
}

export interface SummarizeOptions {
  /** Length budget of the summary in characters. */
  maxChars?: number;
  /** The previous rolling summary: its lines compete with the new sentences, so the summary stays bounded. */
  previous?: string | null;
}

interface Sentence {
  text: string;
  role: 'user' | 'assistant' | 'summary';
  order: number;
  firstOfMessage: boolean;
  terms: Set<string>;
  toks: string[];
  score: number;
}

const ABBREV = /(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|mr|mrs|ms|dr|no|fig|st|jr|sr|inc|ltd)\.|\b[A-Z]\.)$/i;
const CUES = /\b(decid\w*|agree\w*|conclu\w*|root cause|fix(?:ed|es)?|because|instead|should|must|prefer\w*|error|fail\w*|solution|solved|works?|plan|next step|todo|need(?:s|ed)? to|turns out|the problem|the issue|so we|we will|i will|let's)\b/i;
const IDENT = /`[^`]+`|\b[a-z]+[A-Z]\w*\b|\b\w+_\w+\b|\b[\w-]+\.(?:ts|tsx|js|py|rs|go|java|json|md|sql|yml|yaml|toml)\b/;

/** Splits text into sentences, keeping code out and not breaking after "e.g." or inside file names. */
export function sentences(text: string): string[] {
  const noCode = text
    .replace(/```[\s\S]*?(```|$)/g, '\n')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/\*\*|__/g, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '\n');
  const out: string[] = [];
  for (const block of noCode.split(/\n\s*\n|\n(?=\S)/)) {
    const flat = block.replace(/\s+/g, ' ').trim();
    if (!flat) continue;
    const pieces = flat.split(/(?<=[.!?])\s+(?=["'`(\[]?[A-Z0-9])/);
    let cur = '';
    for (const p of pieces) {
      cur = cur ? `${cur} ${p}` : p;
      if (ABBREV.test(cur)) continue;
      out.push(cur);
      cur = '';
    }
    if (cur) out.push(cur);
  }
  return out.map((s) => (s.length > 320 ? s.slice(0, 317).replace(/\s+\S*$/, '') + '…' : s)).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export function extractiveSummary(messages: SummaryInput[], opts: SummarizeOptions = {}): string {
  const maxChars = opts.maxChars ?? 900;
  const cands: Sentence[] = [];
  let order = 0;
  for (const line of (opts.previous ?? '').split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const body = t.replace(/^(User|Mira|Earlier):\s*/, '');
    cands.push(mk(t.startsWith('User:') || t.startsWith('Mira:') || t.startsWith('Earlier:') ? t : `Earlier: ${t}`, 'summary', order++, false, body));
  }
  for (const m of messages) {
    if (m.role !== 'user' && m.role !== 'assistant') continue;
    sentences(m.content).forEach((s, i) => cands.push(mk(s, m.role as 'user' | 'assistant', order++, i === 0, s)));
  }
  if (!cands.length) return '';

  // Term weights: frequent across the conversation (what it is about) but not in every sentence (filler).
  const tf = new Map<string, number>();
  const df = new Map<string, number>();
  for (const c of cands) {
    for (const t of c.toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of c.terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const N = cands.length;
  const base = cands.map((c) => {
    let s = 0;
    for (const t of c.terms) s += Math.log(1 + (tf.get(t) ?? 0)) * Math.log(1 + N / (df.get(t) ?? 1));
    return s / Math.sqrt(c.toks.length + 1);
  });
  const maxBase = Math.max(...base) || 1;
  cands.forEach((c, i) => {
    const words = c.text.split(/\s+/).length;
    let score = 0.6 * (base[i]! / maxBase);
    if (c.role === 'user' && c.firstOfMessage) score += 0.2;
    if (c.role === 'user' && /\?\s*$/.test(c.text)) score += 0.1;
    if (CUES.test(c.text)) score += 0.2;
    if (IDENT.test(c.text)) score += 0.1;
    if (c.firstOfMessage) score += 0.05;
    if (c.role === 'summary') score = score * 0.9 + 0.1;
    if (words < 4) score -= 0.3;
    if (words > 45) score -= 0.2;
    c.score = score;
  });

  // Maximal marginal relevance: the best sentence that does not repeat what is already picked.
  const picked: Sentence[] = [];
  let used = 0;
  const firstUser = cands.find((c) => c.role === 'user');
  if (firstUser && !cands.some((c) => c.role === 'summary')) {
    picked.push(firstUser);
    used += firstUser.text.length + 7;
  }
  const pool = cands.filter((c) => !picked.includes(c));
  while (pool.length) {
    let bestI = -1;
    let best = -Infinity;
    pool.forEach((c, i) => {
      const redundancy = picked.reduce((m, p) => Math.max(m, jaccard(c.terms, p.terms)), 0);
      const v = c.score - 0.7 * redundancy;
      if (v > best) {
        best = v;
        bestI = i;
      }
    });
    if (bestI < 0 || best <= 0.05) break;
    const c = pool.splice(bestI, 1)[0]!;
    const cost = c.text.length + 7;
    if (used + cost > maxChars) {
      if (used > maxChars * 0.8) break;
      continue;
    }
    picked.push(c);
    used += cost;
  }
  return picked
    .sort((a, b) => a.order - b.order)
    .map((c) => (c.role === 'summary' ? c.text : `${c.role === 'user' ? 'User' : 'Mira'}: ${c.text}`))
    .join('\n');
}

function mk(text: string, role: Sentence['role'], order: number, firstOfMessage: boolean, body: string): Sentence {
  const toks = tokens(body);
  return { text, role, order, firstOfMessage, toks, terms: termSet(body), score: 0 };
}
