// The Settings panel: the language model (endpoint, model, key, effort), the embedder and vector store, and the budget limits; a clear state when no LLM is configured.
import { useEffect, useState, type FormEvent } from 'react';
import { LimitsForm } from '../components/LimitsForm';
import { ErrorNotice, InlineError, Loading, Unavailable } from '../components/PanelState';
import { usd } from '../components/SpendChart';
import { useBudget } from '../stores/budget';
import { useConnection } from '../stores/connection';
import { useSettings, type SettingsPatch } from '../stores/settings';

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high'] as const;

/** How to configure by hand, for servers without settings/set (and for people who prefer files). */
function HowToConfigure() {
  const home = useConnection((s) => s.info?.home);
  return (
    <div className="how-to small">
      <p>Set these in the environment of Mira (or <code>mira serve</code>) and restart it:</p>
      <pre className="mono">{`OPENAI_API_KEY=sk-...\nOPENAI_BASE_URL=https://api.openai.com/v1   # or any OpenAI-compatible server\nMIRA_MODEL=gpt-5.1\nMIRA_REASONING_EFFORT=medium`}</pre>
      <p>
        or in <code>{home ? `${home}/config.json` : '$MIRA_HOME/config.json'}</code>: <code>openaiApiKey</code>, <code>openaiBaseUrl</code>, <code>model</code>, <code>reasoningEffort</code>, <code>embeddingModel</code>, <code>qdrantUrl</code>.
      </p>
    </div>
  );
}

/** The state every LLM feature points to when app/info says llm: false. */
export function NoLlmNotice({ compact }: { compact?: boolean }) {
  return (
    <div className="no-llm" role="note" data-testid="no-llm">
      <strong>No language model is configured.</strong>
      <p className="small">
        Chat, answers and other LLM features are off. Search, code intelligence, git history, builds, memory and the editor work without one.
      </p>
      {!compact && <HowToConfigure />}
    </div>
  );
}

function LlmForm() {
  const llm = useSettings((s) => s.llm);
  const models = useSettings((s) => s.models);
  const saving = useSettings((s) => s.saving);
  const saveError = useSettings((s) => s.saveError);
  const saveUnavailable = useSettings((s) => s.saveUnavailable);
  const savedAt = useSettings((s) => s.savedAt);
  const restartRequired = useSettings((s) => s.restartRequired);
  // The saved note belongs to the form whose save it was.
  const [mySave, setMySave] = useState<number | null>(null);
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [effort, setEffort] = useState<(typeof EFFORTS)[number]>('medium');
  // The key lives only in this field until it is sent; it is cleared after saving and never put in a store.
  const [key, setKey] = useState('');
  useEffect(() => {
    if (!llm) return;
    setBaseUrl(llm.base_url);
    setModel(llm.model);
    if ((EFFORTS as readonly string[]).includes(llm.effort)) setEffort(llm.effort as (typeof EFFORTS)[number]);
  }, [llm]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const patch: SettingsPatch = { model: model.trim(), reasoning_effort: effort };
    if (baseUrl.trim() && baseUrl.trim() !== llm?.base_url) patch.openai_base_url = baseUrl.trim();
    if (key.trim()) patch.openai_api_key = key.trim();
    const ok = await useSettings.getState().save(patch);
    if (ok) setKey('');
    setMySave(ok ? useSettings.getState().savedAt : null);
  };
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-labelledby="llm-h" autoComplete="off">
      <label>
        Endpoint (OpenAI-compatible)
        <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.openai.com/v1" />
      </label>
      <label>
        Model
        <input type="text" value={model} onChange={(e) => setModel(e.target.value)} list="llm-models" />
        <datalist id="llm-models">
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      <label>
        Reasoning effort
        <select value={effort} onChange={(e) => setEffort(e.target.value as (typeof EFFORTS)[number])}>
          {EFFORTS.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <label>
        API key
        <input type="password" value={key} onChange={(e) => setKey(e.target.value)} placeholder={llm?.configured ? 'saved (type to replace)' : 'sk-…'} autoComplete="new-password" spellCheck={false} />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !model.trim()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {savedAt && savedAt === mySave && !saveError && !saveUnavailable && (
          <span className="muted small" role="status" data-testid="settings-saved">
            {restartRequired ? 'Saved. Restart Mira to use it.' : llm ? `Saved. The next answer uses ${llm.model}.` : 'Saved.'}
          </span>
        )}
      </div>
      <InlineError error={saveError} />
      {saveUnavailable && (
        <Unavailable what="Saving settings from the window" methods={['settings/set']}>
          <HowToConfigure />
        </Unavailable>
      )}
    </form>
  );
}

