// The Code map panel's data: the treemap, its zoom and what it shows (source only or everything, colour by score or rank),
// the hotspot list, the domains and the chosen domain, and a file's trend.
import { create } from 'zustand';
import type { CodeCoverage, HotspotItem, Result, TreemapNode } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import type { ColourBy } from '../codemap/colour';
import { sourceOnly } from '../codemap/coverage';
import { initialZoom, trail } from '../codemap/treemap-layout';
import { api } from './connection';

export type CodemapView = 'map' | 'domains' | 'trend';

export interface Slot<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  error: ErrorInfo | null;
}

type Domains = Result<'codemap/domains'>;
type Trend = Result<'codemap/trend'>;
interface Hotspots {
  /** The folder the list is for ('' = the whole project). */
  path: string;
  results: HotspotItem[];
  model: Result<'codemap/hotspots'>['model'];
}

/** How many hotspots one call brings: enough for the list's "show more". */
export const HOTSPOT_K = 100;

const idle = <T>(): Slot<T> => ({ status: 'idle', data: null, error: null });

interface CodemapState {
  view: CodemapView;
  /** What the loaded data belongs to (project generation and last index time): a change starts over. */
  key: string | null;
  treemap: Slot<TreemapNode>;
  /** The project's code files per role, ranked files and commits, from the treemap answer (null from an older server). */
  coverage: CodeCoverage | null;
  /** The folder the treemap shows (a path, '' = the project root); null until the tree is loaded. */
  zoom: string | null;
  /** The map shows tests, docs and examples too (grey, not ranked); by default only the source files hotspots rank. */
  showAll: boolean;
  /** Colour by score or by rank within the project; null: whichever reads better for the project's scores. */
  colourBy: ColourBy | null;
  hotspots: Slot<Hotspots>;
  domains: Slot<Domains>;
  selectedDomain: number | null;
  trend: Slot<Trend> & { path: string | null };
  setView(view: CodemapView): void;
  /** Starts over when the project or its index changed since the data was loaded. */
  sync(key: string): void;
  loadTreemap(opts?: { force?: boolean }): Promise<void>;
  zoomTo(path: string): void;
  /** Shows or hides tests, docs and examples; a zoom into a folder that no longer shows moves to the first picture. */
  setShowAll(on: boolean): void;
  setColourBy(by: ColourBy): void;
  loadHotspots(path: string, opts?: { force?: boolean }): Promise<void>;
  loadDomains(opts?: { force?: boolean }): Promise<void>;
  selectDomain(id: number | null): void;
  loadTrend(path: string, opts?: { force?: boolean }): Promise<void>;
  /** Switches to the trend view for a file. */
  showTrend(path: string): void;
  /** Loads what the current view needs and does not have yet (every loader skips what it has or is loading). */
  ensure(): void;
  /** Reloads whatever the current view shows. */
  refresh(): void;
  reset(): void;
}

// One counter per kind of request: an answer that is no longer the newest one asked for is dropped.
const seq = { treemap: 0, hotspots: 0, domains: 0, trend: 0 };
let loadingHotspotsFor: string | null = null;

/** The project's part of the state: what a project switch empties (the view chosen stays). */
const empty = (): Pick<CodemapState, 'key' | 'treemap' | 'coverage' | 'zoom' | 'showAll' | 'colourBy' | 'hotspots' | 'domains' | 'selectedDomain' | 'trend'> => ({
  key: null,
  treemap: idle<TreemapNode>(),
  coverage: null,
  zoom: null,
  showAll: false,
  colourBy: null,
  hotspots: idle<Hotspots>(),
  domains: idle<Domains>(),
  selectedDomain: null,
  trend: { ...idle<Trend>(), path: null },
});

