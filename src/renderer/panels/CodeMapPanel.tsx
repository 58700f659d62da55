// The Code map panel: the hotspot treemap with the top hotspots, the domain graph, and a file's churn and complexity trend.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Empty, ErrorNotice, Loading } from '../components/PanelState';
import { autoColourBy, percentile, scoreColour, type ColourBy } from '../codemap/colour';
import { leftOutFiles, leftOutList, noHotspotsText, roleCounts, sourceFiles, sourceOnly } from '../codemap/coverage';
import { DomainGraph } from '../codemap/DomainGraph';
import { HotspotList } from '../codemap/HotspotList';
import { Treemap } from '../codemap/Treemap';
import { trail } from '../codemap/treemap-layout';
import { TrendCharts } from '../codemap/TrendCharts';
import type { TreemapNode } from '../../shared/api';
import { useCodemap, type CodemapView } from '../stores/codemap';
import { useEditor } from '../stores/editor';
import { useIndexing } from '../stores/indexing';
import { useProject } from '../stores/project';

const VIEWS: { id: CodemapView; label: string }[] = [
  { id: 'map', label: 'Hotspot map' },
  { id: 'domains', label: 'Domains' },
  { id: 'trend', label: 'Trend' },
];

const open = (path: string, line?: number) => void (line ? useEditor.getState().openAt(path, line) : useEditor.getState().open(path));

