// Stored conversations and their messages, full-text search over them, and their rolling summaries.
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { scrub } from '../log';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ConversationRow {
  id: number;
  project_id: number | null;
  title: string;
  model: string | null;
  message_count: number;
  summary: string | null;
  summary_upto: number;
  cost_usd: number;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  id: number;
  conversation_id: number;
  role: Role;
  content: string;
  tool_calls_json: string | null;
  tool_call_id: string | null;
  model: string | null;
  tokens: number;
  cost_usd: number;
  cached: number;
  created_at: string;
}

export interface NewMessage {
  role: Role;
  content: string;
  toolCalls?: unknown[];
  toolCallId?: string;
  model?: string;
  tokens?: number;
  costUsd?: number;
  cached?: boolean;
}

export interface SearchHit {
  conversation_id: number;
  message_id: number;
  role: string;
  title: string;
  snippet: string;
  score: number;
  created_at: string;
}

export class Conversations {
  private readonly q;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.q = {
      create: db.prepare(`INSERT INTO conversations (project_id, title, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
      get: db.prepare(`SELECT * FROM conversations WHERE id = ?`),
      add: db.prepare(`INSERT INTO messages (conversation_id, role, content, tool_calls_json, tool_call_id, model, tokens, cost_usd, cached, created_at)
        VALUES (@conversation_id, @role, @content, @tool_calls_json, @tool_call_id, @model, @tokens, @cost_usd, @cached, @now)`),
      bump: db.prepare(`UPDATE conversations SET message_count = message_count + 1, cost_usd = cost_usd + ?, updated_at = ?, model = ifnull(?, model) WHERE id = ?`),
      messages: db.prepare(`SELECT * FROM messages WHERE conversation_id = ? ORDER BY id`),
      after: db.prepare(`SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id`),
      recent: db.prepare(`SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? AND role IN ('user', 'assistant') AND id > ? ORDER BY id DESC LIMIT ?) ORDER BY id`),
      list: db.prepare(`SELECT * FROM conversations WHERE (? IS NULL OR project_id = ?) ORDER BY updated_at DESC, id DESC LIMIT ?`),
      setTitle: db.prepare(`UPDATE conversations SET title = ? WHERE id = ?`),
      setSummary: db.prepare(`UPDATE conversations SET summary = ?, summary_upto = ? WHERE id = ?`),
      addSummary: db.prepare(`INSERT INTO conversation_summaries (conversation_id, upto_message_id, summary, method, created_at) VALUES (?, ?, ?, ?, ?)`),
      summaries: db.prepare(`SELECT id, upto_message_id, summary, method, created_at FROM conversation_summaries WHERE conversation_id = ? ORDER BY id`),
      del: db.prepare(`DELETE FROM conversations WHERE id = ?`),
      message: db.prepare(`SELECT * FROM messages WHERE id = ? AND conversation_id = ?`),
      tail: db.prepare(`SELECT count(*) AS n, ifnull(sum(cost_usd), 0) AS cost FROM messages WHERE conversation_id = ? AND id >= ?`),
      delTail: db.prepare(`DELETE FROM messages WHERE conversation_id = ? AND id >= ?`),
      unbump: db.prepare(`UPDATE conversations SET message_count = max(0, message_count - ?), cost_usd = max(0, cost_usd - ?), updated_at = ? WHERE id = ?`),
      dropSummary: db.prepare(`UPDATE conversations SET summary = NULL, summary_upto = 0 WHERE id = ? AND summary_upto >= ?`),
      search: db.prepare(`SELECT m.id AS message_id, m.conversation_id, m.role, m.created_at, c.title,
          snippet(messages_fts, 0, '[', ']', ' … ', 12) AS snippet, bm25(messages_fts) AS rank
        FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH ? AND m.role IN ('user', 'assistant') AND (? IS NULL OR c.project_id = ?)
        ORDER BY rank LIMIT ?`),
      withSummary: db.prepare(`SELECT * FROM conversations WHERE summary IS NOT NULL AND (project_id IS NULL OR project_id = ?) ORDER BY updated_at DESC LIMIT ?`),
    };
  }

  create(opts: { projectId?: number | null; title?: string; model?: string } = {}): ConversationRow {
    const now = this.now().toISOString();
    const r = this.q.create.run(opts.projectId ?? null, (opts.title ?? '').slice(0, 200), opts.model ?? null, now, now);
    return this.get(Number(r.lastInsertRowid));
  }

  get(id: number): ConversationRow {
    const row = this.q.get.get(id) as ConversationRow | undefined;
    if (!row) throw new MiraError('not_found', `conversation ${id} does not exist`, 'list conversations with chat/list');
    return row;
  }

  find(id: number): ConversationRow | undefined {
    return this.q.get.get(id) as ConversationRow | undefined;
  }

  add(conversationId: number, m: NewMessage): MessageRow {
    return this.db.transaction((): MessageRow => {
      const now = this.now().toISOString();
      const toolCallsJson = m.toolCalls?.length ? scrub(JSON.stringify(m.toolCalls)) : null;
      const r = this.q.add.run({
        conversation_id: conversationId,
        role: m.role,
        // Keys pasted into a chat, or echoed by a model, are never stored.
        content: scrub(m.content),
        tool_calls_json: toolCallsJson,
        tool_call_id: m.toolCallId ?? null,
        model: m.model ?? null,
        tokens: m.tokens ?? 0,
        cost_usd: m.costUsd ?? 0,
        cached: m.cached ? 1 : 0,
        now,
      });
      this.q.bump.run(m.costUsd ?? 0, now, m.model ?? null, conversationId);
      const conv = this.get(conversationId);
      if (!conv.title && m.role === 'user') this.q.setTitle.run(titleFrom(m.content), conversationId);
      return { id: Number(r.lastInsertRowid), conversation_id: conversationId, role: m.role, content: scrub(m.content), tool_calls_json: toolCallsJson, tool_call_id: m.toolCallId ?? null, model: m.model ?? null, tokens: m.tokens ?? 0, cost_usd: m.costUsd ?? 0, cached: m.cached ? 1 : 0, created_at: now };
    }).immediate();
  }

  messages(conversationId: number): MessageRow[] {
    return this.q.messages.all(conversationId) as MessageRow[];
  }

  messagesAfter(conversationId: number, afterId: number): MessageRow[] {
    return this.q.after.all(conversationId, afterId) as MessageRow[];
  }

  /** The last `n` user and assistant messages after `afterId` (what a prompt carries verbatim next to the summary). */
  recent(conversationId: number, n: number, afterId = 0): MessageRow[] {
    return this.q.recent.all(conversationId, afterId, n) as MessageRow[];
  }

  list(opts: { projectId?: number | null; limit?: number } = {}): ConversationRow[] {
    const pid = opts.projectId ?? null;
    return this.q.list.all(pid, pid, opts.limit ?? 50) as ConversationRow[];
  }

  withSummaries(projectId: number | null, limit = 50): ConversationRow[] {
    return this.q.withSummary.all(projectId ?? -1, limit) as ConversationRow[];
  }

  /**
   * Removes a user message and everything after it (a turn replaced by regenerate or edit, or one that failed).
   * A rolling summary that covered the removed messages is dropped; the next summary starts over.
   */
  truncateFrom(conversationId: number, messageId: number): number {
    return this.db.transaction((): number => {
      const m = this.q.message.get(messageId, conversationId) as MessageRow | undefined;
      if (!m) throw new MiraError('not_found', `message ${messageId} is not in conversation ${conversationId}`, 'reopen the conversation with chat/get');
      if (m.role !== 'user') throw new MiraError('bad_request', `message ${messageId} is not a question: a turn is replaced from its user message`);
      const { n, cost } = this.q.tail.get(conversationId, messageId) as { n: number; cost: number };
      this.q.delTail.run(conversationId, messageId);
      this.q.unbump.run(n, cost, this.now().toISOString(), conversationId);
      this.q.dropSummary.run(conversationId, messageId);
      return n;
    }).immediate();
  }

  delete(id: number): boolean {
    return this.q.del.run(id).changes > 0;
  }

  setSummary(conversationId: number, summary: string, uptoMessageId: number, method: 'llm' | 'extractive'): void {
    const clean = scrub(summary);
    this.db.transaction(() => {
      this.q.setSummary.run(clean, uptoMessageId, conversationId);
      this.q.addSummary.run(conversationId, uptoMessageId, clean, method, this.now().toISOString());
    }).immediate();
  }

  summaries(conversationId: number): { id: number; upto_message_id: number; summary: string; method: string; created_at: string }[] {
    return this.q.summaries.all(conversationId) as { id: number; upto_message_id: number; summary: string; method: string; created_at: string }[];
  }

  /** Full-text search over user and assistant messages, best first. Words are matched as words, never as FTS syntax. */
  search(query: string, opts: { k?: number; projectId?: number | null } = {}): SearchHit[] {
    const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (!words.length) return [];
    const match = words.map((w, i) => `"${w.replace(/"/g, '')}"${i === words.length - 1 && w.length >= 3 ? '*' : ''}`).join(' OR ');
    const pid = opts.projectId ?? null;
    const rows = this.q.search.all(match, pid, pid, opts.k ?? 20) as (Omit<SearchHit, 'score'> & { rank: number })[];
    return rows.map(({ rank, ...r }) => ({ ...r, score: Math.round(-rank * 1000) / 1000 }));
  }
}

export function titleFrom(text: string): string {
  const line = text.replace(/```[\s\S]*?```/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 80 ? line.slice(0, 77).replace(/\s+\S*$/, '') + '…' : line;
}
