// Activity log wording shared by the live log (renderer) and the stored log read back (activity/recent).

function usd(n: number): string {
  return n < 0.01 && n > 0 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** One LLM call as the Activity panel lists it: what for, model, tokens, cost, time, error. */
export function llmCallMessage(c: { kind: string; purpose?: string | null; model: string; effort?: string | null; tokens_in: number; tokens_out: number; cost_usd: number; took_ms?: number | null; error?: string | null }): string {
  const what = c.purpose ? `${c.kind} for ${c.purpose}` : c.kind;
  const tokens = c.kind === 'chat' ? `${c.tokens_in} in / ${c.tokens_out} out` : `${c.tokens_in} tokens`;
  return `${what} · ${c.model}${c.effort ? ` (${c.effort})` : ''} · ${tokens} · ${usd(c.cost_usd)}${c.took_ms != null ? ` · ${c.took_ms} ms` : ''}${c.error ? ` · ${c.error}` : ''}`;
}
