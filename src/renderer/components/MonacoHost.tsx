// The one Monaco editor instance; open files swap their models in and out, keeping undo history and view state. Loaded lazily (EditorArea).
import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco';
import { getModel, onDirtyChange, saveViewState, viewStateOf } from '../editor/documents';
import { isFocusTarget, setFocusTarget, takePendingFocus } from '../editor/focus';
import { useEditor } from '../stores/editor';

export function MonacoHost({ path }: { path: string | null }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const shown = useRef<string | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, {
      model: null,
      theme: 'mira-dark',
      automaticLayout: true,
      fontSize: 13,
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      minimap: { enabled: true, scale: 1 },
      scrollBeyondLastLine: false,
      renderWhitespace: 'selection',
      tabSize: 2,
      ariaLabel: 'Editor',
    });
    editorRef.current = editor;
    setFocusTarget(editor);
    const offCursor = editor.onDidChangeCursorPosition((e) => useEditor.getState().setCursor({ line: e.position.lineNumber, column: e.position.column }));
    const offDirty = onDirtyChange((p, dirty) => useEditor.getState().setDirty(p, dirty));
    return () => {
      if (shown.current) saveViewState(shown.current, editor.saveViewState());
      offCursor.dispose();
      offDirty();
      editor.dispose();
      if (isFocusTarget(editor)) setFocusTarget(null);
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const model = path ? getModel(path) : null;
    // Compare models, not paths: a file closed and reopened (or a project switch) gets a fresh model under the same path.
    if (editor.getModel() === model) return;
    if (shown.current) saveViewState(shown.current, editor.saveViewState());
    editor.setModel(model);
    shown.current = model ? path : null;
    if (model && path) {
      const vs = viewStateOf(path);
      if (vs) editor.restoreViewState(vs);
      const pos = editor.getPosition();
      useEditor.getState().setCursor(pos ? { line: pos.lineNumber, column: pos.column } : null);
      if (takePendingFocus()) editor.focus();
    }
  });

  const reveal = useEditor((s) => s.reveal);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal || !path || reveal.path !== path || editor.getModel() !== getModel(path)) return;
    const position = { lineNumber: reveal.line, column: reveal.column };
    editor.setPosition(position);
    // Vertical only: revealing the column too scrolls long lines sideways and hides their start.
    editor.revealLineInCenter(reveal.line);
    editor.focus();
    useEditor.getState().revealed(reveal.seq);
  }, [reveal, path]);

  return <div className="monaco-host" ref={host} data-testid="editor" hidden={!path} />;
}
