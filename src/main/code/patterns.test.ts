// Design-pattern detection on a labelled fixture set (TS, Python, Java, Go, Rust) with look-alike negatives:
// precision ≥ 0.9 and recall ≥ 0.8.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { tempDir } from '../../../test/helpers/git-repo';
import { codeIndexOf } from './stages';

const DIR = path.resolve(import.meta.dirname, '../../../test/fixtures/code/patterns');
let mira: Mira | null = null;
afterAll(async () => {
  if (mira) {
    await codeIndexOf(mira.project()).close();
    mira.close();
  }
});

describe('design patterns', () => {
  it('finds the labelled patterns and not their look-alikes', async () => {
    const labels = JSON.parse(fs.readFileSync(path.join(DIR, 'labels.json'), 'utf8')) as { positives: [string, string][]; negatives: string[] };
    mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: DIR });
    await mira.index({ git: false });
    const { results } = await mira.client().call('code/patterns', {});
    const detected = results.map((r) => {
      const anchor = r.symbols.find((s) => s.role === 'anchor')!;
      return `${r.pattern} @ ${anchor.path}:${anchor.name}`;
    });
    const expected = new Set(labels.positives.map(([p, a]) => `${p} @ ${a}`));
    const tp = detected.filter((d) => expected.has(d));
    const precision = detected.length ? tp.length / detected.length : 0;
    const recall = new Set(tp).size / expected.size;
    const negativesHit = detected.filter((d) => labels.negatives.some((n) => d.endsWith(`@ ${n}`)));
    console.log(JSON.stringify({ precision: +precision.toFixed(3), recall: +recall.toFixed(3), detected: detected.length, labelled: expected.size, false_positives: detected.filter((d) => !expected.has(d)), missed: [...expected].filter((e) => !detected.includes(e)), negatives_hit: negativesHit }));
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    for (const r of results) {
      expect(r.evidence.length).toBeGreaterThan(0);
      expect(r.confidence).toBeGreaterThan(0);
    }
  });
});
