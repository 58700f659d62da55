// The nested treemap: folders as frames with their contents squarified inside, down to a depth or a size, and the zoom path helpers.
import type { TreemapNode } from '../../shared/api';
import { squarify, type Rect } from './squarify';

export interface Cell extends Rect {
  node: TreemapNode;
  kind: 'folder' | 'file';
  /** 1 for the children of the shown folder, 2 for theirs... */
  depth: number;
  /** A folder drawn as a frame with its contents inside (else a solid block that zooms in when clicked). */
  open: boolean;
}

export interface LayoutOptions {
  /** Deepest level drawn inside the shown folder. */
  maxDepth: number;
  /** Height of a folder frame's title strip. */
  header: number;
  /** Inset of a folder's contents from its frame. */
  pad: number;
  /** A folder smaller than this is drawn solid, not opened. */
  minOpen: { w: number; h: number };
}

export const DEFAULT_LAYOUT: LayoutOptions = { maxDepth: 4, header: 17, pad: 2, minOpen: { w: 56, h: 44 } };

export const isFolder = (n: TreemapNode): boolean => Array.isArray(n.children);

/** Cells of `root`'s contents inside a width × height box, parents before their children (the drawing and focus order). */
export function layoutTreemap(root: TreemapNode, width: number, height: number, opts: LayoutOptions = DEFAULT_LAYOUT): Cell[] {
  const out: Cell[] = [];
  const walk = (node: TreemapNode, box: Rect, depth: number) => {
    for (const p of squarify(node.children ?? [], (c) => c.size, box)) {
      const folder = isFolder(p.item);
      const open = folder && depth < opts.maxDepth && p.w >= opts.minOpen.w && p.h >= opts.minOpen.h && !!p.item.children?.length;
      out.push({ node: p.item, kind: folder ? 'folder' : 'file', depth, open, x: p.x, y: p.y, w: p.w, h: p.h });
      if (open) {
        const inner = { x: p.x + opts.pad, y: p.y + opts.header, w: p.w - 2 * opts.pad, h: p.h - opts.header - opts.pad };
        if (inner.w > 0 && inner.h > 0) walk(p.item, inner, depth + 1);
      }
    }
  };
  if (width > 0 && height > 0) walk(root, { x: 0, y: 0, w: width, h: height }, 1);
  return out;
}

/** The folders from `root` down to the one at `path` (root first); just [root] when the path is not a folder in the tree. */
export function trail(root: TreemapNode, path: string): TreemapNode[] {
  const out = [root];
  if (!path || path === root.path) return out;
  let node = root;
  for (;;) {
    const next = node.children?.find((c) => isFolder(c) && (c.path === path || path.startsWith(`${c.path}/`)));
    if (!next) return path === node.path ? out : [root];
    out.push(next);
    if (next.path === path) return out;
    node = next;
  }
}

/**
 * The folder to show first: the root, or, when the root holds nothing but one folder (a `src/` layout), that folder and
 * on down, so the first picture is not one big block.
 */
export function initialZoom(root: TreemapNode): string {
  let node = root;
  while (node.children?.length === 1 && isFolder(node.children[0]!)) node = node.children[0]!;
  return node.path;
}
