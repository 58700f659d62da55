// How a varying name is spelled: its words, its case forms, path templates with placeholders, and renaming in text.

/** The case forms a name takes in paths and code. `raw` is the token exactly as the user (or the path) spells it. */
export type BaseForm = 'raw' | 'kebab' | 'snake' | 'camel' | 'pascal' | 'upper' | 'joined' | 'title' | 'spaced';
/** A form of the name's core: 'encryptor' of 'encryptor_spec' when every example name ends in '_spec'. */
export type NameForm = BaseForm | `c:${BaseForm}`;

const BASE_ORDER: readonly BaseForm[] = ['raw', 'kebab', 'snake', 'camel', 'pascal', 'upper', 'joined', 'title', 'spaced'];
/** Preference when several forms spell the same text ('raw' first: it never loses information such as 'pt-BR'). */
export const FORM_ORDER: readonly NameForm[] = [...BASE_ORDER, ...BASE_ORDER.map((f) => `c:${f}` as NameForm)];

/** What every example name shares around its varying part: 'test_' in test_foo.py, '_spec' in foo_spec.rb. */
export interface Affix {
  prefix: string;
  suffix: string;
}

/** The affix all names share (a prefix ending in a separator, a suffix starting at one or at a capital), or null. */
export function commonAffix(names: string[]): Affix | null {
  const uniq = [...new Set(names)];
  if (uniq.length < 2) return null;
  let suf = uniq[0]!;
  for (const n of uniq) while (suf && !n.endsWith(suf)) suf = suf.slice(1);
  let suffix = '';
  for (let i = 0; i < suf.length; i++) {
    if (/[-_.A-Z]/.test(suf[i]!)) {
      suffix = suf.slice(i);
      break;
    }
  }
  if (!/^[-_.]?[A-Za-z]/.test(suffix) || uniq.some((n) => n.length - suffix.length < 2)) suffix = '';
  let pre = uniq[0]!;
  for (const n of uniq) while (pre && !n.startsWith(pre)) pre = pre.slice(0, -1);
  const cut = Math.max(pre.lastIndexOf('-'), pre.lastIndexOf('_'), pre.lastIndexOf('.'));
  let prefix = cut > 0 ? pre.slice(0, cut + 1) : '';
  if (!/^[A-Za-z]/.test(prefix) || uniq.some((n) => n.length - prefix.length - suffix.length < 2)) prefix = '';
  return prefix || suffix ? { prefix, suffix } : null;
}

/** The name without the affix (null when it does not carry it, or nothing would be left). */
export function coreOf(name: string, affix: Affix | null | undefined): string | null {
  if (!affix) return null;
  let c = name;
  if (affix.prefix) {
    if (!c.startsWith(affix.prefix)) return null;
    c = c.slice(affix.prefix.length);
  }
  if (affix.suffix) {
    if (!c.endsWith(affix.suffix)) return null;
    c = c.slice(0, c.length - affix.suffix.length);
  }
  return c.length >= 2 && c !== name ? c : null;
}

/** The forms that paths use, as toolsynth_build.py does (`joined` only shows up inside code: `frCA` for fr-CA). */
const PATH_FORMS: readonly BaseForm[] = ['raw', 'kebab', 'snake', 'camel', 'pascal', 'upper'];

/** Splits a name into lower-case words: 'MyButton' -> [my, button], 'pt-BR' -> [pt, br], 'HTTPServer' -> [http, server]. */
export function words(v: string): string[] {
  const s = v.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w)
    .map((w) => w.toLowerCase());
}

/** Every form of v, and of its core when an affix is given (the full name's forms stand in when it has no core). */
export function allSpellings(v: string, affix?: Affix | null): Record<NameForm, string> {
  const sp = spellings(v);
  const core = coreOf(v, affix);
  const cs = core ? spellings(core) : sp;
  const out = { ...sp } as Record<NameForm, string>;
  for (const f of BASE_ORDER) out[`c:${f}`] = cs[f];
  return out;
}

