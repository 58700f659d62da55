// A drag handle between two areas (sidebar | editor, editor / bottom panel), also adjustable with the arrow keys.
import type { KeyboardEvent, PointerEvent } from 'react';
import { useLayout } from '../stores/layout';

export function Splitter({ which }: { which: 'sidebar' | 'bottom' }) {
  const size = useLayout((s) => (which === 'sidebar' ? s.sidebarWidth : s.bottomHeight));
  const vertical = which === 'sidebar';
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const start = vertical ? e.clientX : e.clientY;
    const startSize = size;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const delta = (vertical ? ev.clientX : ev.clientY) - start;
      // The sidebar grows to the right; the bottom panel grows upwards.
      useLayout.getState().resize(which, vertical ? startSize + delta : startSize - delta);
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
    const grow = vertical ? e.key === 'ArrowRight' : e.key === 'ArrowUp';
    const shrink = vertical ? e.key === 'ArrowLeft' : e.key === 'ArrowDown';
    if (!grow && !shrink) return;
    e.preventDefault();
    useLayout.getState().resize(which, size + (grow ? step : -step));
  };
  return (
    <div
      className={`splitter ${vertical ? 'splitter-v' : 'splitter-h'}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={vertical ? 'Resize the sidebar' : 'Resize the bottom panel'}
      aria-valuenow={size}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