function ViewSwitch({ view }: { view: CodemapView }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = VIEWS.findIndex((v) => v.id === view);
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? VIEWS[(i + 1) % VIEWS.length] : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length] : undefined;
    if (!next) return;
    e.preventDefault();
    useCodemap.getState().setView(next.id);
    e.currentTarget.querySelector<HTMLElement>(`[data-view="${next.id}"]`)?.focus();
  };
  return (
    <div className="segmented" role="radiogroup" aria-label="Code map view" onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="radio"
          data-view={v.id}
          aria-checked={view === v.id}
          tabIndex={view === v.id ? 0 : -1}
          className={view === v.id ? 'active' : ''}
          onClick={() => useCodemap.getState().setView(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

function NotIndexed() {
  const running = useIndexing((s) => s.running);
  const error = useIndexing((s) => s.error);
  return (
    <div className="pad" data-testid="codemap-not-indexed">
      <p className="muted">
        This project is not indexed yet. The code map is drawn from the index: code size and complexity of every file, the git history behind the hotspot
        scores, and the links that group files into domains.
      </p>
      <button type="button" className="primary" disabled={running} onClick={() => void useIndexing.getState().run()}>
        {running ? 'Indexing…' : 'Index the project'}
      </button>
      {error && <ErrorNotice error={error} what="The index run" />}
    </div>
  );
}

const rankedScores = new WeakMap<TreemapNode, number[]>();
/** The scores of every ranked file in a tree. */
function scoresIn(root: TreemapNode): number[] {
  let out = rankedScores.get(root);
  if (out) return out;
  out = [];
  const walk = (n: TreemapNode) => (n.children ? n.children.forEach(walk) : n.score !== null && out!.push(n.score));
  walk(root);
  rankedScores.set(root, out);
  return out;
}

/** The folder at `path` in a tree, or null when it is not one of its folders. */
function folderAt(root: TreemapNode, path: string): TreemapNode | null {
  const last = trail(root, path).at(-1)!;
  return last.path === path ? last : null;
}

/** Above the map: how many files it leaves out and why, the switch that shows them, and what the colour means. */
function MapControls({ root, showAll, colourBy, auto }: { root: TreemapNode; showAll: boolean; colourBy: ColourBy; auto: ColourBy }) {
  const counts = roleCounts(root);
  const left = leftOutFiles(counts);
  const source = sourceFiles(counts);
  return (
    <div className="treemap-controls small" data-testid="treemap-controls">
      {left > 0 && (
        <span className="muted treemap-coverage" data-testid="treemap-coverage">
          {showAll
            ? `All ${source + left} code files; ${left} in grey are not ranked (${leftOutList(counts)}): hotspots rank source files only.`
            : `${source} ranked source file${source === 1 ? '' : 's'}; ${left} left out (${leftOutList(counts)}): hotspots rank source files only.`}
        </span>
      )}
      {left > 0 && (
        <label className="check">
          <input type="checkbox" checked={showAll} onChange={(e) => useCodemap.getState().setShowAll(e.target.checked)} data-testid="treemap-show-all" /> Show tests, docs, examples
        </label>
      )}
      <label className="colour-by">
        <span className="nowrap">Colour by</span>
        <select value={colourBy} onChange={(e) => useCodemap.getState().setColourBy(e.target.value as ColourBy)} data-testid="treemap-colour-by">
          <option value="absolute">chance of a fix{auto === 'absolute' ? ' (default here)' : ''}</option>
          <option value="rank">rank in the project{auto === 'rank' ? ' (default here)' : ''}</option>
        </select>
      </label>
    </div>
  );
}

function MapView() {
  const treemap = useCodemap((s) => s.treemap);
  const coverage = useCodemap((s) => s.coverage);
  const zoom = useCodemap((s) => s.zoom);
  const showAll = useCodemap((s) => s.showAll);
  const chosenColour = useCodemap((s) => s.colourBy);
  const hotspots = useCodemap((s) => s.hotspots);
  const [hover, setHover] = useState<string | null>(null);

  useEffect(() => {
    if (zoom !== null) void useCodemap.getState().loadHotspots(zoom);
  }, [zoom]);

  const root = treemap.data;
  const shownRoot = useMemo(() => (root ? (showAll ? root : sourceOnly(root)) : null), [root, showAll]);
  const scores = useMemo(() => (root ? scoresIn(root) : []), [root]);
  const auto = autoColourBy(scores);
  const colourBy = chosenColour ?? auto;
  const ranked = scores.length;
  const listPath = hotspots.data?.path ?? zoom ?? '';

  let main;
  if (treemap.status === 'error' && treemap.error)
    main = <ErrorNotice error={treemap.error} what="The treemap" methods={['codemap/treemap']} onRetry={() => void useCodemap.getState().loadTreemap({ force: true })} />;
  else if (!root || !shownRoot) main = <Loading what="the treemap" />;
  else if (!root.children?.length)
    main = <Empty testId="treemap-empty">No code files with metrics in this project. The map covers source files in the languages Mira parses; index again after adding some.</Empty>;
  else {
    const counts = roleCounts(root);
    const emptyText =
      !showAll && !sourceFiles(counts)
        ? `No product source files to rank: the project's ${leftOutFiles(counts)} code files are ${leftOutList(counts)}, which hotspots do not rank. Tick “Show tests, docs, examples” to see them.`
        : undefined;
    main = (
      <Treemap
        root={shownRoot}
        zoom={zoom ?? ''}
        colourBy={colourBy}
        ranked={ranked}
        highlight={hover}
        controls={<MapControls root={root} showAll={showAll} colourBy={colourBy} auto={auto} />}
        emptyText={emptyText}
        onZoom={(p) => useCodemap.getState().zoomTo(p)}
        onOpen={(p) => open(p)}
      />
    );
  }

  return (
    <div className="codemap-body">
      <div className="codemap-main">{main}</div>
      <HotspotList
        slot={hotspots}
        folder={listPath}
        onOpen={open}
        onTrend={(p) => useCodemap.getState().showTrend(p)}
        onRetry={() => void useCodemap.getState().loadHotspots(zoom ?? '', { force: true })}
        onHover={setHover}
        emptyText={root && shownRoot ? noHotspotsText(folderAt(shownRoot, listPath) ?? folderAt(root, listPath), coverage) : undefined}
        colourOf={(h) => (colourBy === 'rank' ? scoreColour(percentile(h.rank, ranked)) : scoreColour(h.score))}
      />
    </div>
  );
}

function DomainsView() {
  const domains = useCodemap((s) => s.domains);
  const selected = useCodemap((s) => s.selectedDomain);
  if (domains.status === 'error' && domains.error)
    return <ErrorNotice error={domains.error} what="The domains" methods={['codemap/domains']} onRetry={() => void useCodemap.getState().loadDomains({ force: true })} />;
  if (!domains.data) return <Loading what="the domains" />;
  if (!domains.data.results.length) {
    const roles = domains.data.coverage?.roles;
    if (roles && !roles.source && leftOutFiles(roles) > 0)
      return (
        <Empty testId="domains-empty">
          No domains: they group the product's source files, and this project's {leftOutFiles(roles)} code files are {leftOutList(roles)}, which are left out.
        </Empty>
      );
    return <Empty testId="domains-empty">No domains yet: they are found among the project's source files when it is indexed (imports, calls, co-changes and shared concepts link files into domains).</Empty>;
  }
  return <DomainGraph data={domains.data} selected={selected} onSelect={(id) => useCodemap.getState().selectDomain(id)} onOpen={open} />;
}

function TrendView() {
  const trend = useCodemap((s) => s.trend);
  const active = useEditor((s) => s.active);
  const tabs = useEditor(useShallow((s) => s.tabs.map((t) => t.path)));
  const hotspots = useCodemap((s) => s.hotspots.data?.results);

  // With no file chosen yet, the file in the editor.
  useEffect(() => {
    if (trend.path === null && active) void useCodemap.getState().loadTrend(active);
  }, [trend.path, active]);

  const choices = useMemo(() => {
    const out: string[] = [];
    for (const p of [trend.path, active, ...tabs, ...(hotspots ?? []).slice(0, 20).map((h) => h.path)]) if (p && !out.includes(p)) out.push(p);
    return out;
  }, [trend.path, active, tabs, hotspots]);

  if (!trend.path) return <Empty testId="trend-empty">Open a file in the editor, or pick one in the hotspot list, to see how its churn and complexity changed over time.</Empty>;
  const path = trend.path;
  return (
    <div className="trend-view">
      <div className="trend-bar small">
        <label>
          File{' '}
          <select value={path} onChange={(e) => void useCodemap.getState().loadTrend(e.target.value)} data-testid="trend-file">
            {choices.map((p) => (
              <option key={p} value={p}>
                {p}
                {p === active ? ' (in the editor)' : ''}
              </option>
            ))}
          </select>
        </label>
        {active && active !== path && (
          <button type="button" className="link small" onClick={() => void useCodemap.getState().loadTrend(active)}>
            Use the file in the editor
          </button>
        )}
        <span className="spacer" />
        <button type="button" className="link small" onClick={() => open(path)}>
          Open {path.slice(path.lastIndexOf('/') + 1)}
        </button>
      </div>
      <div className="panel-scroll">
        {trend.status === 'error' && trend.error && (
          <ErrorNotice error={trend.error} what={`The trend of ${path}`} methods={['codemap/trend']} onRetry={() => void useCodemap.getState().loadTrend(path, { force: true })} />
        )}
        {trend.status === 'loading' && !trend.data && <Loading what={`the history of ${path}`} />}
        {trend.data && !trend.data.points.length && (
          <Empty testId="trend-no-history">No git history for {path}: it has not been committed yet, or the history is not indexed (index the project after committing).</Empty>
        )}
        {trend.data && !!trend.data.points.length && <TrendCharts trend={trend.data} />}
      </div>
    </div>
  );
}

export function CodeMapPanel() {
  const generation = useProject((s) => s.generation);
  const indexedAt = useProject((s) => s.project?.last_indexed_at ?? null);
  const view = useCodemap((s) => s.view);
  const key = `${generation}|${indexedAt ?? ''}`;

  // New project or new index: what was loaded is stale. Then load what this view shows.
  useEffect(() => {
    useCodemap.getState().sync(key);
    if (indexedAt) useCodemap.getState().ensure();
  }, [key, view, indexedAt]);

  return (
    <div className="panel codemap-panel" data-testid="codemap-panel">
      <div className="panel-toolbar small">
        <ViewSwitch view={view} />
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Refresh the code map" title="Refresh" disabled={!indexedAt} onClick={() => useCodemap.getState().refresh()}>
          ⟳
        </button>
      </div>
      {!indexedAt ? <NotIndexed /> : view === 'map' ? <MapView /> : view === 'domains' ? <DomainsView /> : <TrendView />}
    </div>
  );
}
