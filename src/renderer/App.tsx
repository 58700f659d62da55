// The root view: connection state first, then the project picker or the workbench.
import { useEffect } from 'react';
import { installShortcuts } from './actions';
import { ConnectionScreen } from './components/ConnectionScreen';
import { ProjectPicker } from './components/ProjectPicker';
import { Workbench } from './components/Workbench';
import { wireEvents } from './events';
import { useConnection } from './stores/connection';
import { useEditor } from './stores/editor';
import { useLayout } from './stores/layout';
import { useProject } from './stores/project';

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
    // Unsaved edits: the browser asks before leaving; in Electron the shell turns this into a native dialog.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!useEditor.getState().tabs.some((t) => t.dirty)) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const error = useConnection((s) => s.error);
  if (status === 'connecting' || status === 'failed' || (status === 'lost' && !project)) return <ConnectionScreen />;
  if (!project) return <ProjectPicker />;
  return (
    <div className="app">
      {status === 'lost' && (
        <div className="banner error" role="alert">
          <span>
            {error?.message} {error?.hint}
          </span>
          <span className="spacer" />
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      )}
      <Workbench />
      {picker && (
        <div className="overlay picker-overlay">
          <ProjectPicker />
        </div>
      )}
    </div>
  );
}
