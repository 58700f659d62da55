// Offers the project's synthesized tools to the LLM assistant as callable tools (the LlmTool shape of src/main/llm/tools.ts).
import type { LlmTool } from '../llm/tools';
import type { RunResult, ToolsService } from './service';

/** 'new-locale' -> 'tool_new-locale': letters, digits, _ and - only, 64 at most (OpenAI's rule for function names). */
export function llmToolName(name: string): string {
  return `tool_${name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/**
 * One LlmTool per active synthesized tool. Running one proposes a change set (run in the sandbox, recorded as an
 * execution); it writes nothing unless the model passes apply: true, and the registry asks the user first either way.
 */
export function synthesizedLlmTools(service: ToolsService): LlmTool<Record<string, unknown>>[] {
  return service.activeTools().map((row) => {
    const properties: Record<string, unknown> = {};
    for (const p of row.params) properties[p.name] = { type: 'string', description: p.description };
    properties.apply = { type: 'boolean', description: 'write the change to the project (default false: only propose it)' };
    return {
      name: llmToolName(row.name),
      description: `${row.description} Parameters: ${row.params.map((p) => `${p.name}${p.required ? ' (required)' : ''}`).join(', ')}.`,
      parameters: {
        type: 'object',
        properties,
        required: row.params.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      },
      sideEffect: true,
      async run(args: Record<string, unknown>): Promise<RunResult> {
        const params: Record<string, string> = {};
        for (const p of row.params) if (args[p.name] !== undefined && args[p.name] !== null) params[p.name] = String(args[p.name]);
        return service.run(row.name, params, { apply: args.apply === true });
      },
    };
  });
}
