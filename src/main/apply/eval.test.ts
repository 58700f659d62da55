// Apply-engine goals: the committed fixtures always, and the shared evaluation sets when they are checked out.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyEdit } from './apply';
import { evaluateApply, loadCases, metrics, round4, type ApplyMetrics } from './eval';
import { editLines } from './lines';
import { detectFormat, parseSearchReplace, parseUdiff } from './parse';

// src/main/apply -> repository root; the shared evaluation sets sit beside the repository
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const evalDir = path.resolve(repoRoot, '../shared/eval');
const fixtures = path.join(repoRoot, 'test/fixtures/apply/cases.jsonl');
const SETS = ['expressjs+express', 'BurntSushi+ripgrep', 'colinhacks+zod'];
const haveEval = SETS.every((s) => existsSync(path.join(evalDir, s, 'apply.jsonl')));

function goals(m: ApplyMetrics): string[] {
  const bad: string[] = [];
  if (m.exact === null || m.exact < 0.97) bad.push(`exact ${m.exact} < 0.97`);
  for (const [k, v] of Object.entries(m.per_variant)) if (!k.startsWith('refuse') && v < 0.9) bad.push(`${k} ${v} < 0.9`);
  if (m.wrong_rate === null || m.wrong_rate > 0.005) bad.push(`wrong ${m.wrong_rate} > 0.005`);
  return bad;
}

describe('committed fixtures (test/fixtures/apply/cases.jsonl)', () => {
  const cases = loadCases(fixtures) as (ReturnType<typeof loadCases>[number] & { strategy?: string; code?: string })[];

  it('cover every variant, refusals and CRLF', () => {
    const variants = new Set(cases.map((c) => c.variant));
    for (const v of ['sr_exact', 'sr_trailing_ws', 'sr_reindent', 'sr_blank_lines', 'sr_elided', 'udiff_bad_numbers',
      'udiff_no_numbers', 'whole_elided', 'refuse_missing', 'refuse_ambiguous', 'crlf', 'no_final_newline'])
      expect(variants.has(v), v).toBe(true);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.expect === 'apply' ? `applies (${c.strategy ?? 'any strategy'})` : `refuses (${c.code ?? 'any reason'})`}`, () => {
      const r = applyEdit(c.before, c.edit, { path: c.path });
      if (c.expect === 'apply') {
        expect(r.applied ? r.content : r.error).toBe(c.after);
        if (c.strategy && r.applied) expect(r.strategy).toBe(c.strategy);
      } else {
        expect(r.applied).toBe(false);
        if (c.code && !r.applied) expect(r.error.code).toBe(c.code);
      }
    });
  }

  it('score perfectly through evaluateApply', () => {
    const m = evaluateApply(fixtures);
    expect(m.failures).toEqual([]);
    expect(m.exact).toBe(1);
    expect(m.wrong).toBe(0);
  });
});

describe('round4', () => {
  it("rounds like Python's round(x, 4)", () => {
    // expected values printed by CPython
    const cases: [number, number][] = [[126 / 192, 0.6562], [21 / 22, 0.9545], [2 / 3, 0.6667], [5e-5, 0.0001], [0.00015, 0.0001],
      [0.99995, 1.0], [174 / 176, 0.9886], [17 / 180, 0.0944], [0.12345, 0.1235], [1, 1]];
    for (const [x, want] of cases) expect(round4(x), String(x)).toBe(want);
  });
});

describe('shared evaluation sets', () => {
  for (const s of SETS) {
    it.skipIf(!haveEval)(`${s}: exact >= 0.97, every variant >= 0.9, wrong <= 0.5% [skipped when ../shared/eval is missing]`, () => {
      const t0 = Date.now();
      const m = evaluateApply(path.join(evalDir, s, 'apply.jsonl'));
      expect(goals(m), JSON.stringify({ ...m, failures: m.failures.slice(0, 10) })).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(10_000);
    });
  }

  it.skipIf(!haveEval)('metrics() reproduces the published exact_only baseline figures [skipped when ../shared/eval is missing]', () => {
    // apply_baseline.exact_only, ported: every block / hunk must occur exactly once, line for line; no whole files
    const exactOnly = (before: string, edit: string): string | null => {
      const el = editLines(edit);
      const fmt = detectFormat(el);
      let pairs: [string[], string[]][];
      if (fmt === 'search-replace') {
        const p = parseSearchReplace(el);
        if (!p.ok) return null;
        pairs = p.value.map((b) => [b.search, b.replace]);
      } else if (fmt === 'udiff') {
        const p = parseUdiff(el);
        if (!p.ok) return null;
        pairs = p.value.map((h) => [h.old, h.new]);
      } else return null;
      let cur = before.split('\n').slice(0, -1);
      for (const [s, r] of pairs) {
        const hits: number[] = [];
        for (let i = 0; s.length && i + s.length <= cur.length; i++) if (s.every((l, k) => cur[i + k] === l)) hits.push(i);
        if (hits.length !== 1) return null;
        cur = [...cur.slice(0, hits[0]), ...r, ...cur.slice(hits[0]! + s.length)];
      }
      return cur.map((l) => l + '\n').join('');
    };
    const published = readFileSync(path.join(evalDir, 'apply_baselines.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { set: string; exact_only: { exact: number; wrong: number; refusal_rate: number; variants: Record<string, { ok: number }> } });
    for (const b of published) {
      const cases = loadCases(path.join(evalDir, b.set, 'apply.jsonl'));
      const m = metrics(cases, cases.map((c) => exactOnly(c.before, c.edit)));
      expect([m.exact, m.wrong, m.refusal_rate], b.set).toEqual([b.exact_only.exact, b.exact_only.wrong, b.exact_only.refusal_rate]);
      expect(m.per_variant).toEqual(Object.fromEntries(Object.entries(b.exact_only.variants).map(([k, v]) => [k, v.ok])));
    }
  });
});
