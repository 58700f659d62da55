// The editor area: tabs of open files, conflict and error banners, the Monaco host, and the empty state.
import { lazy, Suspense, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useEditor, type Tab } from '../stores/editor';
import { revealTab, scrollStripOnWheel } from './tab-strip';
import { DiffDialog } from './DiffDialog';

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
            className={`tab${selected ? ' active' : ''}${t.dirty ? ' dirty' : ''}${t.deletedOnDisk ? ' deleted' : ''}`}
            title={t.deletedOnDisk ? `${t.path} (deleted on disk)` : t.path}
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
  const { reload, save, keepMine, openCompare, close, dismissConflict } = useEditor.getState();
  if (tab.deletedOnDisk) {
    // Deleted on disk: the text stays here; saving writes the file back only when asked to.
    return (
      <div className="banner warning" role="alert" data-testid="deleted-banner">
        <span>
          <strong>{tab.path}</strong> {tab.conflict ? 'was deleted on disk. Your save was not written.' : 'was deleted on disk. Its text is still here.'}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => void save(tab.path, { overwrite: true })}>Save again (recreate)</button>
        <button type="button" onClick={() => close(tab.path, { force: true })}>Close</button>
      </div>
    );
  }
  if (tab.conflict || tab.changedOnDisk) {
    // Changed on disk under unsaved edits. Overwriting is offered once the outside change can have been seen: the banner
    // appeared when it happened (Keep mine), or the user compared; a save that ran into it first gets Compare, not Overwrite.
    const mayOverwrite = tab.changedOnDisk || tab.compared;
    return (
      <div className="banner warning" role="alert" data-testid="conflict-banner">
        <span>
          <strong>{tab.path}</strong> changed on disk{tab.conflict ? '. Your save was not written.' : ' while you have unsaved edits.'}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => void openCompare(tab.path)}>Compare</button>
        {mayOverwrite && (
          <button type="button" title="Write your version over the one on disk" onClick={() => void keepMine(tab.path)}>Keep mine</button>
        )}
        <button type="button" title="Discard your edits and load the file from disk" onClick={() => void reload(tab.path)}>Reload</button>
        {tab.conflict && <button type="button" className="link" onClick={() => dismissConflict(tab.path)}>Cancel</button>}
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

/** Compare: the file on disk (left) against the tab's text (right), with Keep mine and Reload. */
function CompareDialog() {
  const compare = useEditor((s) => s.compare);
  const saving = useEditor((s) => s.tabs.find((t) => t.path === s.compare?.path)?.saving ?? false);
  if (!compare) return null;
  const { keepMine, reload, closeCompare } = useEditor.getState();
  return (
    <DiffDialog
      title={`${compare.path}: on disk (left) and yours (right)`}
      changes={[{ path: compare.path, original: compare.disk, modified: compare.mine }]}
      applyLabel="Keep mine (overwrite disk)"
      closeLabel="Close"
      canApply
      busy={saving}
      footer={
        <div className="diff-actions">
          <span className="muted">Keep mine writes your version over the one on disk; Reload discards your edits.</span>
          <span className="spacer" />
          <button type="button" onClick={() => void reload(compare.path)}>Reload (discard mine)</button>
        </div>
      }
      onApply={() => void keepMine(compare.path).then((ok) => ok && closeCompare())}
      onClose={closeCompare}
    />
  );
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
      <CompareDialog />
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
