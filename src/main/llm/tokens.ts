// Token counts with the o200k_base encoding (GPT-4o, GPT-5 family), used to estimate a call's cost before it is sent.
import type { Tiktoken } from 'js-tiktoken/lite';

let encoder: Tiktoken | null = null;
let loading: Promise<Tiktoken> | null = null;

/** Loads the encoder once per process (its rank table takes about half a second to read). */
export async function loadEncoder(): Promise<Tiktoken> {
  if (encoder) return encoder;
  loading ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]);
    encoder = new Tiktoken(ranks.default);
    return encoder;
  })();
  return loading;
}

/** Exact when the encoder is loaded, otherwise a conservative guess (a token is about 4 characters of English, fewer of code). */
export function countTokens(text: string): number {
  if (!text) return 0;
  if (encoder) return encoder.encode(text, [], []).length;
  return Math.ceil(text.length / 3);
}

export async function countTokensAsync(text: string): Promise<number> {
  await loadEncoder();
  return countTokens(text);
}

/** Chat-format overhead per OpenAI's cookbook: about 3 tokens per message plus 3 to prime the reply. */
export function countMessageTokens(messages: { role: string; content?: string | null; tool_calls?: unknown; name?: string }[], tools?: unknown): number {
  let n = 3;
  for (const m of messages) {
    n += 3 + countTokens(m.content ?? '') + countTokens(m.role);
    if (m.tool_calls) n += countTokens(JSON.stringify(m.tool_calls));
    if (m.name) n += 1 + countTokens(m.name);
  }
  if (tools) n += countTokens(JSON.stringify(tools));
  return n;
}
