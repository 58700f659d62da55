// The chat: sending (chat/send) with the answer streamed by chat/delta, stop, retry, regenerate and edit, tool confirmations, and past conversations (chat/list, chat/get, chat/search).
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { callOptional, errorInfo, type OptionalEventData, type OptionalResult } from '../optional-api';

export type Effort = 'minimal' | 'low' | 'medium' | 'high';
export const EFFORTS: Effort[] = ['minimal', 'low', 'medium', 'high'];

type AskResult = OptionalResult<'chat/send'>;
export type ContextItem = AskResult['context'][number];
export type ConversationInfo = OptionalResult<'chat/list'>['results'][number];
export type SearchHit = OptionalResult<'chat/search'>['results'][number];

export interface ChatMessage {
  key: string;
  id: number | null;
  role: string;
  content: string;
  streaming?: boolean;
  stopped?: boolean;
  cost_usd?: number;
  /** The cost and tokens are partly estimated (an answer stopped mid-stream is billed for what streamed). */
  cost_estimated?: boolean;
  /** When the question was sent (Date.now()), for the elapsed time shown while waiting. */
  started_at?: number;
  /** Time to the first streamed text, measured here. */
  first_token_ms?: number;
  /** What Mira remembered from the question this answers. */
  learned?: { key: string; value: string; forgotten?: boolean }[];
  cached?: boolean;
  model?: string | null;
  tokens_in?: number;
  tokens_out?: number;
  took_ms?: number;
  /** What the oracle put in front of the model for this answer (only known for answers given in this window). */
  context?: ContextItem[];
  tool_calls?: { name: string; ok?: boolean; declined?: boolean }[];
  error?: ErrorInfo;
  created_at?: string;
}

