// Project-relative path helpers shared by the git modules: folders, ancestors, normalising what people type.

/** The folder holding a path ('' for the root). */
export function folderOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Every folder above a path, nearest first, ending with the root ''. */
export function ancestors(p: string): string[] {
  const out: string[] = [];
  let d = folderOf(p);
  for (;;) {
    out.push(d);
    if (d === '') break;
    d = folderOf(d);
  }
  return out;
}

/** Forward slashes, no leading './' or '/', no trailing '/'. Does not resolve '..' (these are lookups, not file access). */
export function normalizeRel(p: string): string {
  let s = p.trim().replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/\/{2,}/g, '/').replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

/** Upper bound for a range scan of everything under `folder` (paths sort between 'folder/' and 'folder0'). */
export function underRange(folder: string): [string, string] {
  return folder === '' ? ['', '\uffff'] : [`${folder}/`, `${folder}0`];
}
