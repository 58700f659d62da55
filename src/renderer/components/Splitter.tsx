// A drag handle between two areas (sidebar | editor | right sidebar, editor / bottom panel), also adjustable with the arrow keys.
import type { KeyboardEvent, PointerEvent } from 'react';
import { useLayout } from '../stores/layout';

type Which = 'sidebar' | 'bottom' | 'right';

const LABELS: Record<Which, string> = { sidebar: 'Resize the sidebar', bottom: 'Resize the bottom panel', right: 'Resize the right sidebar' };

export function Splitter({ which }: { which: Which }) {
  const size = useLayout((s) => (which === 'sidebar' ? s.sidebarWidth : which === 'right' ? s.rightWidth : s.bottomHeight));
  const vertical = which !== 'bottom';
  // The sidebar grows to the right; the right sidebar grows to the left; the bottom panel grows upwards.
  const sign = which === 'sidebar' ? 1 : -1;
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const start = vertical ? e.clientX : e.clientY;
    const startSize = size;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const delta = (vertical ? ev.clientX : ev.clientY) - start;
      useLayout.getState().resize(which, startSize + sign * delta);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 50 : 10;
    const forward = vertical ? e.key === 'ArrowRight' : e.key === 'ArrowUp';
    const back = vertical ? e.key === 'ArrowLeft' : e.key === 'ArrowDown';
    if (!forward && !back) return;
    e.preventDefault();
    // Arrow keys move the handle the way they point, whichever side the area is on.
    const grow = which === 'right' ? back : forward;
    useLayout.getState().resize(which, size + (grow ? step : -step));
  };
  return (
    <div
      className={`splitter ${vertical ? 'splitter-v' : 'splitter-h'}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={LABELS[which]}
      aria-valuenow={size}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
