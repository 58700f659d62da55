// Horizontal tab strips that scroll instead of wrapping: keep the selected tab in view, and let a mouse wheel scroll them.
import type { WheelEvent } from 'react';

/** Scrolls the strip (only the strip, not the page around it) so that `tab` is fully visible. */
export function revealTab(strip: HTMLElement | null, tab: HTMLElement | null): void {
  if (!strip || !tab) return;
  const s = strip.getBoundingClientRect();
  const t = tab.getBoundingClientRect();
  if (t.left < s.left) strip.scrollLeft -= s.left - t.left;
  else if (t.right > s.right) strip.scrollLeft += Math.min(t.right - s.right, t.left - s.left);
}

/** A vertical wheel turn scrolls the strip sideways, as VS Code's tabs do (most mice have no sideways wheel). */
export function scrollStripOnWheel(e: WheelEvent<HTMLElement>): void {
  if (Math.abs(e.deltaY) <= Math.abs(e.deltaX)) return;
  e.currentTarget.scrollLeft += e.deltaY;
}
