// Learning from what the user says: explicit statements captured by rules ("I prefer ...", "we use ...", "always/never ...", "my name is ..."), or facts extracted by the LLM and merged with an add/update/replace/ignore decision.
import { z } from 'zod';
import type { FactStore, SetResult } from './facts';
import { isProfileCategory, normalizeKey } from './facts';
import type { LearnedPatterns, PatternChange } from './learned';
import { sentences } from './summarize';

export interface Extracted {
  target: 'profile' | 'fact' | 'pattern';
  /** Full key (`coding_style.indentation`, `stack.test_framework`, `rule.use_any`); for patterns, empty. */
  key: string;
  value: string;
  scope: 'global' | 'project';
  confidence: number;
  evidence: string;
  appliesWhen?: string;
}

export interface Learned {
  extracted: Extracted;
  result: SetResult | PatternChange;
}

/** Tools whose kind allows only one at a time: a new one replaces the old ("we moved from jest to vitest"). */
const EXCLUSIVE_TECH: Record<string, string[]> = {
  package_manager: ['npm', 'pnpm', 'yarn', 'bun'],
  test_framework: ['vitest', 'jest', 'mocha', 'jasmine', 'ava', 'pytest', 'unittest', 'rspec', 'junit', 'minitest'],
  formatter: ['prettier', 'black', 'rustfmt', 'gofmt', 'biome', 'dprint', 'yapf', 'autopep8'],
  linter: ['eslint', 'ruff', 'flake8', 'pylint', 'clippy', 'golangci-lint', 'oxlint', 'tslint', 'rubocop'],
  bundler: ['vite', 'webpack', 'esbuild', 'rollup', 'parcel', 'turbopack', 'rspack'],
  ui_framework: ['react', 'vue', 'svelte', 'angular', 'solid', 'preact', 'lit'],
  orm: ['prisma', 'drizzle', 'typeorm', 'sequelize', 'sqlalchemy', 'knex', 'mikro-orm'],
  editor: ['vim', 'neovim', 'emacs', 'vscode', 'vs code', 'intellij', 'webstorm', 'zed', 'sublime', 'cursor', 'helix'],
  state_management: ['redux', 'zustand', 'mobx', 'pinia', 'jotai', 'recoil', 'vuex'],
};

const KNOWN_TECH = new Set([
  ...Object.values(EXCLUSIVE_TECH).flat(),
  'typescript', 'javascript', 'python', 'rust', 'go', 'golang', 'java', 'kotlin', 'swift', 'ruby', 'php', 'c++', 'c#', 'scala', 'elixir', 'haskell', 'zig',
  'node', 'node.js', 'nodejs', 'deno', 'electron', 'next.js', 'nextjs', 'nuxt', 'remix', 'astro', 'express', 'fastify', 'nestjs', 'django', 'flask', 'fastapi', 'rails', 'spring',
  'postgres', 'postgresql', 'mysql', 'sqlite', 'mongodb', 'redis', 'kafka', 'docker', 'kubernetes', 'terraform', 'aws', 'gcp', 'azure', 'graphql', 'grpc', 'tailwind', 'zod',
  'git', 'github', 'gitlab', 'bazel', 'cmake', 'gradle', 'maven', 'cargo', 'poetry', 'uv', 'pip', 'conda', 'tokio', 'pandas', 'numpy', 'pytorch', 'tensorflow',
]);

function techCategory(name: string): string | null {
  for (const [cat, names] of Object.entries(EXCLUSIVE_TECH)) if (names.includes(name)) return cat;
  return null;
}