function StoreForm() {
  const llm = useSettings((s) => s.llm);
  const saving = useSettings((s) => s.saving);
  const savedAt = useSettings((s) => s.savedAt);
  const restartRequired = useSettings((s) => s.restartRequired);
  const [mySave, setMySave] = useState<number | null>(null);
  const [embedder, setEmbedder] = useState('');
  const [store, setStore] = useState<'embedded' | 'qdrant'>('embedded');
  const [qdrantUrl, setQdrantUrl] = useState('');
  useEffect(() => {
    if (llm) setEmbedder(llm.embedding_model);
  }, [llm]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await useSettings.getState().save({ embedding_model: embedder.trim(), vector_store: store, ...(store === 'qdrant' ? { qdrant_url: qdrantUrl.trim() } : {}) });
    setMySave(ok ? useSettings.getState().savedAt : null);
  };
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-labelledby="vectors-h">
      <label>
        Embedder
        <input type="text" value={embedder} onChange={(e) => setEmbedder(e.target.value)} placeholder="local, or an embedding model such as text-embedding-3-small" />
      </label>
      <fieldset className="radio-row">
        <legend>Vector store</legend>
        <label>
          <input type="radio" name="store" checked={store === 'embedded'} onChange={() => setStore('embedded')} /> Embedded (sqlite-vec, in the Mira database)
        </label>
        <label>
          <input type="radio" name="store" checked={store === 'qdrant'} onChange={() => setStore('qdrant')} /> Qdrant
        </label>
      </fieldset>
      {store === 'qdrant' && (
        <label>
          Qdrant URL
          <input type="url" value={qdrantUrl} onChange={(e) => setQdrantUrl(e.target.value)} placeholder="http://127.0.0.1:6333" required />
        </label>
      )}
      <div className="form-actions">
        <button type="submit" disabled={saving || !embedder.trim()}>
          Save
        </button>
        {savedAt && savedAt === mySave && restartRequired ? (
          <strong className="small" role="status" data-testid="settings-restart">
            Saved. Restart Mira (or mira serve) to use the new embedder or vector store; until then it keeps the current one.
          </strong>
        ) : (
          <span className="muted small">The server reports the embedder in use; which vector store it uses is not reported yet.</span>
        )}
      </div>
    </form>
  );
}

function LimitsSection() {
  const budget = useBudget((s) => s.budget);
  const status = useBudget((s) => s.status);
  const error = useBudget((s) => s.error);
  useEffect(() => {
    if (status === 'idle') void useBudget.getState().load();
  }, [status]);
  if (status === 'error' && error) return <ErrorNotice error={error} what="Budget limits" methods={['llm/budget', 'llm/setLimits']} onRetry={() => void useBudget.getState().load()} />;
  if (!budget) return <Loading what="the limits" />;
  return (
    <>
      <p className="muted small">
        Spent today {usd(budget.daily_spend_usd)}, this month {usd(budget.monthly_spend_usd)}. A call that would pass a limit is refused before it is sent.
      </p>
      <LimitsForm budget={budget} />
    </>
  );
}

export function SettingsPanel() {
  const hasLlm = useConnection((s) => s.info?.llm ?? false);
  const status = useSettings((s) => s.status);
  const error = useSettings((s) => s.error);
  const llm = useSettings((s) => s.llm);
  useEffect(() => {
    void useSettings.getState().load();
  }, []);
  return (
    <div className="panel settings-panel" data-testid="settings-panel">
      <div className="panel-scroll pad">
        {!hasLlm && <NoLlmNotice compact />}
        <section aria-labelledby="llm-h">
          <h3 id="llm-h">Language model</h3>
          {status === 'loading' && <Loading what="the LLM settings" />}
          {status === 'error' && error && <ErrorNotice error={error} what="The LLM settings" methods={['llm/status']} onRetry={() => void useSettings.getState().load()} />}
          {llm && (
            <p className="small" data-testid="llm-status">
              {llm.configured ? (
                <>
                  Using <strong>{llm.model}</strong> at <code>{llm.base_url}</code> (effort {llm.effort}); {llm.tools.length} tools offered to the model.
                </>
              ) : (
                <>
                  Not configured: no API key. Endpoint <code>{llm.base_url}</code>, model {llm.model}.
                </>
              )}
            </p>
          )}
          {(llm || status === 'error') && <LlmForm />}
        </section>
        <section aria-labelledby="vectors-h">
          <h3 id="vectors-h">Embeddings and vector store</h3>
          <StoreForm />
        </section>
        <section aria-labelledby="limits-h">
          <h3 id="limits-h">Budget limits</h3>
          <LimitsSection />
        </section>
      </div>
    </div>
  );
}
