// The main layout once a project is open: sidebar panels | editor and the bottom panel area | right sidebar (chat, code; an overlay in a narrow window), and the status bar.
import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { NARROW_WIDTH, useLayout } from '../stores/layout';
import { useProject } from '../stores/project';
import { ApplyDialog } from './ApplyDialog';
import { EditorArea } from './EditorArea';
import { focusEditor } from '../editor/focus';
import { PanelArea } from './PanelArea';
import { QuickOpen } from './QuickOpen';
import { Splitter } from './Splitter';
import { StatusBar } from './StatusBar';

/** The right sidebar over the editor: it takes the focus when it opens and gives it back when Escape closes it. */
function RightOverlay() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    // Unless something inside used the key (a menu, a dialog).
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    useLayout.getState().toggleRight();
    focusEditor();
  };
  return (
    <aside className="right-sidebar right-overlay" ref={ref} data-testid="right-overlay" onKeyDown={onKeyDown}>
      <PanelArea area="right" label="Right sidebar" />
    </aside>
  );
}

export function Workbench() {
  const sidebarVisible = useLayout((s) => s.sidebarVisible);
  const bottomVisible = useLayout((s) => s.bottomVisible);
  const sidebarWidth = useLayout((s) => s.sidebarWidth);
  const bottomHeight = useLayout((s) => s.bottomHeight);
  const rightVisible = useLayout((s) => s.rightVisible);
  const rightWidth = useLayout((s) => s.rightWidth);
  const narrow = useLayout((s) => s.narrow);
  const generation = useProject((s) => s.generation);
  useEffect(() => {
    const check = () => useLayout.getState().setNarrow(window.innerWidth < NARROW_WIDTH);
    check();
    window.addEventListener('resize', check);
    return () => window.removeEventListener('resize', check);
  }, []);
  const style = { '--sidebar-width': `${sidebarWidth}px`, '--bottom-height': `${bottomHeight}px`, '--right-width': `${rightWidth}px` } as CSSProperties;
  return (
    <div className="workbench" style={style}>
      <div className="workbench-main">
        {sidebarVisible && (
          <>
            <aside className="sidebar">
              <PanelArea key={`side-${generation}`} area="side" label="Sidebar" />
            </aside>
            <Splitter which="sidebar" />
          </>
        )}
        <div className="center">
          <EditorArea />
          {bottomVisible && <Splitter which="bottom" />}
          {/* Hidden, not unmounted: the terminal keeps its shell while the area is toggled off. */}
          <div className="bottom" hidden={!bottomVisible}>
            <PanelArea area="bottom" label="Bottom panel" />
          </div>
        </div>
        {rightVisible && !narrow && (
          <>
            <Splitter which="right" />
            <aside className="right-sidebar">
              <PanelArea key={`right-${generation}`} area="right" label="Right sidebar" />
            </aside>
          </>
        )}
        {/* A narrow window has no room to dock it: it opens over the editor when asked for, and closes again. */}
        {rightVisible && narrow && (
          <RightOverlay key={`right-${generation}`} />
        )}
      </div>
      <StatusBar />
      <QuickOpen />
      <ApplyDialog />
    </div>
  );
}
