// The Memory panel: what Mira remembers about you and the project (facts and profile, editable and forgettable), learned patterns and reasoning patterns with their success rates.
import { useEffect, useState, type FormEvent } from 'react';
import { Empty, ErrorNotice, InlineError, Loading } from '../components/PanelState';
import { useMemory, type MemoryEntry } from '../stores/memory';
import { ConfirmAction } from '../components/ConfirmAction';

type Tab = 'facts' | 'patterns' | 'reasoning';

function EntryRow({ entry }: { entry: MemoryEntry }) {
  const busy = useMemory((s) => !!s.busy[entry.key]);
  const error = useMemory((s) => s.rowErrors[entry.key] ?? null);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.value);
  useEffect(() => setValue(entry.value), [entry.value]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    if (await useMemory.getState().save(entry.key, value.trim(), entry.scope)) setEditing(false);
  };
  return (
    <tr data-testid="memory-entry" data-key={entry.key}>
      <th scope="row">
        <code>{entry.key}</code>
        <div className="muted small">
          {entry.kind} · {entry.category} · {entry.scope}
        </div>
      </th>
      <td>
        {editing ? (
          <form className="inline-form" onSubmit={(e) => void save(e)}>
            <input
              type="text"
              value={value}
              aria-label={`New value for ${entry.key}`}
              autoFocus
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setEditing(false);
                  setValue(entry.value);
                }
              }}
            />
            <button type="submit" disabled={busy || !value.trim()}>
              Save
            </button>
            <button type="button" className="link" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <span className="value">{entry.value}</span>
            {entry.previous_value && <div className="muted small">was: {entry.previous_value}</div>}
          </>
        )}
        <InlineError error={error} />
      </td>
      <td className="muted small" title={`source ${entry.source}, updated ${entry.updated_at}`}>
        {Math.round(entry.confidence * 100)}%<br />
        used {entry.times_referenced}×
      </td>
      <td className="row-actions">
        {!editing && (
          <button type="button" className="link small" onClick={() => setEditing(true)} aria-label={`Edit ${entry.key}`}>
            Edit
          </button>
        )}
        <ConfirmAction verb="Forget" what={entry.key} busy={busy} onConfirm={() => void useMemory.getState().forget(entry.key)} />
      </td>
    </tr>
  );
}

function AddFact() {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [scope, setScope] = useState<'global' | 'project'>('global');
  const busy = useMemory((s) => !!s.busy[key.trim()]);
  const error = useMemory((s) => s.rowErrors[key.trim()] ?? null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim() || !value.trim()) return;
    if (await useMemory.getState().save(key.trim(), value.trim(), scope)) {
      setKey('');
      setValue('');
    }
  };
  return (
    <form className="add-fact" onSubmit={(e) => void submit(e)} aria-label="Remember a fact">
      <input type="text" value={key} onChange={(e) => setKey(e.target.value)} placeholder="key, e.g. preferences.test_framework" aria-label="Fact key" data-testid="memory-key" />
      <input type="text" value={value} onChange={(e) => setValue(e.target.value)} placeholder="value, e.g. vitest" aria-label="Fact value" data-testid="memory-value" />
      <select value={scope} onChange={(e) => setScope(e.target.value as 'global' | 'project')} aria-label="Scope">
        <option value="global">everywhere</option>
        <option value="project">this project</option>
      </select>
      <button type="submit" disabled={busy || !key.trim() || !value.trim()}>
        Remember
      </button>
      <InlineError error={error} />
    </form>
  );
}

