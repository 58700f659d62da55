// Type-ahead: the next name starting with the typed letter, cycling; longer text from the current item on.
import { describe, expect, it } from 'vitest';
import { TypeAhead, typeAheadIndex } from './type-ahead';

const NAMES = ['src', 'scripts', 'README.md', 'package.json', 'Sample.ts', 'readme-old.txt'];

describe('typeAheadIndex', () => {
  it('moves to the next name with the letter, after the current one, wrapping around, ignoring case', () => {
    expect(typeAheadIndex(NAMES, 0, 's')).toBe(1);
    expect(typeAheadIndex(NAMES, 1, 's')).toBe(4);
    expect(typeAheadIndex(NAMES, 4, 'S')).toBe(0);
    expect(typeAheadIndex(NAMES, 0, 'r')).toBe(2);
    expect(typeAheadIndex(NAMES, 2, 'r')).toBe(5);
  });

  it('cycles when the same letter is typed again quickly', () => {
    expect(typeAheadIndex(NAMES, 1, 'ss')).toBe(4);
  });

  it('matches longer text from the current item on', () => {
    expect(typeAheadIndex(NAMES, 0, 'sc')).toBe(1);
    expect(typeAheadIndex(NAMES, 1, 'sc')).toBe(1);
    expect(typeAheadIndex(NAMES, 0, 'readme-')).toBe(5);
    expect(typeAheadIndex(NAMES, 0, 'pac')).toBe(3);
  });

  it('says -1 when nothing matches', () => {
    expect(typeAheadIndex(NAMES, 0, 'x')).toBe(-1);
    expect(typeAheadIndex([], 0, 's')).toBe(-1);
    expect(typeAheadIndex(NAMES, 0, '')).toBe(-1);
  });
});

describe('TypeAhead', () => {
  it('joins quick keys and starts over after a pause', () => {
    const t = new TypeAhead();
    expect(t.push('r', 1000)).toBe('r');
    expect(t.push('e', 1200)).toBe('re');
    expect(t.push('a', 1400)).toBe('rea');
    expect(t.push('p', 3000)).toBe('p');
  });
});
