// The root view: connection state first, then the project picker or the workbench.
import { useEffect } from 'react';
import { installShortcuts } from './actions';
import { ConnectionBar } from './components/ConnectionBar';
import { ConnectionScreen } from './components/ConnectionScreen';
import { ProjectPicker } from './components/ProjectPicker';
import { RestoreBar } from './components/RestoreBar';
import { Workbench } from './components/Workbench';
import { wireEvents } from './events';
import { useConnection } from './stores/connection';
import { useEditor } from './stores/editor';
import { useLayout } from './stores/layout';
import { useProject } from './stores/project';
import { refreshAfterReconnect } from './resume';
import { forgetOwnStash, stashUnsaved } from './unsaved';

export function App() {
  const status = useConnection((s) => s.status);
  const project = useProject((s) => s.project);
  const picker = useLayout((s) => s.projectPicker);

  useEffect(() => {
    void useConnection.getState().start();
  }, []);

  const connected = status === 'ready' || status === 'lost';
  useEffect(() => {
    if (!connected) return;
    const info = useConnection.getState().info;
    if (info?.project) useProject.getState().setProject(info.project);
    const offEvents = wireEvents();
    const offKeys = installShortcuts();
    return () => {
      offEvents();
      offKeys();
    };
  }, [connected]);

  useEffect(() => {
    document.title = project ? `${project.name} — Mira` : 'Mira';
  }, [project]);

  useEffect(() => {
    // Unsaved edits: the browser asks before leaving; in Electron the shell turns this into a native dialog. In the
    // browser they are also kept (localStorage, per project and path), so a page reopened with a new address offers them.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!useEditor.getState().tabs.some((t) => t.dirty)) return;
      if (useConnection.getState().mode === 'browser') stashUnsaved(useProject.getState().project?.root);
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    // Once everything is saved, a kept copy this page wrote is stale.
    const offEditor = useEditor.subscribe((s) => {
      if (!s.tabs.some((t) => t.dirty)) forgetOwnStash();
    });
    // The server went away: keep the unsaved texts in the browser at once (the page may be closed before it is back);
    // when it is back, refresh what it owns.
    const offConn = useConnection.subscribe((s, prev) => {
      if (s.status === 'lost' && (prev.status !== 'lost' || s.link !== prev.link)) stashUnsaved(useProject.getState().project?.root);
      if (s.reconnectedAt !== prev.reconnectedAt && s.status === 'ready') refreshAfterReconnect();
    });
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      offEditor();
      offConn();
    };
  }, []);

  if (status === 'connecting' || status === 'failed' || (status === 'lost' && !project)) return <ConnectionScreen />;
  if (!project) return <ProjectPicker />;
  return (
    <div className="app">
      <ConnectionBar />
      <RestoreBar />
      <Workbench />
      {picker && (
        <div className="overlay picker-overlay">
          <ProjectPicker />
        </div>
      )}
    </div>
  );
}
