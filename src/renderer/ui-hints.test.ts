import { describe, expect, it } from 'vitest';
import { uiHint } from './ui-hints';

describe('uiHint', () => {
  it('turns command-line hints into the window actions that do the same', () => {
    expect(uiHint('raise it with `mira budget set --daily N` (or MIRA_DAILY_LIMIT_USD), or wait until tomorrow')).toBe(
      'raise the daily limit in the Budget panel, or wait until tomorrow',
    );
    expect(uiHint('raise it with `mira budget set --daily N` (or MIRA_DAILY_LIMIT_USD), or wait until tomorrow; then resume it with mira ops resume 4')).toBe(
      'raise the daily limit in the Budget panel, or wait until tomorrow; then press Resume',
    );
    expect(uiHint('the earlier changes stay applied: undo them with mira undo 3, or fix by hand')).toBe('the earlier changes stay applied: undo them with Undo, or fix by hand');
    expect(uiHint('give it more with mira ops resume 7 --max-steps 16')).toBe('press Resume to give it more model turns');
    for (const h of ['mira budget set --daily N', 'mira ops resume 4', 'mira undo 3']) expect(uiHint(`x ${h} y`)).not.toMatch(/mira /);
  });

  it('names the project picker, not --project, for a missing folder', () => {
    expect(uiHint('check the path, or pass --project PATH')).toBe('check the path, or choose a recent project');
    expect(uiHint('open a folder first (mira --project PATH, or File > Open Folder)')).not.toMatch(/--project/);
  });

  it('leaves other hints alone', () => {
    expect(uiHint('check OPENAI_BASE_URL')).toBe('check OPENAI_BASE_URL');
    expect(uiHint(undefined)).toBeUndefined();
  });
});
