// Routes pushed API events into the stores, and resets project-scoped stores when the project changes.
import { api, bridge } from './stores/connection';
import { useActivity } from './stores/activity';
import { useBudget } from './stores/budget';
import { useBuild } from './stores/build';
import { useChat } from './stores/chat';
import { useCochange } from './stores/cochange';
import { useConcepts } from './stores/concepts';
import { useDocs } from './stores/docs';
import { useEditor } from './stores/editor';
import { useFiles } from './stores/files';
import { useIndexing } from './stores/indexing';
import { useMemory } from './stores/memory';
import { useOps } from './stores/ops';
import { useProject } from './stores/project';
import { useSearch } from './stores/search';
import { useSymbol } from './stores/symbol';
import { useTools } from './stores/tools';
import { useTree } from './stores/tree';
import { onMenuCommand } from './actions';
import { onOptional } from './optional-api';

export function wireEvents(): () => void {
  const client = api();
  const offs = [
    client.on('index/progress', (p) => {
      useIndexing.getState().onProgress(p);
      useActivity.getState().onIndexProgress(p);
    }),
    client.on('fs/changed', ({ paths }) => {
      useTree.getState().refreshFor(paths);
      useFiles.getState().invalidate();
      void useEditor.getState().onDiskChanged(paths);
    }),
    client.on('ops/status', (e) => useOps.getState().onStatus(e)),
    client.on('ops/step', (e) => useOps.getState().onStep(e)),
    client.on('ops/delta', (e) => useOps.getState().onDelta(e)),
    client.on('activity/log', (e) => useActivity.getState().add(e)),
    client.on('build/started', (e) => {
      useBuild.getState().onStarted(e);
      useActivity.getState().onBuildStarted(e);
    }),
    client.on('build/output', (e) => useBuild.getState().onOutput(e)),
    client.on('build/finished', (e) => {
      useBuild.getState().onFinished(e);
      useActivity.getState().onBuildFinished(e);
    }),
    // The LLM events are named by their contract file (src/shared/api/llm.ts) until index.ts exports them.
    onOptional('chat/delta', (e) => useChat.getState().onDelta(e)),
    onOptional('chat/done', (e) => useChat.getState().onDone(e)),
    onOptional('chat/confirm', (e) => useChat.getState().onConfirm(e)),
    onOptional('llm/call', (e) => {
      useActivity.getState().onLlmCall(e);
      // Spend changed: a loaded budget follows it.
      if (useBudget.getState().budget) void useBudget.getState().load();
    }),
    // A finished index run changes what code panels show: their caches start over.
    useIndexing.subscribe((s, prev) => {
      if (s.last === prev.last || !s.last) return;
      useConcepts.getState().reset();
      const search = useSearch.getState();
      void search.loadConcepts();
      if (search.answered) void search.run();
      const t = useSymbol.getState().target;
      useSymbol.getState().reset();
      if (t) void useSymbol.getState().lookup(t.path, t.line);
    }),
    // A project switch empties everything that belonged to the old one.
    useProject.subscribe((s, prev) => {
      if (s.generation === prev.generation) return;
      useTree.getState().reset();
      useEditor.getState().reset();
      useFiles.getState().invalidate();
      useIndexing.getState().reset();
      useConcepts.getState().reset();
      useSearch.getState().reset();
      useSymbol.getState().reset();
      useCochange.getState().reset();
      useBuild.getState().reset();
      useChat.getState().reset();
      useMemory.getState().reset();
      useOps.getState().reset();
      useTools.getState().reset();
      useDocs.getState().reset();
      // The activity of the project now open, as stored.
      void useActivity.getState().loadRecent();
    }),
  ];
  void useActivity.getState().loadRecent();
  const b = bridge();
  if (b) offs.push(b.onMenu(onMenuCommand));
  return () => offs.forEach((off) => off());
}
