// The project's file tree: lazy folders, the ARIA tree pattern (flat items with aria-level) and full keyboard navigation, type-ahead included.
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { FsEntry } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { useConcepts } from '../stores/concepts';
import { useEditor } from '../stores/editor';
import { parentOf, useTree, type DirState } from '../stores/tree';
import { TypeAhead, typeAheadIndex } from '../type-ahead';
import { preloadMonaco } from '../editor/monaco-loader';
import { focusEditor } from '../editor/focus';

type Row =
  | { kind: 'entry'; entry: FsEntry; level: number; pos: number; size: number }
  | { kind: 'status'; dir: string; level: number; status: 'loading' | 'error' | 'empty'; error?: ErrorInfo | null };

function flatten(dirs: Record<string, DirState>, expanded: Record<string, boolean>, dir: string, level: number, out: Row[]): Row[] {
  const d = dirs[dir];
  if (!d || d.status === 'loading') {
    out.push({ kind: 'status', dir, level, status: 'loading' });
    return out;
  }
  if (d.status === 'error') {
    out.push({ kind: 'status', dir, level, status: 'error', error: d.error });
    return out;
  }
  if (!d.entries.length) {
    out.push({ kind: 'status', dir, level, status: 'empty' });
    return out;
  }
  d.entries.forEach((entry, i) => {
    out.push({ kind: 'entry', entry, level, pos: i + 1, size: d.entries.length });
    if (entry.type === 'dir' && expanded[entry.path]) flatten(dirs, expanded, entry.path, level + 1, out);
  });
  return out;
}

export function FileTree({ label }: { label: string }) {
  const dirs = useTree((s) => s.dirs);
  const expanded = useTree((s) => s.expanded);
  const focused = useTree((s) => s.focused);
  const activeFile = useEditor((s) => s.active);
  // Concept tags per file (from the index); none until the project is indexed.
  const fileConcepts = useConcepts((s) => s.byFile);
  const conceptsStatus = useConcepts((s) => s.status);
  const ref = useRef<HTMLDivElement>(null);
  const typeAhead = useRef(new TypeAhead());

  useEffect(() => {
    if (conceptsStatus === 'idle') void useConcepts.getState().load();
  }, [conceptsStatus]);

  useEffect(() => {
    void useTree.getState().load('');
  }, []);

  // Once the tree is on screen, the editor's code loads in idle time, ready for the first file.
  const rootReady = dirs['']?.status === 'ready';
  useEffect(() => {
    if (rootReady) preloadMonaco();
  }, [rootReady]);

  const rows = useMemo(() => flatten(dirs, expanded, '', 1, []), [dirs, expanded]);
  const entries = useMemo(() => rows.filter((r): r is Extract<Row, { kind: 'entry' }> => r.kind === 'entry'), [rows]);
  const tabStop = focused && entries.some((r) => r.entry.path === focused) ? focused : (entries[0]?.entry.path ?? null);

  const focusPath = (path: string | undefined) => {
    if (path === undefined) return;
    useTree.getState().setFocused(path);
    const el = ref.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  };

  // Click and Space open a file and keep the focus in the tree (to keep browsing); Enter moves it to the editor.
  const activate = (entry: FsEntry, focus = false) => {
    useTree.getState().setFocused(entry.path);
    if (entry.type === 'dir') useTree.getState().toggle(entry.path);
    else void useEditor.getState().open(entry.path).then(() => focus && focusEditor());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = entries.findIndex((r) => r.entry.path === tabStop);
    const cur = entries[i];
    if (!cur) return;
    const { entry } = cur;
    const isOpen = entry.type === 'dir' && !!expanded[entry.path];
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        focusPath(entries[Math.min(i + 1, entries.length - 1)]?.entry.path);
        break;
      case 'ArrowUp':
        focusPath(entries[Math.max(i - 1, 0)]?.entry.path);
        break;
      case 'Home':
        focusPath(entries[0]?.entry.path);
        break;
      case 'End':
        focusPath(entries[entries.length - 1]?.entry.path);
        break;
      case 'ArrowRight':
        if (entry.type === 'dir' && !isOpen) useTree.getState().setExpanded(entry.path, true);
        else if (isOpen && entries[i + 1]?.level === cur.level + 1) focusPath(entries[i + 1]?.entry.path);
        break;
      case 'ArrowLeft':
        if (isOpen) useTree.getState().setExpanded(entry.path, false);
        else if (cur.level > 1) focusPath(parentOf(entry.path));
        break;
      case 'Enter':
        activate(entry, true);
        break;
      case ' ':
        activate(entry);
        break;
      default: {
        // Type-ahead: a printable key moves to the next visible item whose name starts with what was typed.
        if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) {
          handled = false;
          break;
        }
        const j = typeAheadIndex(
          entries.map((r) => r.entry.name),
          i,
          typeAhead.current.push(e.key, performance.now()),
        );
        if (j >= 0) focusPath(entries[j]!.entry.path);
      }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const root = dirs[''];
  if (!root || root.status === 'loading') return <div className="muted pad" role="status">Loading files…</div>;
  if (root.status === 'error') {
    return (
      <div className="error-box pad" role="alert">
        <p>Could not list the project: {root.error?.message}</p>
        <button type="button" onClick={() => void useTree.getState().load('', { force: true })}>Retry</button>
      </div>
    );
  }
  if (!root.entries.length) return <div className="muted pad">This folder is empty (or everything in it is ignored).</div>;

  return (
    <div className="tree" role="tree" aria-label={label} ref={ref} onKeyDown={onKeyDown}>
      {rows.map((r) => {
        const indent = { paddingLeft: `${(r.level - 1) * 12 + 8}px` };
        if (r.kind === 'status') {
          return (
            <div key={`status:${r.dir}`} className={`tree-status ${r.status}`} style={indent} role="none">
              {r.status === 'loading' ? 'Loading…' : r.status === 'empty' ? 'Empty folder' : `Error: ${r.error?.message ?? 'could not list'}`}
            </div>
          );
        }
        const { entry } = r;
        const isDir = entry.type === 'dir';
        const isOpen = isDir && !!expanded[entry.path];
        return (
          <div
            key={entry.path}
            role="treeitem"
            data-path={entry.path}
            aria-level={r.level}
            aria-setsize={r.size}
            aria-posinset={r.pos}
            aria-expanded={isDir ? isOpen : undefined}
            aria-selected={!isDir && entry.path === activeFile}
            tabIndex={entry.path === tabStop ? 0 : -1}
            className={`tree-item ${isDir ? 'dir' : 'file'}${entry.path === activeFile ? ' active' : ''}`}
            style={indent}
            title={entry.path}
            onClick={() => activate(entry)}
            onFocus={() => useTree.getState().setFocused(entry.path)}
          >
            <span className={`twisty${isDir ? (isOpen ? ' open' : '') : ' none'}`} aria-hidden="true" />
            <span className="name">{entry.name}</span>
            {!isDir && !!fileConcepts[entry.path]?.length && (
              <span className="concept-tags" title={`Concepts: ${fileConcepts[entry.path]!.join(', ')}`}>
                {fileConcepts[entry.path]!.slice(0, 2).map((c) => (
                  <span key={c} className="concept-tag">
                    {c}
                  </span>
                ))}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
