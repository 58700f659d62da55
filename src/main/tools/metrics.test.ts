// The metrics port agrees with toolsynth_baseline.py's definitions; names are spelled per place.
import { describe, expect, it } from 'vitest';
import { lineBag, pySplitLines, scoreFiles } from './metrics';
import { caseStyle, fillPath, NameMatcher, spellings, templatePath } from './names';

describe('metrics (toolsynth_baseline.py)', () => {
  it('splits and strips lines like Python', () => {
    expect(pySplitLines('a\nb\r\nc\rd\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(pySplitLines('a\n\n')).toEqual(['a', '']);
    expect([...lineBag('  x \n\n\tx\ny')]).toEqual([['x', 2], ['y', 1]]);
  });

  it('scores created_exact, path F1 over created and modified, line F1 pooled over created files', () => {
    const s = scoreFiles(
      [
        { path: 'a/x.ts', action: 'create', content: 'one\ntwo\nthree\n' },
        { path: 'index.ts', action: 'modify', content: 'whatever' },
        { path: 'extra.ts', action: 'create', content: 'one\n' },
      ],
      [{ path: 'a/x.ts', content: 'one\ntwo\nfour\n' }],
      ['index.ts', 'docs.md'],
    );
    expect(s.created_exact).toBe(0);
    expect(s.path_f1).toBeCloseTo((2 * 2) / (3 + 3));
    expect(s.line_f1).toBeCloseTo(2 / 3);
    expect(scoreFiles([], [{ path: 'e.txt', content: '' }], []).line_f1).toBe(0);
    expect(scoreFiles([{ path: 'e.txt', action: 'create', content: '' }], [{ path: 'e.txt', content: '' }], []).line_f1).toBe(1);
  });
});

describe('name spellings', () => {
  it('fills templates in every case form', () => {
    expect(spellings('DatePicker')).toMatchObject({ kebab: 'date-picker', snake: 'date_picker', camel: 'datePicker', pascal: 'DatePicker', upper: 'DATE_PICKER', title: 'Date Picker' });
    expect(spellings('pt-BR')).toMatchObject({ raw: 'pt-BR', camel: 'ptBr', joined: 'ptBR' });
    expect(fillPath('src/{name:kebab}/{name}.tsx', 'UserCard')).toBe('src/user-card/UserCard.tsx');
  });

  it('templates paths as toolsynth_build.py does: new folders and file stems', () => {
    expect(templatePath('samples/foo-bar/input.txt', 'foo-bar', new Set(['samples/foo-bar']))).toBe('samples/{name}/input.txt');
    expect(templatePath('samples/foo-bar/input.txt', 'foo-bar', new Set())).toBe('samples/foo-bar/input.txt');
    expect(templatePath('src/foo-bar/FooBar.tsx', 'FooBar', new Set(['src/foo-bar']))).toBe('src/{name:kebab}/{name}.tsx');
    expect(templatePath('tests/x.test.ts', 'x', new Set())).toBe('tests/{name}.test.ts');
  });

  it('cuts the name out of code in any of its forms, not inside longer words', () => {
    const m = new NameMatcher('user-card');
    const t = m.cut("export { UserCard } from './user-card/UserCard'; // usercards");
    expect(t.parts).toEqual(['export { ', " } from './", '/', "'; // usercards"]);
    expect(t.slots.map((s) => s[0])).toEqual(['pascal', 'raw', 'pascal']);
    expect(new NameMatcher('msgpack', { anyCase: true }).cut('render.MsgPack{}').slots).toEqual([['pascal']]);
    expect(caseStyle(['date-picker', 'nav-bar'])).toBe('kebab-case');
    expect(caseStyle(['DatePicker', 'NavBar'])).toBe('PascalCase');
  });
});
