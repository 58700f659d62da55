// Finds the current files of a template ("siblings": other locales, other samples) in a git revision or a work tree, and picks the ones a tool learns from.
import fs from 'node:fs';
import path from 'node:path';
import type { ObjectReader } from './history';
import { fillPath } from './names';
import { runtime, MAX_SIBLINGS, type FileSpec, type Part } from './runtime';

export interface Candidate {
  name: string;
  path: string;
}

/** A file spec's path back as a template string ('test/{name}.js'). */
export function templateOf(parts: Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'name' in p ? (p.name === 'raw' ? '{name}' : `{name:${p.name}}`) : '')).join('');
}

/**
 * Where a template's siblings are: the literal folder above its first placeholder, and a regex for the entries of
 * that folder (group 1: the sibling's name) with the rest of the path to fill in.
 */
function layout(template: string): { dir: string; entry: RegExp; rest: string[] } {
  const segs = template.split('/');
  const j = segs.findIndex((s) => s.includes('{name'));
  const dir = segs.slice(0, j).join('/');
  const seg = segs[j] ?? '';
  let first = true;
  const body = seg
    .split(/(\{name(?::[a-z]+)?\})/)
    .map((piece) => {
      if (!piece.startsWith('{name')) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const g = first ? '(.+?)' : '.+?';
      first = false;
      return g;
    })
    .join('');
  return { dir, entry: new RegExp(`^${body}$`), rest: segs.slice(j + 1) };
}

function candidatesFrom(template: string, entries: string[]): Candidate[] {
  const { dir, entry, rest } = layout(template);
  const out: Candidate[] = [];
  const rt = runtime();
  for (const e of entries) {
    const m = entry.exec(e);
    if (!m || !m[1] || !rt.isSafeName(m[1])) continue;
    const name = m[1];
    // later segments may spell the name again (samples/{name}/{name}.js): fill them for this sibling
    const tail = rest.map((seg) => (seg.includes('{name') ? fillPath(seg, name) : seg));
    out.push({ name, path: [dir, e, ...tail].filter((x) => x !== '').join('/') });
  }
  return out;
}

/** Parses a git tree object into entry names. */
function treeEntries(buf: Buffer): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(32, i);
    const nul = buf.indexOf(0, sp);
    if (sp < 0 || nul < 0) break;
    out.push(buf.subarray(sp + 1, nul).toString('utf8'));
    i = nul + 21;
  }
  return out;
}

/** The siblings of a template at a git revision: one tree read through the object reader, no extra process. */
const candCache = new Map<string, Candidate[]>();

export async function candidatesAtRev(reader: ObjectReader, rev: string, template: string): Promise<Candidate[]> {
  const { dir } = layout(template);
  // resolve the folder to its tree id first: many revisions share the same folder, and its candidates are computed once
  const tree = await reader.object(dir ? `${rev}:${dir}` : `${rev}^{tree}`);
  if (!tree) return [];
  const key = `${tree.id}\0${template}`;
  let c = candCache.get(key);
  if (!c) {
    c = candidatesFrom(template, treeEntries(tree.body));
    if (candCache.size > 500) candCache.clear();
    candCache.set(key, c);
  }
  return c;
}

/** The siblings of a template in a work tree. */
export function candidatesInWorkTree(root: string, template: string): Candidate[] {
  const { dir } = layout(template);
  let entries: string[];
  try {
    entries = fs.readdirSync(path.join(root, dir));
  } catch {
    return [];
  }
  return candidatesFrom(template, entries);
}

/** The siblings a tool learns from for `name`: the ones named alike first, then an even spread (the runtime's rule). */
export function pick(cands: Candidate[], name: string): Candidate[] {
  return runtime().pickSiblings(name, cands, MAX_SIBLINGS);
}

type SiblingSpec = Pick<FileSpec, 'source' | 'path'>;

/** Reads the picked siblings of each sibling-sourced file spec at a git revision (missing ones are skipped). */
export async function siblingsAtRev(reader: ObjectReader, rev: string, specs: SiblingSpec[], name: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of specs) {
    if (f.source !== 'siblings') continue;
    const template = templateOf(f.path);
    const picked = pick(await candidatesAtRev(reader, rev, template), name);
    const texts = await Promise.all(picked.map((s) => reader.text(`${rev}:${s.path}`)));
    picked.forEach((s, i) => {
      if (texts[i] != null) out.set(s.path, texts[i]!);
    });
  }
  return out;
}

/** Reads the picked siblings of each sibling-sourced file spec from a work tree. */
export function siblingsInWorkTree(root: string, specs: SiblingSpec[], name: string, maxBytes = 256 * 1024): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of specs) {
    if (f.source !== 'siblings') continue;
    for (const s of pick(candidatesInWorkTree(root, templateOf(f.path)), name)) {
      try {
        const abs = path.join(root, s.path);
        const st = fs.statSync(abs);
        if (!st.isFile() || st.size > maxBytes) continue;
        out.set(s.path, fs.readFileSync(abs, 'utf8'));
      } catch {
        /* missing or unreadable: learn from the others */
      }
    }
  }
  return out;
}
