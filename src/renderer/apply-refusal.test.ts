import { describe, expect, it } from 'vitest';
import { explainRefusal } from './apply-refusal';

describe('explainRefusal', () => {
  it('explains an unplaceable snippet in user words and offers replacing the whole file', () => {
    const t = explainRefusal('suspect_truncated', 'lib/utils.js', 'the edit was taken as a whole file but lacks most of the current file; pass format "whole" to replace the file anyway');
    expect(t.title).toMatch(/could not be placed safely/);
    expect(t.detail).toContain('lib/utils.js');
    expect(t.detail).not.toMatch(/format|whole file/);
    expect(t.choices[0]).toBe('replace-whole');
  });

  it('never offers replacing the whole file for other refusals', () => {
    for (const c of ['no_match', 'ambiguous', 'path_mismatch', 'conflict', 'indent_mismatch'])
      expect(explainRefusal(c, 'a.ts', 'x').choices).not.toContain('replace-whole');
  });
});