/** Every case form of v (duplicates included); what a template placeholder is filled with. */
export function spellings(v: string): Record<BaseForm, string> {
  const w = words(v);
  const ws = w.length ? w : [v];
  const cap = ws.map((x) => x.slice(0, 1).toUpperCase() + x.slice(1));
  return {
    raw: v,
    kebab: ws.join('-'),
    snake: ws.join('_'),
    camel: ws[0]! + cap.slice(1).join(''),
    pascal: cap.join(''),
    upper: ws.join('_').toUpperCase(),
    // Separators dropped, letters kept as written: how code spells 'fr-CA' as an identifier (frCA).
    joined: v.replace(/[^A-Za-z0-9]+/g, ''),
    // How prose spells it: a heading ('Cookie Tossing') or a sentence ('cookie tossing').
    title: cap.join(' '),
    spaced: ws.join(' '),
  };
}

/** The distinct spellings of v for the given forms, first form winning: [form, spelling][]. */
export function distinctForms(v: string, forms: readonly BaseForm[] = PATH_FORMS): [BaseForm, string][] {
  const sp = spellings(v);
  const out: [BaseForm, string][] = [];
  for (const f of forms) if (!out.some(([, s]) => s === sp[f])) out.push([f, sp[f]]);
  return out;
}

export function placeholder(form: BaseForm): string {
  return form === 'raw' ? '{name}' : `{name:${form}}`;
}

const PLACEHOLDER_RE = /\{name(?::(kebab|snake|camel|pascal|upper|joined|title|spaced))?\}/g;

/** A path template ('test/{name}.js', 'src/{name:kebab}/{name:pascal}.tsx') with the name v filled in. */
export function fillPath(template: string, v: string): string {
  const sp = spellings(v);
  return template.replace(PLACEHOLDER_RE, (_m, f: string | undefined) => sp[(f ?? 'raw') as BaseForm]);
}

/**
 * A path with v's spellings replaced by placeholders, as toolsynth_build.py reads it: whole directory names the commit
 * created, and file stems ('tests/foo.test.ts' with v=foo -> 'tests/{name}.test.ts').
 */
export function templatePath(path: string, v: string, newDirs: ReadonlySet<string>): string {
  const fs = distinctForms(v).sort((a, b) => b[1].length - a[1].length);
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i]!;
    const last = i === parts.length - 1;
    for (const [form, s] of fs) {
      if (seg === s && (last || newDirs.has(parts.slice(0, i + 1).join('/')))) {
        parts[i] = placeholder(form);
        break;
      }
      if (last && seg.startsWith(s + '.')) {
        parts[i] = placeholder(form) + seg.slice(s.length);
        break;
      }
    }
  }
  return parts.join('/');
}

