// Monaco bundled locally (never from a CDN): the editor API, its contributions, Monarch grammars, one worker and the theme.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

// Syntax colouring comes from Monarch grammars on the main thread; the generic editor worker serves diffs, links and
// word-based suggestions. The TypeScript/JSON/CSS language services are left out on purpose: they add ~10 MB and
// a second source of diagnostics next to Mira's own index.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

monaco.editor.defineTheme('mira-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#1e1f22',
    'editorGutter.background': '#1e1f22',
    'editor.lineHighlightBackground': '#26282e',
    'editorLineNumber.foreground': '#5c6370',
    'editorLineNumber.activeForeground': '#abb2bf',
  },
});
// Made current at once: colorize() (code blocks in chat) uses the current theme's token colours, and before any
// editor exists that would be the light default, unreadable on the dark background.
monaco.editor.setTheme('mira-dark');

/** The Monaco language for a path, from the extensions and file names the registered grammars declare. */
export function languageForPath(path: string): string {
  const base = path.split('/').pop() ?? path;
  const lower = base.toLowerCase();
  let best: { id: string; len: number } | null = null;
  for (const lang of monaco.languages.getLanguages()) {
    if (lang.filenames?.some((f) => f === base || f.toLowerCase() === lower)) return lang.id;
    for (const ext of lang.extensions ?? []) {
      const e = ext.toLowerCase();
      // The longest matching extension wins, so `.d.ts` or `.spec.js` style names map as their grammar intends.
      if (lower.endsWith(e) && (!best || e.length > best.len)) best = { id: lang.id, len: e.length };
    }
  }
  return best?.id ?? 'plaintext';
}

export { monaco };