function slug(text: string, max = 4): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9\s#+.-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !/^(the|a|an|to|of|in|on|for|with|my|our|your|it|is|be|and|or|use|using|always|never|please|do|dont|don't|not)$/.test(w))
    .slice(0, max);
  return words.join('_').replace(/[.#+-]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}

const NEGATIVE = /\b(never|don'?t|do not|no|avoid|without|stop|not)\b/i;

interface StyleTopic {
  key: string;
  test: RegExp;
  value(m: RegExpMatchArray, negative: boolean, text: string): string | null;
}

/** Style and communication topics with a fixed key, so that opposite statements land on the same key. */
const STYLE_TOPICS: StyleTopic[] = [
  {
    key: 'coding_style.indentation',
    // The first one named wins: "tabs over spaces" is about tabs.
    test: /\b(tabs?|(\d+)[- ]?spaces?|spaces)\b/i,
    value: (m, neg) => {
      const tabs = /^tab/i.test(m[1]!);
      if (neg) return tabs ? 'spaces' : 'tabs';
      return tabs ? 'tabs' : m[2] ? `${m[2]} spaces` : 'spaces';
    },
  },
  { key: 'coding_style.quotes', test: /\b(single|double)[- ]quot/i, value: (m, neg) => (neg ? (m[1]!.toLowerCase() === 'single' ? 'double' : 'single') : m[1]!.toLowerCase()) + ' quotes' },
  { key: 'coding_style.semicolons', test: /\bsemi-?colons?\b/i, value: (_m, neg) => (neg ? 'never' : 'always') },
  { key: 'coding_style.trailing_commas', test: /\btrailing commas?\b/i, value: (_m, neg) => (neg ? 'never' : 'always') },
  { key: 'coding_style.naming', test: /\b(camelCase|snake_case|PascalCase|kebab-case)\b/i, value: (m, neg) => (neg ? null : m[1]!) },
  {
    key: 'communication_style.verbosity',
    test: /\b(short|brief|concise|terse|succinct|detailed|long|thorough|in-depth|verbose)\b[^.]*\b(answers?|responses?|explanations?|replies|summaries)\b|\b(answers?|responses?|explanations?|replies)\b[^.]*\b(short|brief|concise|terse|detailed|thorough|long)\b/i,
    value: (m, neg) => {
      const word = (m[1] ?? m[4] ?? '').toLowerCase();
      const concise = /short|brief|concise|terse|succinct/.test(word);
      return concise !== neg ? 'concise' : 'detailed';
    },
  },
  { key: 'communication_style.code_first', test: /\b(code first|show (me )?the code|just (the )?code)\b/i, value: (_m, neg) => (neg ? 'explain first' : 'code first') },
  { key: 'coding_style.comments', test: /\b(comments?)\b/i, value: (_m, neg, t) => (/\b(fewer|less|no|minimal)\b/i.test(t) || neg ? 'minimal' : /\b(more|detailed|lots)\b/i.test(t) ? 'thorough' : null) },
];

function styleFacts(clause: string, negative: boolean, evidence: string, confidence: number): Extracted[] {
  const out: Extracted[] = [];
  for (const t of STYLE_TOPICS) {
    const m = clause.match(t.test);
    if (!m) continue;
    const v = t.value(m, negative, clause);
    if (v) out.push({ target: 'profile', key: t.key, value: v, scope: 'global', confidence, evidence });
  }
  return out;
}

/** Tech names in a clause, in order of appearance ("TypeScript, React and pnpm"). */
function techIn(clause: string): string[] {
  const found: { name: string; at: number }[] = [];
  const lower = clause.toLowerCase();
  for (const name of KNOWN_TECH) {
    const re = new RegExp(`(^|[^a-z0-9+#.])${name.replace(/[.+#]/g, (c) => '\\' + c)}(?![a-z0-9+#])`, 'i');
    const m = re.exec(lower);
    if (m) found.push({ name, at: m.index });
  }
  // "node.js" also matches "node": keep the longest name found at a position.
  return found
    .sort((a, b) => a.at - b.at || b.name.length - a.name.length)
    .filter((f, i, arr) => !arr.some((g, j) => j !== i && g.at <= f.at && g.at + g.name.length >= f.at + f.name.length && g.name.length > f.name.length))
    .map((f) => f.name);
}

function techFacts(clause: string, who: 'i' | 'we', evidence: string, confidence: number): Extracted[] {
  const out: Extracted[] = [];
  // "switched from jest to vitest": only what comes after "to" is used now.
  const to = clause.match(/\b(?:from\s+.+?\s+)?to\s+(.+)$/i);
  const names = techIn(/\b(switch|mov|migrat)/i.test(clause) && to ? to[1]! : clause);
  for (const name of names) {
    const cat = techCategory(name);
    const key = cat ? `${cat}` : slug(name, 3);
    if (!key) continue;
    const display = name;
    if (who === 'we') out.push({ target: 'fact', key: `stack.${key}`, value: display, scope: 'project', confidence, evidence });
    else out.push({ target: 'profile', key: `tech_stack.${key}`, value: display, scope: 'global', confidence, evidence });
  }
  return out;
}

/**
 * Explicit statements in a user's message, by rule. Questions and quoted code are ignored; each statement is kept
 * with the sentence it came from as evidence.
 */
/** The statements in one clause, by the first rule that matches it. */
function clauseStatements(s: string, evidence: string): Extracted[] {
  const out: Extracted[] = [];
  if (!s) return out;
  let m: RegExpMatchArray | null;
  const named = s.match(/\b(?:my name is|call me|i am called|i'm called)\s+(.+)$/i);
  if (named && (m = named[1]!.match(/^(\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*){0,2})/u))) {
    out.push({ target: 'profile', key: 'identity.name', value: m[1]!, scope: 'global', confidence: 0.95, evidence });
    return out;
  }
  if ((m = s.match(/\bi(?:'m| am) (?:a|an) ((?:senior |junior |staff |principal |lead )?[\w -]{2,40}?(?:developer|engineer|programmer|designer|scientist|student|architect|researcher))\b/i))) {
    out.push({ target: 'profile', key: 'identity.role', value: m[1]!.trim(), scope: 'global', confidence: 0.85, evidence });
    return out;
  }
  if ((m = s.match(/\bi (?:usually|typically|normally|tend to|always|never)\s+(.+?)[.!]*$/i))) {
    const habit = m[0].replace(/^.*?\bi\s+/i, '').replace(/[.!]+$/, '');
    out.push({ target: 'pattern', key: '', value: `the user ${habit}`, scope: 'global', confidence: 0.6, evidence });
    out.push(...styleFacts(m[1]!, /\bnever\b/i.test(m[0]), evidence, 0.7));
    return out;
  }
  if ((m = s.match(/\bi (?:really |strongly |much |generally )?(?:prefer|like|love|favou?r)\s+(.+?)[.!]*$/i))) {
    const obj = m[1]!;
    const main = obj.split(/\b(?:over|instead of|rather than|to|than)\b/i)[0]!.trim();
    const style = styleFacts(obj, NEGATIVE.test(main), evidence, 0.85);
    const tech = style.length ? [] : techFacts(main, 'i', evidence, 0.8);
    if (style.length || tech.length) out.push(...style, ...tech);
    else if (main && !/^(this|that|it|these|those|your|you|what|how|the way|the idea)\b/i.test(main)) {
      const key = slug(main);
      if (key) out.push({ target: 'profile', key: `preferences.${key}`, value: main, scope: 'global', confidence: 0.75, evidence });
    }
    return out;
  }
  if ((m = s.match(/\b(i|we)(?:'re| are| am)?\s+(?:now\s+)?(?:use|using|uses|rely on|work with|write|code in|build with|switched|switching|moved|moving|migrated|migrating)\b\s*(.+?)[.!]*$/i))) {
    const who = m[1]!.toLowerCase() === 'we' ? 'we' : 'i';
    const rest = s.slice(s.toLowerCase().indexOf(m[0].toLowerCase()));
    out.push(...techFacts(rest, who, evidence, 0.8));
    return out;
  }
  if ((m = s.match(/\bour (?:stack|tech stack|backend|frontend|project) (?:is|uses)\s+(.+?)[.!]*$/i))) {
    out.push(...techFacts(m[1]!, 'we', evidence, 0.8));
    return out;
  }
  if ((m = s.match(/^(?:please\s+|you should\s+|you must\s+|make sure to\s+)?(always|never|don'?t ever|don'?t|do not)\s+(.+?)[.!]*$/i))) {
    const negative = !/^always$/i.test(m[1]!);
    const action = m[2]!.trim();
    const style = styleFacts(action, negative, evidence, 0.85);
    if (style.length) out.push(...style);
    else {
      const key = slug(action, 5);
      if (key) out.push({ target: 'fact', key: `rule.${key}`, value: `${negative ? 'never' : 'always'} ${action}`, scope: 'global', confidence: 0.85, evidence });
    }
  }
  return out;
}

export function extractStatements(text: string): Extracted[] {
  const out: Extracted[] = [];
  for (const raw of sentences(text)) {
    const sentence = raw.replace(/\s+/g, ' ').trim();
    if (!sentence || /\?\s*$/.test(sentence)) continue;
    let m: RegExpMatchArray | null;
    // "When X, Y" spans the whole sentence, so it is tried before the sentence is cut into clauses.
    if ((m = sentence.match(/^(?:and |but |so |also )?(?:when(?:ever)?|each time|every time|if)\s+(.+?),\s*(?:please\s+|then\s+|you should\s+|always\s+)*(.+)$/i))) {
      const action = m[2]!.replace(/[.!]+$/, '');
      if (action.split(/\s+/).length >= 2) {
        out.push({ target: 'pattern', key: '', value: action, appliesWhen: m[1]!.trim(), scope: 'global', confidence: 0.7, evidence: sentence.slice(0, 300) });
        continue;
      }
    }
    // "Never use semicolons, and I prefer single quotes" holds two statements.
    for (const clause of sentence.split(/\s*[;,]\s*(?:and\s+|but\s+|also\s+|so\s+)?(?=(?:i|we|always|never|please|don'?t|do not|my|our)\b)/i)) {
      out.push(...clauseStatements(clause.trim(), sentence.slice(0, 300)));
    }
  }
  // One key, one value: a later statement in the same message wins.
  const seen = new Map<string, Extracted>();
  for (const e of out) seen.set(e.target === 'pattern' ? `p:${e.value}` : `${e.target}:${e.key}`, e);
  return [...seen.values()];
}

/** Cheap test for whether a message may hold something worth remembering (so the LLM is not asked about every message). */
export function hasMemorySignals(text: string): boolean {
  return /\b(i prefer|i like|i love|i use|i'm using|we use|we're using|we switched|we moved|we migrated|my name|call me|i am a|i'm a|always|never|don't ever|please don't|from now on|remember|when i|whenever|every time|each time|our stack|i usually|i tend to|i normally|i'm called|i am called)\b/i.test(text);
}

export function applyExtracted(items: Extracted[], facts: FactStore, learned: LearnedPatterns, opts: { projectId: number | null; source: string }): Learned[] {
  const out: Learned[] = [];
  for (const e of items) {
    if (e.target === 'pattern') {
      out.push({ extracted: e, result: learned.observe({ pattern: e.value, appliesWhen: e.appliesWhen, projectId: null, source: opts.source, confidence: e.confidence, category: 'stated' }) });
      continue;
    }
    // A team fact said with no project open is still worth keeping, as a global one.
    const projectId = e.scope === 'project' ? opts.projectId : null;
    out.push({ extracted: e, result: facts.set(e.key, { value: e.value, projectId, confidence: e.confidence, source: opts.source, evidence: e.evidence }) });
  }
  return out;
}

export const LlmExtractionSchema = z.object({
  facts: z
    .array(
      z.object({
        kind: z.enum(['profile', 'fact', 'pattern']).catch('fact'),
        key: z.string().default(''),
        value: z.string(),
        decision: z.enum(['add', 'update', 'replace', 'ignore']).catch('add'),
        confidence: z.number().min(0).max(1).catch(0.7),
        scope: z.enum(['global', 'project']).catch('global'),
        applies_when: z.string().optional(),
      }),
    )
    .default([]),
});

export const EXTRACTION_MARKER = 'MIRA_MEMORY_EXTRACTION';

/** The prompt asking the LLM for durable facts, showing what is already known so it can decide update, replace or ignore. */
export function extractionPrompt(message: string, known: { key: string; value: string }[]): { system: string; user: string } {
  const system = [
    `${EXTRACTION_MARKER}: you maintain the long-term memory of a coding assistant about its user and their projects.`,
    'From the user message, extract only durable facts: preferences, coding style, tech stack, communication style, identity, standing rules ("always/never ..."), and habits with when they apply.',
    'Ignore details of the task at hand, questions, and anything uncertain.',
    'Keys are dotted snake_case. Profile keys start with preferences., coding_style., tech_stack., communication_style. or identity.; facts about the current project start with project. or stack. (scope "project"); standing rules start with rule.; habits have kind "pattern", an empty key and applies_when.',
    'For each fact decide against the known memory: "add" (new key), "update" (same key, confirmed or refined), "replace" (contradicts a known key: reuse that key with the new value), "ignore" (already known exactly, or not durable).',
    'Answer with JSON only: {"facts":[{"kind":"profile|fact|pattern","key":"...","value":"...","decision":"add|update|replace|ignore","confidence":0.0-1.0,"scope":"global|project","applies_when":"..."}]}. Answer {"facts":[]} when there is nothing.',
  ].join('\n');
  const memory = known.length ? known.map((k) => `${k.key} = ${k.value}`).join('\n') : '(nothing yet)';
  return { system, user: `Known memory:\n${memory}\n\nUser message:\n${message}` };
}

/** Parses the LLM's answer into statements to store; a malformed answer is null (the caller falls back to the rules), never junk. */
export function parseExtraction(content: string, message: string): Extracted[] | null {
  const json = content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    const m = json.match(/\{[\s\S]*\}/);
    if (!m) return null;
    try {
      raw = JSON.parse(m[0]);
    } catch {
      return null;
    }
  }
  const parsed = LlmExtractionSchema.safeParse(raw);
  if (!parsed.success) return null;
  const out: Extracted[] = [];
  for (const f of parsed.data.facts) {
    if (f.decision === 'ignore' || !f.value.trim()) continue;
    const evidence = message.slice(0, 300);
    const confidence = Math.max(0.3, Math.min(0.95, f.confidence));
    if (f.kind === 'pattern') {
      out.push({ target: 'pattern', key: '', value: f.value.trim(), appliesWhen: f.applies_when?.trim(), scope: 'global', confidence, evidence });
      continue;
    }
    let key: string;
    try {
      key = normalizeKey(f.key || slug(f.value));
    } catch {
      continue;
    }
    const head = key.split('.')[0] ?? '';
    const target = isProfileCategory(head) && key.includes('.') ? 'profile' : 'fact';
    out.push({ target, key, value: f.value.trim(), scope: target === 'profile' ? 'global' : f.scope, confidence, evidence });
  }
  return out;
}