/** The two readings of a file name: 'a.test.ts' -> ['a', 'a.test']. */
export function stems(path: string): [string, string] {
  const base = (path.split('/').pop() ?? '').replace(/^\.+/, '');
  const dot = base.lastIndexOf('.');
  return [base.split('.')[0]!, dot >= 0 ? base.slice(0, dot) : base];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The word-boundary rule of the eval's renamer: a spelling is not part of a longer identifier word. */
function spellingPattern(s: string): string {
  const first = s.slice(0, 1);
  const left = first >= 'A' && first <= 'Z' ? '(?<![A-Z0-9])' : '(?<![A-Za-z0-9])';
  const right = s === s.toUpperCase() && /[A-Z]/.test(s) ? '(?![A-Z0-9])' : '(?![a-z0-9])';
  return left + escapeRe(s) + right;
}

/** One occurrence of the name in a line: which forms could have produced that spelling. */
export type Slot = NameForm[];

/** A line with the name's occurrences cut out: `parts` alternate text and slots (parts.length = slots.length + 1). */
export interface TemplatedLine {
  parts: string[];
  slots: Slot[];
}

/** Finds the name's spellings in text; builds the regex once per name. */
export class NameMatcher {
  private readonly re: RegExp | null;
  private readonly bySpelling = new Map<string, NameForm[]>();
  /** Also cuts the name written in another casing ('ProtoBuf' for protobuf), guessing its form from its capitals. */
  private readonly ci: RegExp | null = null;
  constructor(readonly name: string, opts: { anyCase?: boolean; affix?: Affix | null } = {}) {
    const sp = allSpellings(name, opts.affix);
    const hasCore = coreOf(name, opts.affix) !== null;
    if (opts.anyCase && sp.joined.length >= 2) this.ci = new RegExp(`(?<![A-Za-z0-9])${escapeRe(sp.joined)}(?![a-z0-9])`, 'gi');
    for (const f of FORM_ORDER) {
      if (f.startsWith('c:') && !hasCore) continue;
      const s = sp[f];
      if (s.length < 2) continue;
      const list = this.bySpelling.get(s) ?? [];
      list.push(f);
      this.bySpelling.set(s, list);
    }
    const all = [...this.bySpelling.keys()].sort((a, b) => b.length - a.length);
    this.re = all.length ? new RegExp(all.map(spellingPattern).join('|'), 'g') : null;
  }

  /** Cuts the name out of a line; a line without it comes back as one part. */
  cut(line: string): TemplatedLine {
    if (!this.re) return { parts: [line], slots: [] };
    const parts: string[] = [];
    const slots: Slot[] = [];
    let last = 0;
    this.re.lastIndex = 0;
    for (let m = this.re.exec(line); m; m = this.re.exec(line)) {
      parts.push(line.slice(last, m.index));
      slots.push(this.bySpelling.get(m[0]) ?? ['raw']);
      last = m.index + m[0].length;
    }
    parts.push(line.slice(last));
    if (!this.ci) return { parts, slots };
    // a second pass over the text between exact matches
    const outParts: string[] = [];
    const outSlots: Slot[] = [];
    parts.forEach((piece, i) => {
      let prev = 0;
      let cur = '';
      this.ci!.lastIndex = 0;
      for (let m = this.ci!.exec(piece); m; m = this.ci!.exec(piece)) {
        outParts.push(cur + piece.slice(prev, m.index));
        cur = '';
        const t = m[0];
        outSlots.push(t === t.toUpperCase() && /[A-Z]/.test(t) ? ['upper'] : /^[A-Z]/.test(t) ? ['pascal'] : ['raw']);
        prev = m.index + t.length;
      }
      cur += piece.slice(prev);
      if (i < slots.length) {
        outParts.push(cur);
        outSlots.push(slots[i]!);
      } else outParts.push(cur);
    });
    return { parts: outParts, slots: outSlots };
  }

  /** Renames every spelling of this name to the same spelling of `to` (the copy baseline's renamer). */
  rename(text: string, to: string): string {
    if (!this.re) return text;
    const sp = allSpellings(to);
    return text.replace(this.re, (m) => sp[(this.bySpelling.get(m) ?? ['raw'])[0]!]);
  }
}

/** The key of a templated line that ignores which form each slot took; lines that agree up to the name share it. */
export const SLOT_MARK = '\u0001';
export function slotKey(t: TemplatedLine): string {
  return t.parts.join(SLOT_MARK);
}

/** Whether a name can safely become part of a path: no separators, no `..`, no leading dot or dash. */
export function isSafeName(v: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._+@-]{0,127}$/.test(v) && !v.includes('..');
}

/** 'samples' -> 'sample', 'fixtures' -> 'fixture'; keeps 'class', 'tests' -> 'test'. Good enough for tool names. */
export function singular(w: string): string {
  if (/ies$/.test(w) && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(w) || w.length <= 3) return w;
  return w.endsWith('s') ? w.slice(0, -1) : w;
}

/** Describes the case style a set of example names share, for the parameter's description. */
export function caseStyle(names: string[]): string {
  const test = (re: RegExp) => names.length > 0 && names.every((n) => re.test(n));
  if (test(/^[a-z0-9]+(-[a-z0-9]+)+$/) || (test(/^[a-z0-9-]+$/) && names.some((n) => n.includes('-')))) return 'kebab-case';
  if (test(/^[a-z0-9]+(_[a-z0-9]+)+$/) || (test(/^[a-z0-9_]+$/) && names.some((n) => n.includes('_')))) return 'snake_case';
  if (test(/^[A-Z][A-Za-z0-9]*$/)) return 'PascalCase';
  if (test(/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/)) return 'camelCase';
  if (test(/^[a-z0-9]+$/)) return 'lower case';
  return 'as in the examples';
}
