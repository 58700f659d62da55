// The symbol at the editor's cursor and what the index knows of it: callers and callees as a lazy tree, concepts, design patterns, and the file's experts.
import { create } from 'zustand';
import type { CallEdge, CodeSymbol, AuthorshipItem, ExpertItem, PatternHit } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

export type Direction = 'callers' | 'callees';

export interface CallNode {
  /** Unique in the tree: the path of identities from the root. */
  key: string;
  /** `path:name`, how code/callers and code/callees name it without ambiguity (null when the callee is unresolved). */
  ref: string | null;
  edge: CallEdge;
  /** Identities (`path:name`) from the root down to this node, to stop at recursion. */
  ancestors: string[];
  /** The same symbol already appears above it (or it is module code): expanding would loop or mean nothing. */
  recursive: boolean;
}

export interface Branch {
  status: 'loading' | 'ready' | 'error';
  nodes: CallNode[];
  error: ErrorInfo | null;
}

interface Async<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T;
  error: ErrorInfo | null;
}

interface SymbolState {
  target: { path: string; line: number } | null;
  status: 'idle' | 'loading' | 'ready' | 'none' | 'error';
  error: ErrorInfo | null;
  symbol: CodeSymbol | null;
  /** Children per node key; the roots are under 'callers' and 'callees'. */
  branches: Record<string, Branch>;
  expanded: Record<string, boolean>;
  patterns: Async<PatternHit[]>;
  /** Who will likely change the file next, and who wrote most of it. */
  experts: Async<{ next: ExpertItem[]; authors: AuthorshipItem[] }>;
  lookup(path: string, line: number): Promise<void>;
  toggle(dir: Direction, node: CallNode): void;
  reset(): void;
}

const idle = <T,>(data: T): Async<T> => ({ status: 'idle', data, error: null });

function identity(e: CallEdge): string {
  return `${e.path ?? '?'}:${e.name}`;
}

function nodesFrom(parentKey: string, ancestors: string[], edges: CallEdge[]): CallNode[] {
  return edges.map((edge, i) => {
    const id = identity(edge);
    return {
      key: `${parentKey}/${i}:${id}`,
      ref: edge.path ? `${edge.path}:${edge.name}` : null,
      edge,
      ancestors: [...ancestors, id],
      recursive: ancestors.includes(id) || edge.name === '<module>',
    };
  });
}

// The answer for an older cursor position must not replace the current one.
let seq = 0;

export const useSymbol = create<SymbolState>()((set, get) => ({
  target: null,
  status: 'idle',
  error: null,
  symbol: null,
  branches: {},
  expanded: {},
  patterns: idle([]),
  experts: idle({ next: [], authors: [] }),

  async lookup(path, line) {
    const t = get().target;
    if (t && t.path === path && t.line === line && get().status !== 'error') return;
    const mine = ++seq;
    const sameFile = t?.path === path;
    set({ target: { path, line }, status: 'loading', error: null, ...(sameFile ? {} : { experts: { ...idle({ next: [], authors: [] }), status: 'loading' } }) });
    if (!sameFile) {
      api()
        .call('git/experts', { paths: [path], k: 5 })
        .then(
          (r) => get().target?.path === path && set({ experts: { status: 'ready', data: { next: r.results, authors: r.authors }, error: null } }),
          (e) => get().target?.path === path && set({ experts: { status: 'error', data: { next: [], authors: [] }, error: errorInfo(e) } }),
        );
    }
    try {
      const r = await api().call('code/symbolAt', { path, line });
      if (mine !== seq) return;
      const prev = get().symbol;
      const s = r.symbol;
      if (!s) {
        set({ status: 'none', symbol: null, branches: {}, expanded: {}, patterns: idle([]) });
        return;
      }
      // Moving inside the same symbol keeps its tree as the user expanded it.
      if (prev && prev.path === s.path && prev.start_line === s.start_line && prev.qualified_name === s.qualified_name) {
        set({ status: 'ready', symbol: s });
        return;
      }
      set({ status: 'ready', symbol: s, branches: {}, expanded: {}, patterns: { ...idle([]), status: 'loading' } });
      const ref = `${s.path}:${s.qualified_name}`;
      for (const dir of ['callers', 'callees'] as const) void loadBranch(dir, dir, ref, [ref, `${s.path}:${s.name}`], mine);
      api()
        .call('code/patterns', {})
        .then(
          (p) => {
            if (mine !== seq) return;
            const mine2 = p.results.filter((h) => h.symbols.some((m) => m.path === s.path && (m.name === s.name || m.name === s.qualified_name || m.line === s.start_line)));
            set({ patterns: { status: 'ready', data: mine2, error: null } });
          },
          (e) => mine === seq && set({ patterns: { status: 'error', data: [], error: errorInfo(e) } }),
        );
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: errorInfo(e), symbol: null });
    }
  },

  toggle(dir, node) {
    const open = !get().expanded[node.key];
    set((s) => ({ expanded: { ...s.expanded, [node.key]: open } }));
    if (open && node.ref && !node.recursive && !get().branches[node.key]) void loadBranch(dir, node.key, node.ref, node.ancestors, seq);
  },

  reset() {
    seq++;
    set({ target: null, status: 'idle', error: null, symbol: null, branches: {}, expanded: {}, patterns: idle([]), experts: idle({ next: [], authors: [] }) });
  },
}));

async function loadBranch(dir: Direction, key: string, ref: string, ancestors: string[], mine: number): Promise<void> {
  useSymbol.setState((s) => ({ branches: { ...s.branches, [key]: { status: 'loading', nodes: [], error: null } } }));
  try {
    const r = dir === 'callers' ? await api().call('code/callers', { symbol: ref }) : await api().call('code/callees', { symbol: ref });
    if (mine !== seq) return;
    const nodes = nodesFrom(key, ancestors, r.results);
    useSymbol.setState((s) => ({ branches: { ...s.branches, [key]: { status: 'ready', nodes, error: null } } }));
  } catch (e) {
    if (mine !== seq) return;
    useSymbol.setState((s) => ({ branches: { ...s.branches, [key]: { status: 'error', nodes: [], error: errorInfo(e) } } }));
  }
}
