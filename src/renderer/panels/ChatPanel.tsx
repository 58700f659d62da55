// The Chat panel: streamed Markdown answers with highlighted code, "Apply to file" through a diff, stop, cost and cache of each answer, the context inspector, effort, and past conversations.
import { useEffect, useRef, type KeyboardEvent } from 'react';
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

function Message({ msg }: { msg: ChatMessage }) {
  const inspector = useChat((s) => s.inspector);
  if (msg.role === 'user') {
    return (
      <li className="chat-msg user" data-testid="chat-user">
        <div className="chat-role sr-only">You:</div>
        <div className="chat-text">{msg.content}</div>
      </li>
    );
  }
  const hasMeta = !msg.streaming && !msg.error && msg.cost_usd !== undefined;
  return (
    <li className="chat-msg assistant" data-testid="chat-answer" aria-busy={msg.streaming ? true : undefined}>
      <div className="chat-role sr-only">Mira:</div>
      {msg.content ? <Markdown text={msg.content} actions={msg.streaming ? undefined : [applyAction]} /> : msg.streaming ? <div className="muted small typing">Thinking…</div> : null}
      {!!msg.tool_calls?.length && (
        <div className="muted small">
          Used {msg.tool_calls.map((t) => `${t.name}${t.declined ? ' (declined)' : t.ok === false ? ' (failed)' : ''}`).join(', ')}
        </div>
      )}
      {msg.error && (
        <div className="error-box small" role="alert">
          {msg.error.message}
          {msg.error.hint ? <span className="muted"> — {msg.error.hint}</span> : null}
        </div>
      )}
      {hasMeta && (
        <div className="chat-meta small" data-testid="chat-meta">
          {msg.model && <span>{msg.model}</span>}
          <span data-testid="chat-cost">{usd(msg.cost_usd ?? 0)}</span>
          {msg.cached ? (
            <span className="badge cached" data-testid="chat-cached">
              from cache
            </span>
          ) : (
            <span className="muted">not cached</span>
          )}
          {msg.stopped && <span className="badge">stopped</span>}
          {msg.tokens_in !== undefined && (
            <span className="muted">
              {msg.tokens_in}→{msg.tokens_out} tokens
            </span>
          )}
          {msg.context && (
            <button type="button" className="link small" aria-expanded={inspector === msg.key} onClick={() => useChat.getState().toggleInspector(msg.key)}>
              Context ({msg.context.length})
            </button>
          )}
        </div>
      )}
      {inspector === msg.key && <ContextInspector msg={msg} />}
    </li>
  );
}

function Confirmation() {
  const c = useChat((s) => s.confirm);
  if (!c) return null;
  return (
    <div className="confirm-card" role="alertdialog" aria-label={`Allow ${c.tool}?`}>
      <p>
        Mira wants to run <code>{c.tool}</code>: {c.description}
      </p>
      <pre className="snippet">{JSON.stringify(c.args, null, 2)}</pre>
      <button type="button" className="primary" onClick={() => void useChat.getState().answerConfirm(true)}>
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
      <textarea
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
          <button type="button" onClick={() => void useChat.getState().stop()} disabled={stopping} data-testid="chat-stop">
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={disabled || !draft.trim()}>
            Send
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
  const log = useRef<HTMLOListElement>(null);
  const lastLen = messages[messages.length - 1]?.content.length ?? 0;

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, lastLen]);

  const listError = useChat((s) => s.list.error);
  const unavailable = isUnavailable(error) || isUnavailable(listError);

  return (
    <div className="panel chat-panel" data-testid="chat-panel">
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
            <ol className="chat-log" role="log" aria-label="Conversation" aria-live="polite" ref={log} tabIndex={0}>
              {messages.map((m) => (
                <Message key={m.key} msg={m} />
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
