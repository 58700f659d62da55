// The tool registry the assistant calls through: any capability registers an LlmTool; tools with side effects run only after the user says yes.
import { MiraError } from '../../shared/errors';
import type { ToolCall, ToolSpec } from './provider';

export interface ToolRunContext {
  signal?: AbortSignal;
  projectId?: number | null;
  conversationId?: number | null;
}

export interface LlmTool<A = Record<string, unknown>> {
  /** Letters, digits, _ and - only (OpenAI's rule for function names). */
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  /** True when running it changes files, runs commands or otherwise touches the user's machine. */
  sideEffect: boolean;
  run(args: A, ctx: ToolRunContext): Promise<unknown> | unknown;
}

export interface ConfirmRequest {
  tool: string;
  description: string;
  args: Record<string, unknown>;
}

/** Asks the user whether a side-effecting tool may run; resolves false for no (or when nobody can be asked). */
export type ConfirmFn = (req: ConfirmRequest) => Promise<boolean>;

export interface ToolOutcome {
  content: string;
  ok: boolean;
  declined?: boolean;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_RESULT_CHARS = 12_000;

export class ToolRegistry {
  private readonly tools = new Map<string, LlmTool>();

  /** Adds a tool and returns a function that removes it. A second tool with the same name replaces the first. */
  register<A>(tool: LlmTool<A>): () => void {
    if (!NAME_RE.test(tool.name)) throw new MiraError('bad_request', `tool name ${JSON.stringify(tool.name)} may only hold letters, digits, _ and - (64 at most)`);
    if (tool.parameters.type !== 'object') throw new MiraError('bad_request', `tool ${tool.name}: parameters must be a JSON Schema of type "object"`);
    this.tools.set(tool.name, tool as LlmTool);
    return () => {
      if (this.tools.get(tool.name) === (tool as LlmTool)) this.tools.delete(tool.name);
    };
  }

  get(name: string): LlmTool | undefined {
    return this.tools.get(name);
  }

  list(): LlmTool[] {
    return [...this.tools.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  specs(names?: string[]): ToolSpec[] {
    const picked = names ? names.map((n) => this.tools.get(n)).filter((t): t is LlmTool => !!t) : this.list();
    return picked.map((t) => ({ name: t.name, description: t.description + (t.sideEffect ? ' (asks the user first)' : ''), parameters: t.parameters }));
  }

  /**
   * Runs one tool call the model asked for. Problems (unknown tool, bad JSON, a refusal, a failure) become the tool's
   * answer so the model can react to them, instead of ending the conversation.
   */
  async execute(call: ToolCall, ctx: ToolRunContext & { confirm?: ConfirmFn }): Promise<ToolOutcome> {
    const tool = this.tools.get(call.name);
    if (!tool) return { ok: false, content: `error: there is no tool named ${call.name}; available: ${this.list().map((t) => t.name).join(', ') || 'none'}` };
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = call.arguments.trim() ? JSON.parse(call.arguments) : {};
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('arguments must be a JSON object');
      args = parsed as Record<string, unknown>;
    } catch (e) {
      return { ok: false, content: `error: the arguments for ${call.name} are not a valid JSON object (${(e as Error).message})` };
    }
    const missing = ((tool.parameters.required as string[] | undefined) ?? []).filter((k) => args[k] === undefined);
    if (missing.length) return { ok: false, content: `error: ${call.name} needs ${missing.join(', ')}` };
    if (tool.sideEffect) {
      const allowed = ctx.confirm ? await ctx.confirm({ tool: tool.name, description: tool.description, args }).catch(() => false) : false;
      if (!allowed) return { ok: false, declined: true, content: `the user did not allow ${tool.name} to run; do not retry it, continue without it or explain what it would do` };
    }
    try {
      const out = await tool.run(args, ctx);
      return { ok: true, content: truncate(typeof out === 'string' ? out : JSON.stringify(out)) };
    } catch (e) {
      const err = MiraError.from(e);
      return { ok: false, content: `error: ${err.message}${err.hint ? ` (${err.hint})` : ''}` };
    }
  }
}

function truncate(s: string): string {
  return s.length > MAX_RESULT_CHARS ? `${s.slice(0, MAX_RESULT_CHARS)}\n...(truncated, ${s.length - MAX_RESULT_CHARS} more characters)` : s;
}

/** Mira's own capabilities offered to the model, each bridged to the API method that serves it. */
export const API_TOOLS: { name: string; method: string; description: string; sideEffect: boolean }[] = [
  { name: 'search', method: 'code/search', description: 'Hybrid code search over the project (full text, vectors and symbol names); returns paths, lines, symbols and snippets.', sideEffect: false },
  { name: 'locate', method: 'oracle/locate', description: 'The files most relevant to a task described in words, with the reasons each was chosen.', sideEffect: false },
  { name: 'callers', method: 'code/callers', description: 'Direct callers of a symbol (a name or path:name).', sideEffect: false },
  { name: 'cochange', method: 'git/cochange', description: 'Files that historically change together with a file.', sideEffect: false },
  { name: 'experts', method: 'git/experts', description: 'Who knows these files or folders best, from the git history.', sideEffect: false },
  { name: 'fixes', method: 'git/fixes', description: 'Past commits that fixed errors like the given text.', sideEffect: false },
  { name: 'build_run', method: 'build/run', description: 'Run a build or test command in the project and return its exit code and parsed errors.', sideEffect: true },
];

export interface ApiBridge {
  /** The JSON Schema of a method's params, or null when the method does not exist (yet). */
  schema(method: string): Record<string, unknown> | null;
  call(method: string, params: unknown, signal?: AbortSignal): Promise<unknown>;
}

/** Registers the API_TOOLS whose methods exist; returns the names registered. */
export function registerApiTools(registry: ToolRegistry, api: ApiBridge): string[] {
  const added: string[] = [];
  for (const t of API_TOOLS) {
    const schema = api.schema(t.method);
    if (!schema) continue;
    registry.register({
      name: t.name,
      description: t.description,
      parameters: schema,
      sideEffect: t.sideEffect,
      run: (args, ctx) => api.call(t.method, args, ctx.signal),
    });
    added.push(t.name);
  }
  return added;
}
