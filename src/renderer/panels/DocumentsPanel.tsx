// Documents: add a project file (Markdown, text, PDF) or pasted text to the project's knowledge, list them, search their passages, open one, remove one. Chat answers use them as context.
import { useEffect, useState, type FormEvent } from 'react';
import { Empty, ErrorNotice, InlineError, Loading } from '../components/PanelState';
import { focusEditor } from '../editor/focus';
import { DOCS_METHODS, isProjectDocument, PASTED_PREFIX, useDocs } from '../stores/docs';
import { useEditor } from '../stores/editor';
import type { DocumentInfo } from '../../shared/api/docs';
import { ConfirmAction } from '../components/ConfirmAction';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function when(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function openDoc(path: string): void {
  void useEditor.getState().open(path).then(focusEditor);
}

function AddForm() {
  const adding = useDocs((s) => s.adding);
  const addError = useDocs((s) => s.addError);
  const added = useDocs((s) => s.added);
  const [mode, setMode] = useState<'path' | 'text'>('path');
  const [path, setPath] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = mode === 'path' ? await useDocs.getState().addPath(path) : await useDocs.getState().addText(title, text);
    if (ok) {
      setPath('');
      setTitle('');
      setText('');
    }
  };
  const ready = mode === 'path' ? !!path.trim() : !!title.trim() && !!text.trim();
  return (
    <form className="docs-add" onSubmit={(e) => void submit(e)} aria-label="Add a document">
      <div className="row small">
        <label>
          <input type="radio" name="doc-mode" checked={mode === 'path'} onChange={() => setMode('path')} /> A file in the project
        </label>
        <label>
          <input type="radio" name="doc-mode" checked={mode === 'text'} onChange={() => setMode('text')} /> Pasted text
        </label>
      </div>
      {mode === 'path' ? (
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="docs/spec.md (Markdown, text or PDF; relative to the project)" aria-label="Document path" spellCheck={false} />
      ) : (
        <>
          <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Title, e.g. Payment API notes" aria-label="Document title" />
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={5} placeholder="Paste the text (Markdown is fine)" aria-label="Document text" />
        </>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={adding || !ready}>
          {adding ? 'Adding…' : 'Add document'}
        </button>
        {added && (
          <span className="muted small" role="status">
            Added {added}
          </span>
        )}
      </div>
      <InlineError error={addError} />
    </form>
  );
}

function DocRow({ doc }: { doc: DocumentInfo }) {
  const busy = useDocs((s) => !!s.removing[doc.id]);
  const openable = isProjectDocument(doc.path);
  const shownPath = doc.path.startsWith(PASTED_PREFIX) ? 'pasted text' : doc.path;
  return (
    <tr>
      <td>
        <strong>{doc.title}</strong>
        <div className="muted small">{shownPath}</div>
      </td>
      <td className="small">
        {doc.kind}, {size(doc.bytes)}, {doc.chunks} {doc.chunks === 1 ? 'passage' : 'passages'}
        {doc.vectors ? '' : ' (full-text only)'}
      </td>
      <td className="small muted" title={`added ${when(doc.created_at)}`}>
        {when(doc.updated_at)}
      </td>
      <td className="small actions">
        {openable && (
          <button type="button" className="link small" onClick={() => openDoc(doc.path)} aria-label={`Open ${doc.path}`}>
            Open
          </button>
        )}
        <ConfirmAction verb="Remove" what={doc.title} busy={busy} onConfirm={() => void useDocs.getState().remove(doc.id)} />
      </td>
    </tr>
  );
}

function Search() {
  const search = useDocs((s) => s.search);
  const [q, setQ] = useState(search.query);
  return (
    <section aria-label="Search documents">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void useDocs.getState().runSearch(q);
        }}
      >
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search the documents (Enter)" aria-label="Search documents" />
        <button type="submit" disabled={!q.trim()}>
          Search
        </button>
      </form>
      {search.status === 'loading' && <div className="muted small">Searching…</div>}
      <InlineError error={search.error} />
      {search.status === 'ready' && !search.hits.length && <div className="muted small">No passage matches “{search.query}”.</div>}
      {!!search.hits.length && (
        <ul className="plain-list doc-hits" aria-label="Matching passages">
          {search.hits.map((h, i) => (
            <li key={`${h.id}:${i}`} className="small">
              <div>
                <strong>{h.title}</strong>
                {h.heading && <span className="muted"> › {h.heading}</span>}{' '}
                {isProjectDocument(h.path) && (
                  <button type="button" className="link small" onClick={() => openDoc(h.path)}>
                    Open
                  </button>
                )}
              </div>
              <div className="doc-snippet">{h.snippet}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DocumentsPanel() {
  const status = useDocs((s) => s.status);
  const error = useDocs((s) => s.error);
  const docs = useDocs((s) => s.docs);
  const removeError = useDocs((s) => s.removeError);
  useEffect(() => {
    void useDocs.getState().load();
  }, []);
  if (status === 'error' && error) return <ErrorNotice error={error} what="Documents" methods={DOCS_METHODS} onRetry={() => void useDocs.getState().load()} />;
  if (status !== 'ready') return <Loading what="documents" />;
  return (
    <div className="panel docs-panel" data-testid="docs-panel">
      <div className="panel-scroll pad">
        <p className="muted small">Documents (specs, notes, PDFs) are searched for passages that answer a chat question, and the best ones are given to the model as context.</p>
        <AddForm />
        <h4>
          {docs.length} {docs.length === 1 ? 'document' : 'documents'}
        </h4>
        <InlineError error={removeError} />
        {!docs.length ? (
          <Empty testId="docs-empty">No documents yet. Add a Markdown, text or PDF file of the project, or paste text.</Empty>
        ) : (
          <table className="data-table" aria-label="Documents">
            <thead>
              <tr>
                <th>Document</th>
                <th>Size</th>
                <th>Updated</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <DocRow key={d.id} doc={d} />
              ))}
            </tbody>
          </table>
        )}
        <h4>Search</h4>
        <Search />
      </div>
    </div>
  );
}