export const useCodemap = create<CodemapState>()((set, get) => ({
  view: 'map',
  ...empty(),

  setView(view) {
    set({ view });
  },

  sync(key) {
    const prev = get().key;
    if (prev === key) return;
    const sameProject = prev?.split('|')[0] === key.split('|')[0];
    seq.treemap++;
    seq.hotspots++;
    seq.domains++;
    seq.trend++;
    // A re-index keeps where the user was looking; a new project starts from its root.
    set((s) => ({
      key,
      treemap: idle(),
      coverage: sameProject ? s.coverage : null,
      zoom: sameProject ? s.zoom : null,
      colourBy: sameProject ? s.colourBy : null,
      hotspots: idle(),
      domains: idle(),
      selectedDomain: sameProject ? s.selectedDomain : null,
      trend: { ...idle<Trend>(), path: sameProject ? s.trend.path : null },
    }));
  },

  async loadTreemap(opts = {}) {
    const cur = get().treemap;
    if (!opts.force && (cur.status === 'loading' || cur.status === 'ready')) return;
    const mine = ++seq.treemap;
    set({ treemap: { status: 'loading', data: cur.data, error: null } });
    try {
      const r = await api().call('codemap/treemap', {});
      if (mine !== seq.treemap) return;
      set((s) => ({
        treemap: { status: 'ready', data: r.root, error: null },
        coverage: r.coverage ?? null,
        zoom: s.zoom ?? initialZoom(s.showAll ? r.root : sourceOnly(r.root)),
      }));
    } catch (e) {
      if (mine === seq.treemap) set({ treemap: { status: 'error', data: null, error: errorInfo(e) } });
    }
  },

  zoomTo(path) {
    set({ zoom: path });
  },

  setShowAll(on) {
    const { treemap, zoom, showAll } = get();
    const root = treemap.data;
    if (!root || on === showAll) return set({ showAll: on });
    const before = showAll ? root : sourceOnly(root);
    const shown = on ? root : sourceOnly(root);
    // From the first picture to the new first picture; else stay where the user was, when that folder still shows.
    const keep = zoom !== null && zoom !== initialZoom(before) && trail(shown, zoom).at(-1)!.path === zoom;
    set({ showAll: on, zoom: keep ? zoom : initialZoom(shown) });
  },

  setColourBy(by) {
    set({ colourBy: by });
  },

  async loadHotspots(path, opts = {}) {
    const cur = get().hotspots;
    if (!opts.force && cur.data?.path === path && cur.status === 'ready') return;
    if (!opts.force && cur.status === 'loading' && loadingHotspotsFor === path) return;
    const mine = ++seq.hotspots;
    loadingHotspotsFor = path;
    set({ hotspots: { status: 'loading', data: cur.data, error: null } });
    try {
      const r = await api().call('codemap/hotspots', path ? { k: HOTSPOT_K, path } : { k: HOTSPOT_K });
      if (mine !== seq.hotspots) return;
      set({ hotspots: { status: 'ready', data: { path, results: r.results, model: r.model }, error: null } });
    } catch (e) {
      if (mine === seq.hotspots) set({ hotspots: { status: 'error', data: null, error: errorInfo(e) } });
    }
  },

  async loadDomains(opts = {}) {
    const cur = get().domains;
    if (!opts.force && (cur.status === 'loading' || cur.status === 'ready')) return;
    const mine = ++seq.domains;
    set({ domains: { status: 'loading', data: cur.data, error: null } });
    try {
      const r = await api().call('codemap/domains', { files: true });
      if (mine !== seq.domains) return;
      // A chosen domain that no longer exists (after a re-index) is let go.
      set((s) => ({
        domains: { status: 'ready', data: r, error: null },
        selectedDomain: r.results.some((d) => d.id === s.selectedDomain) ? s.selectedDomain : null,
      }));
    } catch (e) {
      if (mine === seq.domains) set({ domains: { status: 'error', data: null, error: errorInfo(e) } });
    }
  },

  selectDomain(id) {
    set({ selectedDomain: id });
  },

  async loadTrend(path, opts = {}) {
    const cur = get().trend;
    if (!opts.force && cur.path === path && (cur.status === 'loading' || cur.status === 'ready')) return;
    const mine = ++seq.trend;
    set({ trend: { status: 'loading', data: cur.path === path ? cur.data : null, error: null, path } });
    try {
      const r = await api().call('codemap/trend', { path });
      if (mine === seq.trend) set({ trend: { status: 'ready', data: r, error: null, path } });
    } catch (e) {
      if (mine === seq.trend) set({ trend: { status: 'error', data: null, error: errorInfo(e), path } });
    }
  },

  showTrend(path) {
    set({ view: 'trend' });
    void get().loadTrend(path);
  },

  ensure() {
    const s = get();
    if (s.view === 'map') {
      void s.loadTreemap();
      if (s.zoom !== null) void s.loadHotspots(s.zoom);
    } else if (s.view === 'domains') void s.loadDomains();
    else {
      // The trend's file choices include the top hotspots.
      void s.loadHotspots(s.zoom ?? '');
      if (s.trend.path) void s.loadTrend(s.trend.path);
    }
  },

  refresh() {
    const s = get();
    if (s.view === 'map') {
      void s.loadTreemap({ force: true });
      void s.loadHotspots(s.zoom ?? '', { force: true });
    } else if (s.view === 'domains') void s.loadDomains({ force: true });
    else if (s.trend.path) void s.loadTrend(s.trend.path, { force: true });
  },

  reset() {
    seq.treemap++;
    seq.hotspots++;
    seq.domains++;
    seq.trend++;
    set(empty());
  },
}));

