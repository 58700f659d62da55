// The main layout once a project is open: sidebar panels | editor and the bottom panel area | right sidebar (chat, code), and the status bar.
import type { CSSProperties } from 'react';
import { useLayout } from '../stores/layout';
import { useProject } from '../stores/project';
import { ApplyDialog } from './ApplyDialog';
import { EditorArea } from './EditorArea';
import { PanelArea } from './PanelArea';
import { QuickOpen } from './QuickOpen';
import { Splitter } from './Splitter';
import { StatusBar } from './StatusBar';

export function Workbench() {
  const sidebarVisible = useLayout((s) => s.sidebarVisible);
  const bottomVisible = useLayout((s) => s.bottomVisible);
  const sidebarWidth = useLayout((s) => s.sidebarWidth);
  const bottomHeight = useLayout((s) => s.bottomHeight);
  const rightVisible = useLayout((s) => s.rightVisible);
  const rightWidth = useLayout((s) => s.rightWidth);
  const generation = useProject((s) => s.generation);
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
        {rightVisible && (
          <>
            <Splitter which="right" />
            <aside className="right-sidebar">
              <PanelArea key={`right-${generation}`} area="right" label="Right sidebar" />
            </aside>
          </>
        )}
      </div>
      <StatusBar />
      <QuickOpen />
      <ApplyDialog />
    </div>
  );
}
