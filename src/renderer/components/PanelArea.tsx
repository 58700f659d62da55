// A tabbed area that shows the registered panels of one side (sidebar, right sidebar or bottom), keeping stateful panels mounted.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { panelsIn, type PanelArea as Area } from '../panels/registry';
import { useLayout } from '../stores/layout';
import { revealTab, scrollStripOnWheel } from './tab-strip';

export function PanelArea({ area, label }: { area: Area; label: string }) {
  const activeId = useLayout((s) => (area === 'side' ? s.sidePanel : area === 'right' ? s.rightPanel : s.bottomPanel));
  const panels = panelsIn(area);
  const active = panels.find((p) => p.id === activeId) ?? panels[0];
  const strip = useRef<HTMLDivElement>(null);
  // The tabs scroll in one row; a panel shown by a shortcut or a link must not stay scrolled out of sight.
  useEffect(() => {
    if (active) revealTab(strip.current, strip.current?.querySelector<HTMLElement>(`#tab-${active.id}`) ?? null);
  }, [active?.id]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = panels.findIndex((p) => p.id === active?.id);
    const next = e.key === 'ArrowRight' ? panels[(i + 1) % panels.length] : e.key === 'ArrowLeft' ? panels[(i - 1 + panels.length) % panels.length] : undefined;
    if (!next) return;
    e.preventDefault();
    useLayout.getState().showPanel(area, next.id);
    (e.currentTarget.querySelector(`#tab-${next.id}`) as HTMLElement | null)?.focus();
  };
  return (
    <section className={`panel-area panel-area-${area}`} aria-label={label}>
      <div className="panel-tabs" role="tablist" aria-label={`${label} panels`} ref={strip} onKeyDown={onKeyDown} onWheel={scrollStripOnWheel}>
        {panels.map((p) => (
          <button
            key={p.id}
            id={`tab-${p.id}`}
            type="button"
            role="tab"
            aria-selected={p.id === active?.id}
            aria-controls={`panel-${p.id}`}
            tabIndex={p.id === active?.id ? 0 : -1}
            className={`panel-tab${p.id === active?.id ? ' active' : ''}`}
            title={p.shortcut ? `${p.title} (${p.shortcut})` : p.title}
            onClick={() => useLayout.getState().showPanel(area, p.id)}
          >
            {p.title}
          </button>
        ))}
      </div>
      {panels.map((p) => {
        const isActive = p.id === active?.id;
        if (!isActive && !p.keepMounted) return null;
        const C = p.component;
        return (
          <div key={p.id} id={`panel-${p.id}`} role="tabpanel" aria-labelledby={`tab-${p.id}`} className="panel-body" hidden={!isActive}>
            <C />
          </div>
        );
      })}
    </section>
  );
}
