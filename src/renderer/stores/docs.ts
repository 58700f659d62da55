// Documents: specs, notes and PDFs added to the project's knowledge (docs/add, docs/list, docs/search, docs/remove); chat answers use them as context.
import { create } from 'zustand';
import type { DocumentInfo } from '../../shared/api/docs';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

export const DOCS_METHODS = ['docs/list', 'docs/add', 'docs/search', 'docs/remove'];

/** Pasted text is stored under this prefix: it names no project file, so it has nothing to open in the editor. */
export const PASTED_PREFIX = 'pasted:';

export interface DocHit {
  id: number;
  path: string;
  title: string;
  heading: string;
  snippet: string;
  score: number;
}

/** Whether a document is a project file the editor can open (not pasted text, not a file from outside the project). */
export function isProjectDocument(path: string): boolean {
  return !path.startsWith(PASTED_PREFIX) && !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path);
}

/** The stored name for pasted text: its title, with .md when it has no extension so headings are kept. */
export function pastedPath(title: string): string {
  const t = title.trim().replace(/[\\/]+/g, '-');
  return PASTED_PREFIX + (/\.[A-Za-z0-9]{1,8}$/.test(t) ? t : `${t}.md`);
}

interface DocsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  docs: DocumentInfo[];
  adding: boolean;
  addError: ErrorInfo | null;
  /** What the last add did, for the status line. */
  added: string | null;
  search: { query: string; status: 'idle' | 'loading' | 'ready' | 'error'; hits: DocHit[]; error: ErrorInfo | null };
  removing: Record<number, boolean>;
  removeError: ErrorInfo | null;
  load(): Promise<void>;
  addPath(path: string): Promise<boolean>;
  addText(title: string, text: string): Promise<boolean>;
  runSearch(query: string): Promise<void>;
  remove(id: number): Promise<void>;
  reset(): void;
}

const idleSearch = { query: '', status: 'idle' as const, hits: [], error: null };

export const useDocs = create<DocsState>()((set, get) => {
  const add = async (files: { path: string; content?: string }[]): Promise<boolean> => {
    set({ adding: true, addError: null, added: null });
    try {
      const r = await api().call('docs/add', { files });
      const d = r.results[0];
      set({ adding: false, added: d ? `${d.title}: ${d.status}, ${d.chunks} ${d.chunks === 1 ? 'passage' : 'passages'}${d.vectors ? '' : ' (full-text search only)'}` : null });
      await get().load();
      return true;
    } catch (e) {
      set({ adding: false, addError: errorInfo(e) });
      return false;
    }
  };
  return {
    status: 'idle',
    error: null,
    docs: [],
    adding: false,
    addError: null,
    added: null,
    search: idleSearch,
    removing: {},
    removeError: null,
    async load() {
      set({ status: get().status === 'ready' ? 'ready' : 'loading', error: null });
      try {
        const r = await api().call('docs/list', {});
        set({ status: 'ready', docs: r.results });
      } catch (e) {
        set({ status: 'error', error: errorInfo(e) });
      }
    },
    addPath(path) {
      return add([{ path: path.trim().replace(/^\.\//, '') }]);
    },
    addText(title, text) {
      // the title becomes the text's heading, which is what names a Markdown document
      const content = /^#\s/.test(text.trimStart()) ? text : `# ${title.trim()}\n\n${text}`;
      return add([{ path: pastedPath(title), content }]);
    },
    async runSearch(query) {
      const q = query.trim();
      if (!q) {
        set({ search: idleSearch });
        return;
      }
      set({ search: { query: q, status: 'loading', hits: get().search.hits, error: null } });
      try {
        const r = await api().call('docs/search', { query: q, k: 20 });
        if (get().search.query !== q) return;
        set({ search: { query: q, status: 'ready', hits: r.results.map((h) => ({ id: h.id, path: h.path, title: h.title, heading: h.heading, snippet: h.snippet, score: h.score })), error: null } });
      } catch (e) {
        if (get().search.query === q) set({ search: { query: q, status: 'error', hits: [], error: errorInfo(e) } });
      }
    },
    async remove(id) {
      set((s) => ({ removing: { ...s.removing, [id]: true }, removeError: null }));
      try {
        await api().call('docs/remove', { id });
        set((s) => ({ docs: s.docs.filter((d) => d.id !== id), search: { ...s.search, hits: s.search.hits.filter((h) => h.id !== id) } }));
        await get().load();
      } catch (e) {
        set({ removeError: errorInfo(e) });
      } finally {
        set((s) => ({ removing: { ...s.removing, [id]: false } }));
      }
    },
    reset() {
      set({ status: 'idle', error: null, docs: [], adding: false, addError: null, added: null, search: idleSearch, removing: {}, removeError: null });
    },
  };
});
