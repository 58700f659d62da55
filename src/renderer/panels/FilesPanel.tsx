// The Files panel: the open project's name, a way to switch projects, and its file tree.
import { FileTree } from '../components/FileTree';
import { useLayout } from '../stores/layout';
import { useProject } from '../stores/project';
import { useTree } from '../stores/tree';

export function FilesPanel() {
  const project = useProject((s) => s.project);
  if (!project) return <div className="muted pad">No project is open.</div>;
  return (
    <div className="files-panel">
      <div className="panel-header">
        <span className="project-name" title={project.root}>{project.name}</span>
        <span className="spacer" />
        <button type="button" className="icon-button" title="Refresh the tree" aria-label="Refresh the file tree" onClick={() => { useTree.getState().reset(); void useTree.getState().load(''); }}>⟳</button>
        <button type="button" className="icon-button" title="Open another folder" aria-label="Open another folder" onClick={() => useLayout.getState().setProjectPicker(true)}>⋯</button>
      </div>
      <FileTree label={`Files of ${project.name}`} />
    </div>
  );
}
