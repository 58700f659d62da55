// The Chat panel: streamed Markdown answers with highlighted code, "Apply to file" through a diff, stop (button or Escape), retry, regenerate and edit, cost, cache and timing of each answer, what was remembered, the context inspector, effort, and past conversations.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Markdown, type CodeAction } from '../components/Markdown';
import { Empty, ErrorNotice, InlineError, Loading, Unavailable } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { usd } from '../components/SpendChart';
import { useApply } from '../stores/apply';
import { EFFORTS, useChat, type ChatMessage, type Effort } from '../stores/chat';
import { useConnection } from '../stores/connection';
import { useEditor } from '../stores/editor';
import { useLayout } from '../stores/layout';
import { useSettings } from '../stores/settings';
import { NoLlmNotice } from './SettingsPanel';
import { isUnavailable } from '../optional-api';
import { uiHint } from '../ui-hints';

const CHAT_METHODS = ['chat/send', 'chat/list', 'chat/get'];

const applyAction: CodeAction = {
  label: 'Apply to file',
  title: 'Preview this code as a diff against the file, then apply it',
  run: (code) => useApply.getState().start(code.text.endsWith('\n') ? code.text : `${code.text}\n`, code.path),
};

function ContextInspector({ msg }: { msg: ChatMessage }) {
  const items = msg.context ?? [];
  return (
    <section className="context-inspector" aria-label="Context sent with this question" data-testid="context-inspector">
      {!items.length ? (
        <div className="muted small">Nothing from the project or memory was sent with this question.</div>
      ) : (
        <ul className="plain-list">
          {items.map((it, i) => (
            <li key={i}>
              <span className="badge">{it.kind}</span>{' '}
              {it.path ? (
                <button type="button" className="link small" onClick={() => void useEditor.getState().open(it.path!)}>
                  {it.path}
                </button>
              ) : null}{' '}
              <span className="small">{it.reason}</span>
              <details>
                <summary className="muted small">what was sent ({it.text.length} characters)</summary>
                <pre className="snippet">{it.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Durations for people: "40 ms", "1.8 s", "12 s", "1 min 5 s". */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Whole seconds since `since`, ticking, for the time a question has been waiting. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  return <span data-testid="chat-elapsed">{Math.max(0, Math.floor((now - since) / 1000))} s</span>;
}

function Learned({ msg }: { msg: ChatMessage }) {
  if (!msg.learned?.length) return null;
  return (
    <div className="chat-learned small muted" data-testid="chat-learned" role="status">
      Remembered:{' '}
      {msg.learned.map((l, i) => (
        <span key={l.key}>
          {i > 0 && '; '}
          <span style={l.forgotten ? { textDecoration: 'line-through' } : undefined}>{l.value || l.key}</span>
          {l.forgotten ? (
            <span> (forgotten)</span>
          ) : !l.key.startsWith('pattern:') ? (
            <>
              {' '}
              <button type="button" className="link small" onClick={() => void useChat.getState().forget(msg.key, l.key)} title={`Forget ${l.key}`} data-testid="chat-forget">
                Forget
              </button>
            </>
          ) : null}
        </span>
      ))}
      {' · '}
      <button type="button" className="link small" onClick={() => useLayout.getState().showPanel('bottom', 'memory')} data-testid="chat-memory-link">
        Open Memory
      </button>
    </div>
  );
}

function Message({ msg, last, lastQuestion }: { msg: ChatMessage; last: boolean; lastQuestion: boolean }) {
  const inspector = useChat((s) => s.inspector);
  const sending = useChat((s) => s.sending);
  const editing = useChat((s) => s.editing?.key === msg.key);
  if (msg.role === 'user') {
    return (
      <li className={`chat-msg user${editing ? ' editing' : ''}`} data-testid="chat-user">
        <div className="chat-role sr-only">You:</div>
        <div className="chat-text">{msg.content}</div>
        {lastQuestion && !sending && !editing && (
          <div className="chat-actions">
            <button type="button" className="link small" onClick={() => useChat.getState().editLast()} title="Put this question back in the box; sending replaces this turn" data-testid="chat-edit">
              Edit
            </button>
          </div>
        )}
      </li>
    );
  }
  const hasMeta = !msg.streaming && !msg.error && msg.cost_usd !== undefined;
  const approx = msg.cost_estimated ? '~' : '';
  return (
    <li className="chat-msg assistant" data-testid="chat-answer" aria-busy={msg.streaming ? true : undefined}>
      <div className="chat-role sr-only">Mira:</div>
      {msg.content ? (
        <Markdown text={msg.content} actions={msg.streaming ? undefined : [applyAction]} />
      ) : msg.streaming ? (
        <div className="muted small typing" data-testid="chat-thinking">
          Thinking… {msg.started_at ? <Elapsed since={msg.started_at} /> : null}
        </div>
      ) : msg.stopped ? (
        <div className="muted small" data-testid="chat-stopped-empty">
          Stopped before the answer started.
        </div>
      ) : null}
      {!!msg.tool_calls?.length && (
        <div className="muted small">
          Used {msg.tool_calls.map((t) => `${t.name}${t.declined ? ' (declined)' : t.ok === false ? ' (failed)' : ''}`).join(', ')}
        </div>
      )}
      {msg.error && (
        <div className="error-box small" role="alert">
          {msg.error.message}
          {msg.error.hint ? <span className="muted"> — {uiHint(msg.error.hint)}</span> : null}{' '}
          {last && (
            <button type="button" className="small" onClick={() => void useChat.getState().retry(msg.key)} disabled={sending} data-testid="chat-retry">
              Retry
            </button>
          )}
        </div>
      )}
      {hasMeta && (
        <div className="chat-meta small" data-testid="chat-meta">
          {msg.model && <span>{msg.model}</span>}
          <span data-testid="chat-cost" title={msg.cost_estimated ? 'Estimated from the text streamed before the answer ended' : undefined}>
            {approx}
            {usd(msg.cost_usd ?? 0)}
            {msg.cost_estimated ? ' (estimated)' : ''}
          </span>
          {msg.cached ? (
            <span className="badge cached" data-testid="chat-cached">
              from cache
            </span>
          ) : (
            <span className="muted">not cached</span>
          )}
          {msg.stopped && <span className="badge">stopped</span>}
          {msg.tokens_in !== undefined && (
            <span className="muted" data-testid="chat-tokens">
              {approx}
              {msg.tokens_in}→{msg.tokens_out} tokens
            </span>
          )}
          {msg.took_ms !== undefined && (
            <span className="muted" data-testid="chat-timing">
              {msg.first_token_ms !== undefined ? `first token ${seconds(msg.first_token_ms)} · ` : ''}
              {seconds(msg.took_ms)}
            </span>
          )}
          {msg.context && (
            <button type="button" className="link small" aria-expanded={inspector === msg.key} onClick={() => useChat.getState().toggleInspector(msg.key)}>
              Context ({msg.context.length})
            </button>
          )}
        </div>
      )}
      {!msg.streaming && <Learned msg={msg} />}
      {last && !msg.streaming && !sending && !msg.error && msg.id !== null && (
        <div className="chat-actions">
          <button type="button" className="link small" onClick={() => void useChat.getState().regenerate()} title="Ask the same question again, replacing this answer" data-testid="chat-regenerate">
            Regenerate
          </button>
        </div>
      )}
      {inspector === msg.key && <ContextInspector msg={msg} />}
    </li>
  );
}

function Confirmation() {
  const c = useChat((s) => s.confirm);
  const allow = useRef<HTMLButtonElement>(null);
  // The decision is the next thing to do: the keyboard goes to it (Enter allows, Tab reaches Deny).
  useEffect(() => {
    if (c) allow.current?.focus();
  }, [c]);
  if (!c) return null;
  return (
    <div className="confirm-card" role="alertdialog" aria-label={`Allow ${c.tool}?`}>
      <p>
        Mira wants to run <code>{c.tool}</code>: {c.description}
      </p>
      <pre className="snippet">{JSON.stringify(c.args, null, 2)}</pre>
      <button type="button" className="primary" ref={allow} onClick={() => void useChat.getState().answerConfirm(true)} data-testid="confirm-allow">
        Allow
      </button>{' '}
      <button type="button" onClick={() => void useChat.getState().answerConfirm(false)}>
        Deny
      </button>
    </div>
  );
}

function Composer({ disabled }: { disabled: boolean }) {
  const draft = useChat((s) => s.draft);
  const editing = useChat((s) => s.editing);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);
  const sending = useChat((s) => s.sending);
  const stopping = useChat((s) => s.stopping);
  const effort = useChat((s) => s.effort);
  const serverEffort = useSettings((s) => s.llm?.effort ?? null);
  useEffect(() => {
    if (!disabled && useSettings.getState().status === 'idle') void useSettings.getState().load();
  }, [disabled]);
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void useChat.getState().send();
    } else if (e.key === 'Escape' && !useChat.getState().sending && useChat.getState().editing) {
      e.preventDefault();
      e.stopPropagation();
      useChat.getState().cancelEdit();
    }
  };
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void useChat.getState().send();
      }}
    >
      {editing && (
        <div className="composer-note small muted" data-testid="chat-editing">
          Editing your last question: sending replaces that turn.{' '}
          <button type="button" className="link small" onClick={() => useChat.getState().cancelEdit()}>
            Cancel
          </button>
        </div>
      )}
      <textarea
        ref={input}
        value={draft}
        rows={3}
        disabled={disabled}
        placeholder={disabled ? 'Configure a language model in Settings to chat' : 'Ask about the code (Enter sends, Shift+Enter for a new line)'}
        aria-label="Message to Mira"
        data-testid="chat-input"
        onChange={(e) => useChat.getState().setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <label className="small">
          Effort{' '}
          <select value={effort ?? ''} onChange={(e) => useChat.getState().setEffort((e.target.value || null) as Effort | null)} aria-label="Reasoning effort" data-testid="chat-effort">
            <option value="">default{serverEffort ? ` (${serverEffort})` : ''}</option>
            {EFFORTS.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        {sending ? (
          <button type="button" onClick={() => void useChat.getState().stop()} disabled={stopping} data-testid="chat-stop" title="Stop the answer (Escape)">
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={disabled || !draft.trim()}>
            {editing ? 'Send edit' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}

function History() {
  const list = useChat((s) => s.list);
  const search = useChat((s) => s.search);
  const current = useChat((s) => s.conversationId);
  const searching = !!search.query.trim() && search.status !== 'idle';
  const items = searching ? search.results.map((r) => ({ id: r.conversation_id, title: r.title, sub: r.snippet, at: r.created_at })) : list.items.map((c) => ({ id: c.id, title: c.title, sub: `${c.message_count} messages · ${usd(c.cost_usd)}`, at: c.updated_at }));
  const nav = useRovingList(items, (x) => void useChat.getState().openConversation(x.id));
  return (
    <div className="chat-history">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void useChat.getState().runSearch();
        }}
      >
        <input type="search" value={search.query} placeholder="Search conversations (Enter)" aria-label="Search conversations" onChange={(e) => useChat.getState().setSearchQuery(e.target.value)} />
      </form>
      {list.status === 'loading' && !searching && <Loading what="conversations" />}
      {list.status === 'error' && list.error && !searching && <ErrorNotice error={list.error} what="Conversations" methods={['chat/list']} onRetry={() => void useChat.getState().loadList()} />}
      {search.status === 'loading' && <div className="muted small pad">Searching…</div>}
      {search.status === 'error' && search.error && <ErrorNotice error={search.error} what="Conversation search" methods={['chat/search']} />}
      {((searching && search.status === 'ready') || (!searching && list.status === 'ready')) && !items.length && <Empty>{searching ? 'No conversation mentions that.' : 'No conversations yet.'}</Empty>}
      {!!items.length && (
        <ul className="results" role="listbox" aria-label={searching ? 'Matching conversations' : 'Conversations'} onKeyDown={nav.onKeyDown}>
          {items.map((c, i) => (
            <li key={`${c.id}:${i}`} role="option" className={`result${c.id === current ? ' selected' : ''}`} {...nav.itemProps(i)} onClick={() => void useChat.getState().openConversation(c.id)} data-testid="conversation">
              <div className="result-head">
                <span className="symbol">{c.title || `Conversation ${c.id}`}</span>
                <span className="spacer" />
                <span className="muted small">{c.at.slice(0, 10)}</span>
              </div>
              <div className="muted small">{c.sub}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ChatPanel() {
  const hasLlm = useConnection((s) => s.info?.llm ?? false);
  const messages = useChat((s) => s.messages);
  const view = useChat((s) => s.view);
  const title = useChat((s) => s.title);
  const sending = useChat((s) => s.sending);
  const error = useChat((s) => s.error);
  const loadingConversation = useChat((s) => s.loadingConversation);
  const confirm = useChat((s) => s.confirm);
  const log = useRef<HTMLOListElement>(null);
  // The log follows the end of the conversation unless the reader scrolled up: new text, the meta line of a
  // finished answer, and the log shrinking (a confirmation card shown below it) all keep the end in view.
  const pinned = useRef(true);
  const toEnd = () => {
    const el = log.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  };
  useEffect(toEnd, [messages, confirm]);
  const hasLog = messages.length > 0;
  useEffect(() => {
    const el = log.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(toEnd);
    ro.observe(el);
    return () => ro.disconnect();
  }, [hasLog, view]);
  const onScroll = () => {
    const el = log.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  useEffect(() => {
    if (sending) pinned.current = true;
  }, [sending]);

  const listError = useChat((s) => s.list.error);
  const unavailable = isUnavailable(error) || isUnavailable(listError);

  return (
    <div
      className="panel chat-panel"
      data-testid="chat-panel"
      onKeyDown={(e) => {
        // Escape anywhere in the chat stops the answer being written.
        if (e.key === 'Escape' && useChat.getState().sending) {
          e.preventDefault();
          e.stopPropagation();
          void useChat.getState().stop();
        }
      }}
    >
      <div className="panel-toolbar">
        <div className="segmented" role="tablist" aria-label="Chat view">
          <button type="button" role="tab" aria-selected={view === 'chat'} className={view === 'chat' ? 'active' : ''} onClick={() => useChat.getState().setView('chat')}>
            Chat
          </button>
          <button type="button" role="tab" aria-selected={view === 'history'} className={view === 'history' ? 'active' : ''} onClick={() => useChat.getState().setView('history')} data-testid="chat-history-tab">
            History
          </button>
        </div>
        <span className="chat-title muted small" title={title ?? undefined}>
          {title ?? ''}
        </span>
        <span className="spacer" />
        <button type="button" className="link small" onClick={() => useChat.getState().newChat()} disabled={sending}>
          New chat
        </button>
      </div>
      {unavailable ? (
        <Unavailable what="Chat" methods={CHAT_METHODS} />
      ) : view === 'history' ? (
        <History />
      ) : (
        <>
          {!hasLlm && (
            <div className="pad">
              <NoLlmNotice compact />
              <button type="button" onClick={() => useLayout.getState().showPanel('bottom', 'settings')}>
                Open Settings
              </button>{' '}
              <button type="button" className="link" onClick={() => useChat.getState().setView('history')}>
                Past conversations
              </button>
            </div>
          )}
          {loadingConversation && <Loading what="the conversation" />}
          {hasLlm && !messages.length && !loadingConversation && (
            <Empty>Ask about this project: how something works, where to change it, or to write code. Answers use the index, the git history and what Mira remembers about you.</Empty>
          )}
          {!!messages.length && (
            <ol className="chat-log" role="log" aria-label="Conversation" aria-live="polite" ref={log} tabIndex={0} onScroll={onScroll}>
              {messages.map((m, i) => (
                <Message key={m.key} msg={m} last={i === messages.length - 1} lastQuestion={m.role === 'user' && i === messages.findLastIndex((x) => x.role === 'user')} />
              ))}
            </ol>
          )}
          <Confirmation />
          {error && !messages.some((m) => m.error) && <InlineError error={error} />}
          <Composer disabled={!hasLlm} />
        </>
      )}
    </div>
  );
}
