// Open a project: the native folder dialog in the desktop app, a path field in the browser, and recent projects in both.
import { useEffect, useState, type FormEvent } from 'react';
import { bridge, useConnection } from '../stores/connection';
import { useLayout } from '../stores/layout';
import { useProject } from '../stores/project';
import { uiHint } from '../ui-hints';

export function ProjectPicker() {
  const mode = useConnection((s) => s.mode);
  const current = useProject((s) => s.project);
  const recent = useProject((s) => s.recent);
  const recentStatus = useProject((s) => s.recentStatus);
  const recentError = useProject((s) => s.recentError);
  const opening = useProject((s) => s.opening);
  const openError = useProject((s) => s.openError);
  const [path, setPath] = useState('');

  useEffect(() => {
    void useProject.getState().loadRecent();
  }, []);

  const open = async (root: string) => {
    if (await useProject.getState().open(root)) useLayout.getState().setProjectPicker(false);
  };
  const pickNative = async () => {
    const root = await bridge()?.openFolder();
    if (root) await open(root);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void open(path);
  };

  return (
    <main
      className="picker"
      aria-labelledby="picker-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && current) useLayout.getState().setProjectPicker(false);
      }}
    >
      <div className="picker-card">
        <h1 id="picker-title">Open a project</h1>
        {mode === 'electron' ? (
          <p>
            <button type="button" className="primary" onClick={() => void pickNative()} disabled={!!opening} aria-keyshortcuts="Control+O">
              Open Folder…
            </button>
          </p>
        ) : (
          <form onSubmit={onSubmit} className="path-form">
            <label htmlFor="project-path">Folder on the machine running <code>mira serve</code></label>
            <div className="row">
              <input id="project-path" type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/code/my-project" autoFocus spellCheck={false} />
              <button type="submit" className="primary" disabled={!!opening}>
                {opening ? 'Opening…' : 'Open'}
              </button>
            </div>
          </form>
        )}
        {openError && (
          <div className="error-box" role="alert">
            {openError.message}
            {openError.hint && <div className="muted">{uiHint(openError.hint)}</div>}
          </div>
        )}
        <h2>Recent projects</h2>
        {recentStatus === 'loading' && <p className="muted" role="status">Loading…</p>}
        {recentStatus === 'error' && <p className="error-box" role="alert">Could not load recent projects: {recentError?.message}</p>}
        {recentStatus === 'ready' && !recent.length && <p className="muted">None yet. Projects you open appear here.</p>}
        {recent.length > 0 && (
          <ul className="recent-list" aria-label="Recent projects">
            {recent.map((p) => (
              <li key={p.id}>
                <button type="button" className="recent" onClick={() => void open(p.root)} disabled={!!opening}>
                  <span className="name">{p.name}</span>
                  <span className="muted path">{p.root}</span>
                  <span className="muted small">{p.last_indexed_at ? `indexed ${new Date(p.last_indexed_at).toLocaleString()}` : 'not indexed'}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {current && (
          <p>
            <button type="button" className="link" onClick={() => useLayout.getState().setProjectPicker(false)}>
              Back to {current.name}
            </button>
          </p>
        )}
      </div>
    </main>
  );
}
