// After a reconnect: refresh what the server owns (project, tree, open files' disk state); unsaved edits are not touched.
import { useConnection } from './stores/connection';
import { useEditor } from './stores/editor';
import { useFiles } from './stores/files';
import { useProject } from './stores/project';
import { useTree } from './stores/tree';

export function refreshAfterReconnect(): void {
  const info = useConnection.getState().info;
  if (info?.project) useProject.getState().setProject(info.project);
  const tree = useTree.getState();
  for (const dir of Object.keys(tree.dirs)) void tree.load(dir, { force: true });
  useFiles.getState().invalidate();
  const editor = useEditor.getState();
  // Tabs that failed to load because the server was away load now; the others compare their disk hash (a clean tab
  // follows the disk, a dirty one is told the file changed, as for any other writer).
  for (const t of editor.tabs) {
    if (t.error?.code !== 'disconnected') continue;
    if (t.status === 'error') void editor.open(t.path);
    // A save refused while away: its message is stale now (the edits are still there; saving works again).
    else if (!t.conflict && !t.changedOnDisk) editor.dismissConflict(t.path);
  }
  void editor.onDiskChanged(editor.tabs.filter((t) => t.status === 'ready').map((t) => t.path));
}
