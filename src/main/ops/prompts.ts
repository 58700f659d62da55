// What an operation tells the model: how to work (plan, gather with tools, propose edits, summarize), the gathered context, and what failed verification said.
import type { ContextItem } from '../llm';

export function operationSystemPrompt(o: {
  project: { name: string; root: string };
  items: ContextItem[];
  plan: string | null;
  verify: string | null;
  baseline: string | null;
  tools: string[];
}): string {
  const lines = [
    `You are Mira, a coding assistant carrying out one task in the project "${o.project.name}" (root ${o.project.root}). Paths are relative to the root, with / separators.`,
    '',
    'How to work:',
    '1. Begin your first reply with a short plan (a few lines).',
    `2. Gather what you need with the tools (${o.tools.join(', ')}). Read a file with read_file before you edit it.`,
    '3. Propose every change with propose_edit {path, edit}. The edit is SEARCH/REPLACE blocks (preferred):',
    '<<<<<<< SEARCH',
    'lines copied exactly from the file',
    '=======',
    'the lines that replace them',
    '>>>>>>> REPLACE',
    '   or a unified diff, or the whole new content of the file (which also creates a new file). Several edits to one file build on each other.',
    '   Nothing is written until the user applies the changes. When an edit is refused, read the reason (and the file again) and send a corrected edit.',
    '4. When every change is proposed, reply with a short summary of what you changed and why, and call no tool.',
    'Change only what the task needs; keep the style of the surrounding code.',
  ];
  if (o.verify) lines.push('', `After your changes are applied, \`${o.verify}\` is run to verify them.`);
  if (o.baseline) lines.push('', '## The verification command before any change', o.baseline);
  const rest = o.items.filter((i) => i.kind !== 'plan');
  if (rest.length) {
    lines.push('', '## Context');
    rest.forEach((it, i) => lines.push(`[${i + 1}] (${it.kind}${it.path ? ` ${it.path}` : ''}) ${it.text}`));
  }
  if (o.plan) lines.push('', '## A plan that worked before on a similar task', o.plan, 'Follow it where it fits; adapt it where this task differs.');
  return lines.join('\n');
}

/** The verification result as the model reads it before another round. */
export function verificationReport(o: { command: string; exitCode: number | null; status: string; errors: { file: string | null; line: number | null; message: string }[]; tail: string }): string {
  const lines = [`\`${o.command}\` ${o.status === 'done' ? `exited with ${o.exitCode}` : `ended: ${o.status}`}.`];
  if (o.errors.length) {
    lines.push('Errors:');
    for (const e of o.errors.slice(0, 20)) lines.push(`- ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}`);
  }
  const tail = o.tail.trim();
  if (tail) lines.push('Output (end):', '```', tail.length > 3000 ? `…${tail.slice(-3000)}` : tail, '```');
  return lines.join('\n');
}

export function fixRoundMessage(report: string): string {
  return [
    'Your changes were applied, but the verification failed:',
    report,
    'The files now hold your applied changes. Find the cause, propose edits that fix it, then reply with a short summary and call no tool.',
  ].join('\n');
}
