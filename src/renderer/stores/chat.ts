// The chat: sending (chat/send) with the answer streamed by chat/delta, stop, tool confirmations, and past conversations (chat/list, chat/get, chat/search).
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
  view: 'chat' | 'history';
  inspector: string | null;
  confirm: OptionalEventData<'chat/confirm'> | null;
  list: { status: 'idle' | 'loading' | 'ready' | 'error'; items: ConversationInfo[]; error: ErrorInfo | null };
  search: { query: string; status: 'idle' | 'loading' | 'ready' | 'error'; results: SearchHit[]; error: ErrorInfo | null };
  setDraft(d: string): void;
  setEffort(e: Effort | null): void;
  setView(v: 'chat' | 'history'): void;
  toggleInspector(key: string): void;
  send(text?: string): Promise<void>;
  stop(): Promise<void>;
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
// A send for a new conversation learns its id from the first chat/delta (or the reply); until then, deltas of an
// unknown conversation are taken as ours, and a stop asked for meanwhile is sent as soon as the id is known.
let awaitingNew = false;
let stopWhenKnown = false;

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

  async send(textIn) {
    const text = (textIn ?? get().draft).trim();
    if (!text || get().sending) return;
    const conversationId = get().conversationId;
    awaitingNew = conversationId === null;
    stopWhenKnown = false;
    set((s) => ({
      draft: textIn === undefined ? '' : s.draft,
      sending: true,
      stopping: false,
      error: null,
      view: 'chat',
      title: s.title ?? text.slice(0, 80),
      messages: [...s.messages, { key: newKey(), id: null, role: 'user', content: text }, { key: newKey(), id: null, role: 'assistant', content: '', streaming: true }],
    }));
    try {
      const effort = get().effort;
      const r = await callOptional('chat/send', { message: text, confirm: 'ask', ...(effort ? { effort } : {}), ...(conversationId ? { conversation_id: conversationId } : {}) });
      awaitingNew = false;
      set((s) => ({
        conversationId: r.conversation_id,
        sending: false,
        stopping: false,
        confirm: null,
        messages: patchStreaming(s.messages, (m) => ({
          ...m,
          id: r.message_id,
          // The reply is the authority: deltas may be missing (a cached answer streams nothing).
          content: r.answer,
          streaming: false,
          stopped: r.stopped,
          cost_usd: r.cost_usd,
          cached: r.cached,
          model: r.model,
          tokens_in: r.tokens_in,
          tokens_out: r.tokens_out,
          took_ms: r.took_ms,
          context: r.context,
          tool_calls: r.tool_calls,
        })),
      }));
      void get().loadList();
    } catch (e) {
      awaitingNew = false;
      const err = errorInfo(e);
      set((s) => ({
        sending: false,
        stopping: false,
        confirm: null,
        error: err,
        messages: patchStreaming(s.messages, (m) => ({ ...m, streaming: false, error: err })),
      }));
    }
  },

  async stop() {
    if (!get().sending) return;
    set({ stopping: true });
    const id = get().conversationId;
    if (id === null) {
      stopWhenKnown = true;
      return;
    }
    try {
      await callOptional('chat/stop', { conversation_id: id });
    } catch (e) {
      set({ error: errorInfo(e), stopping: false });
    }
  },

  newChat() {
    if (get().sending) return;
    set({ conversationId: null, title: null, messages: [], error: null, inspector: null, view: 'chat', confirm: null });
  },

  async openConversation(id) {
    if (get().sending) return;
    set({ loadingConversation: true, error: null, view: 'chat', inspector: null });
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
    if (s.conversationId === null && awaitingNew) {
      awaitingNew = false;
      set({ conversationId: e.conversation_id });
      if (stopWhenKnown) {
        stopWhenKnown = false;
        void callOptional('chat/stop', { conversation_id: e.conversation_id }).catch(() => {});
      }
    } else if (e.conversation_id !== get().conversationId) return;
    set((st) => ({ messages: patchStreaming(st.messages, (m) => ({ ...m, content: m.content + e.delta })) }));
  },

  onDone(e) {
    // The chat/send reply carries everything chat/done does and more; this only ends the "stopping" state early.
    if (e.conversation_id === get().conversationId && get().stopping) set({ stopping: false });
  },

  onConfirm(e) {
    if (get().sending && (e.conversation_id === get().conversationId || get().conversationId === null)) set({ confirm: e });
  },

  reset() {
    awaitingNew = false;
    stopWhenKnown = false;
    set({ conversationId: null, title: null, messages: [], sending: false, stopping: false, error: null, inspector: null, confirm: null, view: 'chat', list: { status: 'idle', items: [], error: null }, search: { query: '', status: 'idle', results: [], error: null } });
  },
}));
