// Routes pushed API events into the stores, and resets project-scoped stores when the project changes.
import { api, bridge } from './stores/connection';
import { useActivity } from './stores/activity';
import { useEditor } from './stores/editor';
import { useFiles } from './stores/files';
import { useIndexing } from './stores/indexing';
import { useProject } from './stores/project';
import { useTree } from './stores/tree';
import { onMenuCommand } from './actions';

export function wireEvents(): () => void {
  const client = api();
  const offs = [
    client.on('index/progress', (p) => useIndexing.getState().onProgress(p)),
    client.on('fs/changed', ({ paths }) => {
      useTree.getState().refreshFor(paths);
      useFiles.getState().invalidate();
      void useEditor.getState().onDiskChanged(paths);
    }),
    client.on('activity/log', (e) => useActivity.getState().add(e)),
    // A project switch empties everything that belonged to the old one.
    useProject.subscribe((s, prev) => {
      if (s.generation === prev.generation) return;
      useTree.getState().reset();
      useEditor.getState().reset();
      useFiles.getState().invalidate();
      useIndexing.getState().reset();
    }),
  ];
  const b = bridge();
  if (b) offs.push(b.onMenu(onMenuCommand));
  return () => offs.forEach((off) => off());
}
