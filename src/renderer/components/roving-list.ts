// Keyboard navigation for the panels' result lists: one tab stop (roving tabindex), arrows, Home/End, Enter to open.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface RovingList {
  index: number;
  focus(i: number): void;
  onKeyDown(e: KeyboardEvent): void;
  itemProps(i: number): { ref: (el: HTMLElement | null) => void; tabIndex: number; onFocus: () => void; 'aria-selected': boolean };
}

/** `open` runs on Enter (and Space, unless `toggle` takes Space); `onExitTop` lets ArrowUp on the first item go back to a search field. */
export function useRovingList<T>(items: readonly T[], open: (item: T, i: number) => void, opts: { onExitTop?: () => void; toggle?: (item: T, i: number) => void } = {}): RovingList {
  const [index, setIndex] = useState(0);
  const refs = useRef<(HTMLElement | null)[]>([]);
  useEffect(() => {
    if (index >= items.length) setIndex(Math.max(0, items.length - 1));
  }, [items.length, index]);
  const focus = (i: number) => {
    if (!items.length) return;
    const k = Math.min(Math.max(i, 0), items.length - 1);
    setIndex(k);
    const el = refs.current[k];
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // Keys typed into a field or button inside an item belong to that control.
    const t = e.target as HTMLElement;
    if (t !== refs.current[index] && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.tagName === 'BUTTON')) return;
    switch (e.key) {
      case 'ArrowDown':
        focus(index + 1);
        break;
      case 'ArrowUp':
        if (index === 0 && opts.onExitTop) opts.onExitTop();
        else focus(index - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(items.length - 1);
        break;
      case 'Enter':
      case ' ': {
        const item = items[index];
        if (item === undefined) return;
        if (e.key === ' ' && opts.toggle) opts.toggle(item, index);
        else open(item, index);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };
  return {
    index,
    focus,
    onKeyDown,
    itemProps: (i) => ({
      ref: (el) => {
        refs.current[i] = el;
      },
      tabIndex: i === index ? 0 : -1,
      onFocus: () => setIndex(i),
      'aria-selected': i === index,
    }),
  };
}