function Facts() {
  const entries = useMemory((s) => s.entries);
  const query = useMemory((s) => s.query);
  return (
    <>
      <AddFact />
      <form
        className="filter-row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void useMemory.getState().load();
        }}
      >
        <input type="search" value={query} placeholder="Filter facts and profile (Enter)" aria-label="Filter memory" onChange={(e) => useMemory.getState().setQuery(e.target.value)} />
      </form>
      {!entries.length ? (
        <Empty testId="memory-empty">{query.trim() ? `No fact or profile entry matches “${query.trim()}”.` : 'Nothing remembered yet. Mira learns from the chat, or add a fact above.'}</Empty>
      ) : (
        <table className="data-table memory-table" aria-label="Facts and profile">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th>Confidence</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <EntryRow key={`${e.kind}:${e.scope}:${e.key}`} entry={e} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Patterns() {
  const patterns = useMemory((s) => s.patterns);
  const busy = useMemory((s) => s.busy);
  const errors = useMemory((s) => s.rowErrors);
  if (!patterns.length) return <Empty>No learned patterns yet: Mira learns habits ("always …", "when … I …") from what you tell it.</Empty>;
  return (
    <ul className="plain-list pattern-list" aria-label="Learned patterns">
      {patterns.map((p) => {
        const n = p.confirmations + p.contradictions;
        return (
          <li key={p.id}>
            <div>
              <strong>{p.pattern}</strong> {p.status === 'retired' && <span className="badge">retired</span>}
            </div>
            <div className="muted small">
              when {p.applies_when} · {p.category} · {p.scope} · confidence {Math.round(p.confidence * 100)}%
              {n ? ` · confirmed ${p.confirmations} of ${n} (${Math.round((p.confirmations / n) * 100)}%)` : ''}
            </div>
            <div className="row-actions">
              <button type="button" className="link small" disabled={busy[`pattern:${p.id}`]} onClick={() => void useMemory.getState().patternFeedback(p.id, true)}>
                Still true
              </button>
              <button type="button" className="link small" disabled={busy[`pattern:${p.id}`]} onClick={() => void useMemory.getState().patternFeedback(p.id, false)}>
                Not true
              </button>
            </div>
            <InlineError error={errors[`pattern:${p.id}`] ?? null} />
          </li>
        );
      })}
    </ul>
  );
}

function Reasoning() {
  const r = useMemory((s) => s.reasoning);
  const busy = useMemory((s) => s.busy);
  const errors = useMemory((s) => s.rowErrors);
  useEffect(() => {
    if (useMemory.getState().reasoning.status === 'idle') void useMemory.getState().loadReasoning();
  }, []);
  if (r.status === 'loading' || r.status === 'idle') return <Loading what="reasoning patterns" />;
  if (r.status === 'error' && r.error) return <ErrorNotice error={r.error} what="Reasoning patterns" methods={['memory/reasoning']} onRetry={() => void useMemory.getState().loadReasoning()} />;
  if (!r.items.length) return <Empty>No reasoning patterns yet: they are recipes Mira records when a multi-step task succeeds.</Empty>;
  return (
    <ul className="plain-list pattern-list" aria-label="Reasoning patterns">
      {r.items.map((p) => (
        <li key={p.id}>
          <div>
            <strong>{p.name}</strong> {p.status === 'deprecated' && <span className="badge" title={p.deprecated_reason ?? ''}>deprecated</span>}
            <span className="muted small">
              {' '}
              success {p.success_rate === null ? 'not measured yet' : `${Math.round(p.success_rate * 100)}%`} ({p.successes} of {p.uses} uses{p.failures ? `, ${p.failures} failed` : ''})
            </span>
          </div>
          <div className="muted small">when: {p.trigger}</div>
          {!!p.steps.length && (
            <ol className="steps small">
              {p.steps.map((s, i) => (
                <li key={i}>
                  {s.description}
                  {s.tool ? <code> {s.tool}</code> : null}
                </li>
              ))}
            </ol>
          )}
          <div className="row-actions">
            <button type="button" className="link small" disabled={busy[`reasoning:${p.id}`]} onClick={() => void useMemory.getState().reasoningFeedback(p.id, true)}>
              It worked
            </button>
            <button type="button" className="link small" disabled={busy[`reasoning:${p.id}`]} onClick={() => void useMemory.getState().reasoningFeedback(p.id, false)}>
              It failed
            </button>
          </div>
          <InlineError error={errors[`reasoning:${p.id}`] ?? null} />
        </li>
      ))}
    </ul>
  );
}

export function MemoryPanel() {
  const status = useMemory((s) => s.status);
  const error = useMemory((s) => s.error);
  const entries = useMemory((s) => s.entries.length);
  const patterns = useMemory((s) => s.patterns.length);
  const [tab, setTab] = useState<Tab>('facts');
  useEffect(() => {
    void useMemory.getState().load();
  }, []);

  if (status === 'error' && error) return <ErrorNotice error={error} what="Memory" methods={['memory/list']} onRetry={() => void useMemory.getState().load()} />;
  if (status !== 'ready') return <Loading what="memory" />;
  const tabs: { id: Tab; label: string }[] = [
    { id: 'facts', label: `Facts & profile (${entries})` },
    { id: 'patterns', label: `Learned patterns (${patterns})` },
    { id: 'reasoning', label: 'Reasoning patterns' },
  ];
  return (
    <div className="panel memory-panel" data-testid="memory-panel">
      <div
        className="segmented"
        role="tablist"
        aria-label="Memory sections"
        onKeyDown={(e) => {
          const i = tabs.findIndex((t) => t.id === tab);
          const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : undefined;
          if (!next) return;
          e.preventDefault();
          setTab(next.id);
          (e.currentTarget.querySelector(`[data-tab="${next.id}"]`) as HTMLElement | null)?.focus();
        }}
      >
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" data-tab={t.id} aria-selected={tab === t.id} tabIndex={tab === t.id ? 0 : -1} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="panel-scroll pad" role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
        {tab === 'facts' && <Facts />}
        {tab === 'patterns' && <Patterns />}
        {tab === 'reasoning' && <Reasoning />}
      </div>
    </div>
  );
}