interface ChatState {
  conversationId: number | null;
  title: string | null;
  messages: ChatMessage[];
  /** A chat/send is in flight. */
  sending: boolean;
  stopping: boolean;
  loadingConversation: boolean;
  error: ErrorInfo | null;
  /** null: the server's configured default (Settings). */
  effort: Effort | null;
  draft: string;
  /** The last question being edited: sending replaces that turn. */
  editing: { key: string; id: number | null } | null;
  view: 'chat' | 'history';
  inspector: string | null;
  confirm: OptionalEventData<'chat/confirm'> | null;
  list: { status: 'idle' | 'loading' | 'ready' | 'error'; items: ConversationInfo[]; error: ErrorInfo | null };
  search: { query: string; status: 'idle' | 'loading' | 'ready' | 'error'; results: SearchHit[]; error: ErrorInfo | null };
  setDraft(d: string): void;
  setEffort(e: Effort | null): void;
  setView(v: 'chat' | 'history'): void;
  toggleInspector(key: string): void;
  send(text?: string, opts?: { replaceFrom?: number; restoreDraft?: boolean; fresh?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Asks a failed turn's question again. */
  retry(key: string): Promise<void>;
  /** Asks the last question again, replacing its answer. */
  regenerate(): Promise<void>;
  /** Puts the last question back in the box; sending replaces that turn. */
  editLast(): void;
  cancelEdit(): void;
  /** Undoes something learned from a question (memory/forget). */
  forget(messageKey: string, key: string): Promise<void>;
  newChat(): void;
  openConversation(id: number): Promise<void>;
  loadList(): Promise<void>;
  setSearchQuery(q: string): void;
  runSearch(): Promise<void>;
  answerConfirm(allow: boolean): Promise<void>;
  onDelta(e: OptionalEventData<'chat/delta'>): void;
  onDone(e: OptionalEventData<'chat/done'>): void;
  onConfirm(e: OptionalEventData<'chat/confirm'>): void;
  reset(): void;
}

let keySeq = 0;
const newKey = () => `m${++keySeq}`;
let requestSeq = 0;
/**
 * Each send carries a request id made here: chat/stop {request_id} stops it at once (even before the server has said
 * which conversation it is), and its chat/delta and chat/confirm events carry it back.
 */
const newRequestId = () => `r${Date.now().toString(36)}-${++requestSeq}-${Math.random().toString(36).slice(2, 8)}`;
let currentRequest: string | null = null;
// Servers that do not echo request ids: a send for a new conversation learns its id from the first chat/delta.
let awaitingNew = false;

/** The messages without a trailing failed turn (the server keeps no failed turn; the next send replaces it here too). */
function withoutFailedTurn(messages: ChatMessage[]): ChatMessage[] {
  const last = messages[messages.length - 1];
  if (!last?.error) return messages;
  const before = messages[messages.length - 2];
  return messages.slice(0, before?.role === 'user' ? -2 : -1);
}

/** The last user message and the assistant message after it, if the conversation ends with a whole turn. */
function lastTurn(messages: ChatMessage[]): { user: ChatMessage; userIndex: number; answer: ChatMessage | undefined } | null {
  const userIndex = messages.findLastIndex((m) => m.role === 'user');
  if (userIndex < 0) return null;
  return { user: messages[userIndex]!, userIndex, answer: messages[userIndex + 1] };
}

function patchStreaming(messages: ChatMessage[], patch: (m: ChatMessage) => ChatMessage): ChatMessage[] {
  const i = messages.findLastIndex((m) => m.streaming);
  if (i < 0) return messages;
  const next = messages.slice();
  next[i] = patch(next[i]!);
  return next;
}

export const useChat = create<ChatState>()((set, get) => ({
  conversationId: null,
  title: null,
  messages: [],
  sending: false,
  stopping: false,
  loadingConversation: false,
  error: null,
  effort: null,
  draft: '',
  editing: null,
  view: 'chat',
  inspector: null,
  confirm: null,
  list: { status: 'idle', items: [], error: null },
  search: { query: '', status: 'idle', results: [], error: null },

  setDraft(draft) {
    set({ draft });
  },
  setEffort(effort) {
    set({ effort });
  },
  setView(view) {
    set({ view });
    if (view === 'history') void get().loadList();
  },
  toggleInspector(key) {
    set({ inspector: get().inspector === key ? null : key });
  },

  async send(textIn, opts = {}) {
    const text = (textIn ?? get().draft).trim();
    if (!text || get().sending) return;
    const fromDraft = textIn === undefined;
    let replaceFrom = opts.replaceFrom;
    let base = withoutFailedTurn(get().messages);
    // Sending an edited question replaces its turn, here and (when it was stored) on the server.
    const editing = fromDraft ? get().editing : null;
    if (editing) {
      const i = base.findIndex((m) => m.key === editing.key);
      if (i >= 0) base = base.slice(0, i);
      if (editing.id !== null) replaceFrom = editing.id;
    }
    const conversationId = get().conversationId;
    const requestId = newRequestId();
    currentRequest = requestId;
    awaitingNew = conversationId === null;
    set((s) => ({
      draft: fromDraft ? '' : s.draft,
      editing: fromDraft ? null : s.editing,
      sending: true,
      stopping: false,
      error: null,
      view: 'chat',
      title: s.title ?? text.slice(0, 80),
      messages: [...base, { key: newKey(), id: null, role: 'user', content: text }, { key: newKey(), id: null, role: 'assistant', content: '', streaming: true, started_at: Date.now() }],
    }));
    try {
      const effort = get().effort;
      const r = await callOptional('chat/send', {
        message: text,
        confirm: 'ask',
        request_id: requestId,
        ...(effort ? { effort } : {}),
        ...(conversationId ? { conversation_id: conversationId } : {}),
        ...(replaceFrom !== undefined && conversationId ? { replace_from: replaceFrom } : {}),
        // A regenerated answer is a new one, not the cached copy of the last.
        ...(opts.fresh ? { cache: false } : {}),
      });
      if (currentRequest === requestId) currentRequest = null;
      awaitingNew = false;
      set((s) => {
        const messages = patchStreaming(s.messages, (m) => ({
          ...m,
          id: r.message_id,
          // The reply is the authority: deltas may be missing (a cached answer streams nothing).
          content: r.answer,
          streaming: false,
          stopped: r.stopped,
          cost_usd: r.cost_usd,
          cost_estimated: r.cost_estimated,
          cached: r.cached,
          model: r.model,
          tokens_in: r.tokens_in,
          tokens_out: r.tokens_out,
          took_ms: r.took_ms,
          context: r.context,
          tool_calls: r.tool_calls,
          ...(r.learned_facts?.length ? { learned: r.learned_facts } : r.learned.length ? { learned: r.learned.map((key) => ({ key, value: '' })) } : {}),
        }));
        // The question gets its stored id: regenerate and edit replace the turn from it.
        const qi = messages.findLastIndex((m) => m.role === 'user');
        if (qi >= 0 && r.user_message_id !== undefined && messages[qi]!.id === null) messages[qi] = { ...messages[qi]!, id: r.user_message_id };
        return { conversationId: r.conversation_id, sending: false, stopping: false, confirm: null, messages };
      });
      void get().loadList();
    } catch (e) {
      if (currentRequest === requestId) currentRequest = null;
      awaitingNew = false;
      const err = errorInfo(e);
      // Stopped before the server began answering: a stop, not a failure.
      if (err.code === 'cancelled' && get().stopping) {
        set((s) => ({ sending: false, stopping: false, confirm: null, messages: patchStreaming(s.messages, (m) => ({ ...m, streaming: false, stopped: true })) }));
        return;
      }
      set((s) => ({
        sending: false,
        stopping: false,
        confirm: null,
        error: err,
        // The question stays in the box to send again (Retry does the same from the failed turn).
        draft: (fromDraft || opts.restoreDraft) && !s.draft.trim() ? text : s.draft,
        messages: patchStreaming(s.messages, (m) => ({ ...m, streaming: false, error: err })),
      }));
    }
  },

  async stop() {
    if (!get().sending) return;
    set({ stopping: true });
    const id = get().conversationId;
    try {
      await callOptional('chat/stop', { ...(currentRequest ? { request_id: currentRequest } : {}), ...(id !== null ? { conversation_id: id } : {}) });
    } catch (e) {
      set({ error: errorInfo(e), stopping: false });
    }
  },

  async retry(key) {
    const msgs = get().messages;
    const i = msgs.findIndex((m) => m.key === key);
    const q = msgs[i - 1];
    if (i < 0 || !msgs[i]!.error || q?.role !== 'user' || get().sending) return;
    // The failed pair is replaced by the new attempt (send drops a trailing failed turn).
    set((s) => ({ messages: msgs.slice(0, i + 1), draft: s.draft.trim() === q.content ? '' : s.draft, editing: null }));
    await get().send(q.content, { restoreDraft: true });
  },

  async regenerate() {
    const s = get();
    const t = lastTurn(s.messages);
    if (s.sending || !t || !t.answer || t.answer.streaming || t.user.id === null) return;
    set({ messages: s.messages.slice(0, t.userIndex), editing: null });
    await get().send(t.user.content, { replaceFrom: t.user.id, fresh: true });
  },

  editLast() {
    const s = get();
    const t = lastTurn(s.messages);
    if (s.sending || !t) return;
    set({ draft: t.user.content, editing: { key: t.user.key, id: t.user.id } });
  },

  cancelEdit() {
    if (get().editing) set({ editing: null, draft: '' });
  },

  async forget(messageKey, key) {
    try {
      await callOptional('memory/forget', { key });
      set((s) => ({ messages: s.messages.map((m) => (m.key === messageKey && m.learned ? { ...m, learned: m.learned.map((l) => (l.key === key ? { ...l, forgotten: true } : l)) } : m)) }));
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },

  newChat() {
    if (get().sending) return;
    set({ conversationId: null, title: null, messages: [], error: null, inspector: null, view: 'chat', confirm: null, editing: null });
  },

  async openConversation(id) {
    if (get().sending) return;
    set({ loadingConversation: true, error: null, view: 'chat', inspector: null, editing: null });
    try {
      const c = await callOptional('chat/get', { id });
      const messages: ChatMessage[] = c.messages
        // Tool results are the model's working notes; the assistant turn that asked for them says which tools ran.
        .filter((m) => m.role === 'user' || (m.role === 'assistant' && (m.content.trim() || m.tool_calls?.length)))
        .map((m) => ({
          key: newKey(),
          id: m.id,
          role: m.role,
          content: m.content,
          cost_usd: m.cost_usd,
          cached: m.cached,
          model: m.model,
          created_at: m.created_at,
          tool_calls: m.tool_calls?.map((t) => ({ name: t.name })),
        }));
      set({ conversationId: c.id, title: c.title, messages, loadingConversation: false });
    } catch (e) {
      set({ loadingConversation: false, error: errorInfo(e) });
    }
  },

  async loadList() {
    set((s) => ({ list: { ...s.list, status: s.list.items.length ? 'ready' : 'loading', error: null } }));
    try {
      const r = await callOptional('chat/list', { limit: 100 });
      set({ list: { status: 'ready', items: r.results, error: null } });
    } catch (e) {
      set({ list: { status: 'error', items: [], error: errorInfo(e) } });
    }
  },

  setSearchQuery(query) {
    set((s) => ({ search: { ...s.search, query, ...(query.trim() ? {} : { status: 'idle' as const, results: [] }) } }));
  },

  async runSearch() {
    const query = get().search.query.trim();
    if (!query) return;
    set((s) => ({ search: { ...s.search, status: 'loading', error: null } }));
    try {
      const r = await callOptional('chat/search', { query, k: 50 });
      if (get().search.query.trim() === query) set((s) => ({ search: { ...s.search, status: 'ready', results: r.results } }));
    } catch (e) {
      set((s) => ({ search: { ...s.search, status: 'error', error: errorInfo(e) } }));
    }
  },

  async answerConfirm(allow) {
    const c = get().confirm;
    if (!c) return;
    set({ confirm: null });
    try {
      await callOptional('chat/confirm', { request_id: c.request_id, allow });
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },

  onDelta(e) {
    const s = get();
    if (!s.sending) return;
    if (e.request_id !== undefined) {
      if (e.request_id !== currentRequest) return;
      if (s.conversationId !== e.conversation_id) set({ conversationId: e.conversation_id });
      awaitingNew = false;
    } else if (s.conversationId === null && awaitingNew) {
      awaitingNew = false;
      set({ conversationId: e.conversation_id });
    } else if (e.conversation_id !== get().conversationId) return;
    set((st) => ({ messages: patchStreaming(st.messages, (m) => ({ ...m, content: m.content + e.delta, ...(m.first_token_ms === undefined && e.delta && m.started_at ? { first_token_ms: Date.now() - m.started_at } : {}) })) }));
  },

  onDone(e) {
    // The chat/send reply carries everything chat/done does and more; this only ends the "stopping" state early.
    if (e.conversation_id === get().conversationId && get().stopping) set({ stopping: false });
  },

  onConfirm(e) {
    if (!get().sending) return;
    const ours = e.ask_request_id !== undefined ? e.ask_request_id === currentRequest : e.conversation_id === get().conversationId || get().conversationId === null;
    if (ours) set({ confirm: e });
  },

  reset() {
    awaitingNew = false;
    currentRequest = null;
    set({ editing: null, conversationId: null, title: null, messages: [], sending: false, stopping: false, error: null, inspector: null, confirm: null, view: 'chat', list: { status: 'idle', items: [], error: null }, search: { query: '', status: 'idle', results: [], error: null } });
  },
}));
