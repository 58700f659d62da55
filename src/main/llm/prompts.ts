// The assistant's prompts: the system prompt with the user's profile and the gathered context, and the conversation history.
import type { ProfileCategory } from '../memory';
import type { ContextItem } from './context';
import type { ChatMessage } from './provider';

export interface PromptProject {
  name: string;
  root: string;
}

export function systemPrompt(opts: {
  project: PromptProject | null;
  profile: Record<ProfileCategory, Record<string, string>>;
  items: ContextItem[];
  summary: string | null;
  tools: string[];
}): string {
  const lines: string[] = [
    'You are Mira, a local-first coding assistant. You know the user\'s code, its history, its builds, and the user.',
    opts.project ? `The open project is "${opts.project.name}" at ${opts.project.root}. Paths are relative to its root.` : 'No project is open.',
    'Ground your answer in the context below and say plainly when it is not enough. Prefer concrete file paths, symbols and code.',
  ];
  const style = opts.profile.communication_style;
  if (style.verbosity === 'concise') lines.push('The user wants short, direct answers.');
  if (style.verbosity === 'detailed') lines.push('The user likes thorough explanations.');
  if (style.code_first === 'code first') lines.push('Lead with the code, then explain briefly.');
  if (opts.profile.identity.name) lines.push(`The user's name is ${opts.profile.identity.name}.`);
  const coding = Object.entries(opts.profile.coding_style);
  if (coding.length) lines.push(`Code style to follow: ${coding.map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`).join('; ')}.`);
  if (opts.tools.length) lines.push(`You may call tools (${opts.tools.join(', ')}) to look things up; tools that change anything ask the user first.`);
  if (opts.summary) lines.push('', '## Earlier in this conversation', opts.summary);
  const plan = opts.items.filter((i) => i.kind === 'plan');
  const rest = opts.items.filter((i) => i.kind !== 'plan');
  if (rest.length) {
    lines.push('', '## Context');
    rest.forEach((it, i) => lines.push(`[${i + 1}] (${it.kind}${it.path ? ` ${it.path}` : ''}) ${it.text}`));
  }
  if (plan.length) {
    lines.push('', '## A plan that worked before', ...plan.map((p) => p.text), 'Follow it where it fits; adapt it where the task differs.');
  }
  return lines.join('\n');
}

export function historyMessages(rows: { role: string; content: string }[]): ChatMessage[] {
  return rows
    .filter((r) => (r.role === 'user' || r.role === 'assistant') && r.content.trim())
    .map((r) => (r.role === 'user' ? { role: 'user' as const, content: r.content } : { role: 'assistant' as const, content: r.content }));
}
