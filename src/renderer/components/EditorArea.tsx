// The editor area: tabs of open files, conflict and error banners, the Monaco host, and the empty state.
import { lazy, Suspense, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useEditor, type Tab } from '../stores/editor';
import { revealTab, scrollStripOnWheel } from './tab-strip';

// Monaco is most of the renderer's code: loaded with the first open file (or when the page is idle), not before the tree shows.
const MonacoHost = lazy(() => import('./MonacoHost').then((m) => ({ default: m.MonacoHost })));

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function TabBar() {
  const tabs = useEditor((s) => s.tabs);
  const active = useEditor((s) => s.active);
  const strip = useRef<HTMLDivElement>(null);
  // A file opened from the tree or a search hit gets its tab scrolled into view, not left past the strip's edge.
  useEffect(() => {
    if (active) revealTab(strip.current, strip.current?.querySelector<HTMLElement>(`[data-tab="${CSS.escape(active)}"]`) ?? null);
  }, [active, tabs.length]);
  if (!tabs.length) return null;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.path === active);
    const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : undefined;
    if (!next) return;
    e.preventDefault();
    useEditor.getState().activate(next.path);
    (e.currentTarget.querySelector(`[data-tab="${CSS.escape(next.path)}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div className="tab-bar" role="tablist" aria-label="Open files" ref={strip} onKeyDown={onKeyDown} onWheel={scrollStripOnWheel}>
      {tabs.map((t) => {
        const selected = t.path === active;
        const close = (e: MouseEvent) => {
          e.stopPropagation();
          useEditor.getState().close(t.path);
        };
        return (
          <div
            key={t.path}
            role="tab"
            data-tab={t.path}
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            className={`tab${selected ? ' active' : ''}${t.dirty ? ' dirty' : ''}`}
            title={t.path}
            onClick={() => useEditor.getState().activate(t.path)}
            onAuxClick={(e) => e.button === 1 && close(e)}
          >
            <span className="tab-name">{baseName(t.path)}</span>
            {t.dirty && <span className="dirty-dot" aria-label="unsaved changes" />}
            <button type="button" className="tab-close" aria-label={`Close ${t.path}`} tabIndex={-1} onClick={close}>×</button>
          </div>
        );
      })}
    </div>
  );
}

function Banners({ tab }: { tab: Tab }) {
  const { reload, save, dismissConflict } = useEditor.getState();
  if (tab.conflict) {
    return (
      <div className="banner warning" role="alert" data-testid="conflict-banner">
        <span><strong>{tab.path}</strong> changed on disk since you opened it. Your save was not written.</span>
        <span className="spacer" />
        <button type="button" onClick={() => void reload(tab.path)}>Reload from disk (discard my edits)</button>
        <button type="button" onClick={() => void save(tab.path, { overwrite: true })}>Overwrite the file</button>
        <button type="button" className="link" onClick={() => dismissConflict(tab.path)}>Cancel</button>
      </div>
    );
  }
  if (tab.changedOnDisk) {
    return (
      <div className="banner warning" role="status">
        <span><strong>{tab.path}</strong> changed on disk while you have unsaved edits.</span>
        <span className="spacer" />
        <button type="button" onClick={() => void reload(tab.path)}>Reload from disk</button>
        <button type="button" className="link" onClick={() => dismissConflict(tab.path)}>Keep my version</button>
      </div>
    );
  }
  if (tab.error && tab.status === 'ready') {
    return (
      <div className="banner error" role="alert">
        <span>Could not save {tab.path}: {tab.error.message}</span>
        <span className="spacer" />
        <button type="button" className="link" onClick={() => dismissConflict(tab.path)}>Dismiss</button>
      </div>
    );
  }
  return null;
}

export function EditorArea() {
  const tab = useEditor((s) => s.tabs.find((t) => t.path === s.active) ?? null);
  const hasTabs = useEditor((s) => s.tabs.length > 0);
  // Mounted with the first tab and kept after the last one closes, so the editor is created once.
  const hostWanted = useRef(false);
  hostWanted.current ||= hasTabs;
  return (
    <section className="editor-area" aria-label="Editor">
      <TabBar />
      {tab && <Banners tab={tab} />}
      <div className="editor-stage">
        {hostWanted.current && (
          <Suspense fallback={null}>
            <MonacoHost path={tab?.status === 'ready' ? tab.path : null} />
          </Suspense>
        )}
        {!hasTabs && (
          <div className="empty-state">
            <p>No file is open.</p>
            <ul className="shortcuts">
              <li><kbd>Ctrl</kbd>+<kbd>P</kbd> Quick open a file</li>
              <li><kbd>Ctrl</kbd>+<kbd>S</kbd> Save</li>
              <li><kbd>Ctrl</kbd>+<kbd>B</kbd> Toggle the sidebar</li>
              <li><kbd>Ctrl</kbd>+<kbd>`</kbd> Toggle the terminal</li>
              <li><kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>I</kbd> Index the project</li>
              <li><kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>B</kbd> Toggle Chat and Code</li>
              <li><kbd>Ctrl</kbd>+<kbd>M</kbd> In the terminal: Tab moves the focus out</li>
            </ul>
          </div>
        )}
        {tab?.status === 'loading' && <div className="empty-state" role="status">Opening {tab.path}…</div>}
        {tab?.status === 'error' && (
          <div className="empty-state error-box" role="alert">
            <p>Cannot open {tab.path}: {tab.error?.message}</p>
            {tab.error?.hint && <p className="muted">{tab.error.hint}</p>}
          </div>
        )}
      </div>
    </section>
  );
}
