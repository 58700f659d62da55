import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRepo, removeTempDirs, tempDir } from './helpers/git-repo';

describe('temporary folders of tests', () => {
  it('are removed, repositories included, so runs do not fill /tmp', () => {
    const home = tempDir('mira-home-');
    fs.writeFileSync(path.join(home, 'mira.db'), 'x');
    const repo = createRepo();
    repo.write('a.ts', 'export const a = 1;\n');
    repo.commit('a');
    expect(removeTempDirs()).toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(home)).toBe(false);
    expect(fs.existsSync(repo.root)).toBe(false);
    expect(removeTempDirs()).toBe(0);
  });
});
