// A local OpenAI-compatible HTTP server for tests: chat completions (whole, or SSE with text and tool-call deltas and a usage chunk), embeddings, models, and scripted errors and delays.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireMessage {
  role: string;
  content?: string | null;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The parsed JSON body, loosely typed so tests can look inside it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

export interface Reply {
  /** An error status (401, 404, 429, 500...) answered with OpenAI's error body. */
  status?: number;
  error?: { message: string; type?: string; code?: string | null };
  headers?: Record<string, string>;
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** `null` sends no usage at all (as some local servers do). */
  usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number; reasoning_tokens?: number } | null;
  finishReason?: string;
  /** Wait this long before answering at all (timeout tests). */
  delayMs?: number;
  /** Characters per content delta when streaming. */
  chunkSize?: number;
  chunkDelayMs?: number;
  /** Streaming: send this many chunks, then go silent with the connection open (idle-timeout tests). */
  stallAfterChunks?: number;
  /** Close the socket without answering. */
  dropConnection?: boolean;
}

export type Responder = (req: RecordedRequest) => Reply | undefined | Promise<Reply | undefined>;

export interface OpenAiServerOptions {
  /** When set, any other key is answered 401 (the message repeats the key it got, to prove Mira scrubs it). */
  apiKey?: string;
  /** When set, chat and embeddings for any other model are answered 404 model_not_found. */
  models?: string[];
  embeddingDim?: number;
  responder?: Responder;
}

export interface OpenAiServer {
  /** Base URL for the SDK, ending in /v1. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replies used by the next chat calls, in order, before the responder and the default echo. */
  enqueue(...replies: Reply[]): void;
  setResponder(fn: Responder | undefined): void;
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export function lastUserText(body: { messages?: WireMessage[] }): string {
  const msgs = body.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i]!.role === 'user') return String(msgs[i]!.content ?? '');
  return '';
}

export function systemText(body: { messages?: WireMessage[] }): string {
  return (body.messages ?? [])
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content ?? ''))
    .join('\n');
}

export async function startOpenAiServer(opts: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  let responder = opts.responder;
  const dim = opts.embeddingDim ?? 16;
  let seq = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => {
        if (!res.headersSent) sendError(res, 500, { message: `test server failed: ${(e as Error).message}`, type: 'server_error' });
        else res.destroy();
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return sendError(res, 400, { message: 'body is not JSON', type: 'invalid_request_error' });
      }
    }
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, authorization: req.headers.authorization, body };
    requests.push(rec);
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      const got = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      return sendError(res, 401, { message: `Incorrect API key provided: ${got}. You can find your API key in your account settings.`, type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const ids = opts.models ?? ['gpt-5.1', 'gpt-4o-mini', 'text-embedding-3-small'];
      return sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'mira-test' })) });
    }
    if (req.method !== 'POST') return sendError(res, 404, { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' });
    const b = (body ?? {}) as { model?: string; messages?: WireMessage[]; stream?: boolean; stream_options?: { include_usage?: boolean }; input?: string | string[]; encoding_format?: string };
    if ((path === '/v1/chat/completions' || path === '/v1/embeddings') && opts.models && !opts.models.includes(String(b.model))) {
      return sendError(res, 404, { message: `The model \`${b.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' });
    }
    if (path === '/v1/embeddings') return embeddings(res, b);
    if (path !== '/v1/chat/completions') return sendError(res, 404, { message: `Unknown request URL: POST ${path}`, type: 'invalid_request_error', code: 'unknown_url' });

    const reply: Reply = queue.shift() ?? (await responder?.(rec)) ?? {};
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.dropConnection) return void req.socket.destroy();
    if (reply.status && reply.status >= 400) {
      return sendError(res, reply.status, reply.error ?? { message: `scripted ${reply.status}`, type: reply.status >= 500 ? 'server_error' : 'invalid_request_error' }, reply.headers);
    }
    const content = reply.content ?? (reply.toolCalls?.length ? '' : `echo: ${lastUserText(b)}`);
    const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${++seq}_${i}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const promptChars = (b.messages ?? []).reduce((n, m) => n + String(m.content ?? '').length, 0);
    const usage =
      reply.usage === null
        ? undefined
        : {
            prompt_tokens: reply.usage?.prompt_tokens ?? Math.ceil(promptChars / 4) + 1,
            completion_tokens: reply.usage?.completion_tokens ?? Math.ceil(content.length / 4) + 1,
            total_tokens: 0,
            prompt_tokens_details: { cached_tokens: reply.usage?.cached_tokens ?? 0 },
            completion_tokens_details: { reasoning_tokens: reply.usage?.reasoning_tokens ?? 0 },
          };
    if (usage) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const finish = reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop');
    const id = `chatcmpl-test-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const model = String(b.model);

    if (!b.stream) {
      return sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: toolCalls.length && !content ? null : content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}), refusal: null }, finish_reason: finish, logprobs: null }],
          ...(usage ? { usage } : {}),
        },
        reply.headers,
      );
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...reply.headers });
    const frames: unknown[] = [];
    const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason, logprobs: null }] });
    frames.push(chunk({ role: 'assistant', content: '' }));
    const size = Math.max(1, reply.chunkSize ?? 4);
    for (let i = 0; i < content.length; i += size) frames.push(chunk({ content: content.slice(i, i + size) }));
    toolCalls.forEach((c, index) => {
      frames.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] }));
      const args = c.function.arguments;
      for (let i = 0; i < args.length; i += 7) frames.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 7) } }] }));
    });
    frames.push(chunk({}, finish));
    if (usage && b.stream_options?.include_usage) frames.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    let sent = 0;
    for (const f of frames) {
      if (reply.stallAfterChunks !== undefined && sent >= reply.stallAfterChunks) return; // leave the connection hanging
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(f)}\n\n`);
      sent++;
      if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }

  function embeddings(res: http.ServerResponse, b: { model?: string; input?: string | string[]; encoding_format?: string }): void {
    const inputs = Array.isArray(b.input) ? b.input : [String(b.input ?? '')];
    const data = inputs.map((text, index) => {
      const v = embedText(String(text), dim);
      const embedding = b.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((n, t) => n + Math.ceil(String(t).length / 4) + 1, 0);
    sendJson(res, 200, { object: 'list', data, model: b.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  // Idle keep-alive sockets closed by the server while the client reuses them would show up as spurious ECONNRESETs.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...r) => void queue.push(...r),
    setResponder: (fn) => void (responder = fn),
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A deterministic unit vector from the words of a text: texts sharing words point the same way. */
export function embedText(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[(h >>> 0) % dim]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, error: { message: string; type?: string; code?: string | null }, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message: error.message, type: error.type ?? 'invalid_request_error', param: null, code: error.code ?? null } }, headers);
}
