import { describe, expect, it } from 'vitest';
import { sidesOfDiff, statusLabel } from './ops-view';

describe('sidesOfDiff', () => {
  it('numbers each shown line as the file does, with no number on the gap between hunks', () => {
    const diff = ['--- a/f.js', '+++ b/f.js', '@@ -40,3 +40,3 @@', ' a', '-b', '+B', ' c', '@@ -90,2 +90,3 @@', ' x', '+y', ' z', ''].join('\n');
    const s = sidesOfDiff(diff);
    expect(s.original).toBe('a\nb\nc\n⋯\nx\nz');
    expect(s.originalLineNumbers).toEqual([40, 41, 42, null, 90, 91]);
    expect(s.modified).toBe('a\nB\nc\n⋯\nx\ny\nz');
    expect(s.modifiedLineNumbers).toEqual([40, 41, 42, null, 90, 91, 92]);
  });

  it('numbers a created file from 1', () => {
    expect(sidesOfDiff('@@ -0,0 +1,2 @@\n+a\n+b\n').modifiedLineNumbers).toEqual([1, 2]);
  });
});

describe('statusLabel', () => {
  it('says when a finished operation changed nothing, or was undone', () => {
    expect(statusLabel({ status: 'done', outcome: 'no_changes' })).toBe('no changes');
    expect(statusLabel({ status: 'done', outcome: 'undone' })).toBe('undone');
    expect(statusLabel({ status: 'done', outcome: 'changed' })).toBe('done');
    expect(statusLabel({ status: 'awaiting_review' })).toBe('awaiting review');
  });
});
