// Changes made outside Mira (another editor, git checkout, rm) reach the page: the tree follows, a clean tab reloads, a
// dirty tab is told at once (Compare / Keep mine / Reload), a deleted file's tab says so, and saving it says "deleted".
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../test/helpers/git-repo';
import { ARTIFACTS, editorText, launchBrowser, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

const lines = (name: string, n = 6) => Array.from({ length: n }, (_, i) => `export const ${name}${i + 1} = ${i + 1};`).join('\n') + '\n';

describe.skipIf(!!reason)(`changes on disk in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let page: Page & { problems: string[] };
  const disk = (rel: string) => path.join(repo.root, rel);
  const read = (rel: string) => fs.readFileSync(disk(rel), 'utf8');
  const item = (rel: string) => page.locator(`[role="treeitem"][data-path="${rel}"]`);

  async function openFile(rel: string, marker: string): Promise<void> {
    await item(rel).click();
    await waitFor(() => editorText(page), (t) => t.includes(marker), `Monaco to show ${rel}`);
  }
  async function typeAtEnd(text: string): Promise<void> {
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(text);
    await page.locator('.tab.active.dirty').waitFor();
  }

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createRepo();
    for (const n of ['clean', 'dirty', 'gone', 'lost']) repo.write(`src/${n}.ts`, lines(n));
    repo.commit('initial commit');
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('src/branch-only.ts', 'export const onlyOnTheBranch = true;\n');
    repo.write('lib/branch-dir.ts', 'export const inANewFolder = true;\n');
    repo.commit('branch files');
    repo.git('checkout', '-q', 'main');
    home = tempDir('mira-e2e-home-');
    served = await startServe({ home, project: repo.root });
    browser = await launchBrowser();
    page = await browser.page();
    await page.goto(served.url);
    await page.getByRole('tree').waitFor({ timeout: 30_000 });
    await item('src').click();
    await item('src/clean.ts').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('the tree follows a git checkout and files added or removed outside', async () => {
    repo.git('checkout', '-q', 'other');
    await item('src/branch-only.ts').waitFor({ timeout: 15_000 });
    await item('lib').waitFor({ timeout: 15_000 });
    repo.git('checkout', '-q', 'main');
    await item('src/branch-only.ts').waitFor({ state: 'detached', timeout: 15_000 });
    await item('lib').waitFor({ state: 'detached', timeout: 15_000 });
    fs.writeFileSync(disk('NOTES.md'), '# notes from another editor\n');
    await item('NOTES.md').waitFor({ timeout: 15_000 });
    fs.rmSync(disk('NOTES.md'));
    await item('NOTES.md').waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('a clean tab reloads silently, keeping the cursor', async () => {
    await openFile('src/clean.ts', 'clean6');
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.getByText('Ln 3, Col 1').waitFor();
    fs.writeFileSync(disk('src/clean.ts'), read('src/clean.ts').replace('clean6 = 6', 'clean6 = 600; // from another editor'));
    await waitFor(() => editorText(page), (t) => t.includes('// from another editor'), 'the clean tab to reload');
    expect(await page.getByTestId('conflict-banner').count()).toBe(0);
    expect(await page.locator('.tab.active.dirty').count()).toBe(0);
    expect(await page.getByText('Ln 3, Col 1').count()).toBe(1);
  });

  it('a dirty tab shows the banner at once; Compare, Keep mine and Reload work, and a save never drops the outside change', async () => {
    await openFile('src/dirty.ts', 'dirty6');
    await typeAtEnd('// mine\n');
    fs.writeFileSync(disk('src/dirty.ts'), lines('dirty') + '// theirs 1\n');
    const banner = page.getByTestId('conflict-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.innerText()).toMatch(/src\/dirty\.ts changed on disk/);
    for (const name of [/^compare$/i, /^keep mine$/i, /^reload$/i]) expect(await banner.getByRole('button', { name }).count()).toBe(1);

    // Saving now is refused (their change would be lost); overwriting is offered only after Compare.
    await page.keyboard.press('Control+S');
    await waitFor(() => banner.innerText(), (t) => /save was not written/i.test(t), 'the refused save');
    expect(read('src/dirty.ts')).toContain('// theirs 1');
    expect(await banner.getByRole('button', { name: /^keep mine$/i }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'disk-conflict.png') });

    await banner.getByRole('button', { name: /^compare$/i }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Monaco renders spaces as no-break spaces.
    await waitFor(async () => (await dialog.getByTestId('diff-editor').innerText()).replace(/\u00a0/g, ' '), (t) => t.includes('// theirs 1') && t.includes('// mine'), 'the diff of disk and mine');
    await page.screenshot({ path: path.join(ARTIFACTS, 'disk-compare.png') });
    await dialog.getByRole('button', { name: /keep mine/i }).click();
    await waitFor(() => read('src/dirty.ts'), (t) => t.includes('// mine') && !t.includes('// theirs 1'), 'Keep mine to write my version');
    await dialog.waitFor({ state: 'detached' });
    await banner.waitFor({ state: 'detached' });

    // Keep mine from the banner itself, right after the change is announced.
    await typeAtEnd('// mine 2\n');
    fs.writeFileSync(disk('src/dirty.ts'), lines('dirty') + '// theirs 2\n');
    await banner.waitFor({ timeout: 15_000 });
    await banner.getByRole('button', { name: /^keep mine$/i }).click();
    await waitFor(() => read('src/dirty.ts'), (t) => t.includes('// mine 2') && !t.includes('// theirs 2'), 'Keep mine from the banner');
    await banner.waitFor({ state: 'detached' });

    // Reload discards mine and shows theirs.
    await typeAtEnd('// mine 3\n');
    fs.writeFileSync(disk('src/dirty.ts'), lines('dirty') + '// theirs 3\n');
    await banner.waitFor({ timeout: 15_000 });
    await banner.getByRole('button', { name: /^reload$/i }).click();
    await waitFor(() => editorText(page), (t) => t.includes('// theirs 3') && !t.includes('// mine 3'), 'Reload to show the disk');
    await banner.waitFor({ state: 'detached' });
    expect(await page.locator('.tab.active.dirty').count()).toBe(0);
  });

  it('a deletion shows in the tree and the tab; Save again recreates the file', async () => {
    await openFile('src/gone.ts', 'gone6');
    fs.rmSync(disk('src/gone.ts'));
    await item('src/gone.ts').waitFor({ state: 'detached', timeout: 15_000 });
    const banner = page.getByTestId('deleted-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.innerText()).toMatch(/src\/gone\.ts was deleted on disk/);
    await page.locator('.tab.active.deleted').waitFor();
    expect(await editorText(page)).toContain('gone6');
    await banner.getByRole('button', { name: /save again/i }).click();
    await waitFor(() => fs.existsSync(disk('src/gone.ts')), (v) => v, 'the file to be recreated');
    expect(read('src/gone.ts')).toBe(lines('gone'));
    await banner.waitFor({ state: 'detached' });
    await item('src/gone.ts').waitFor({ timeout: 15_000 });
  });

  it('saving a file deleted on disk says it was deleted, not changed; Close closes it', async () => {
    await openFile('src/lost.ts', 'lost6');
    await typeAtEnd('// unsaved\n');
    fs.rmSync(disk('src/lost.ts'));
    const banner = page.getByTestId('deleted-banner');
    await banner.waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+S');
    await waitFor(() => banner.innerText(), (t) => /src\/lost\.ts was deleted on disk\. Your save was not written/.test(t), 'the refused save');
    expect(await banner.innerText()).not.toMatch(/changed on disk/);
    expect(await page.getByTestId('conflict-banner').count()).toBe(0);
    expect(fs.existsSync(disk('src/lost.ts'))).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'disk-deleted.png') });
    expect(await banner.getByRole('button', { name: /save again \(recreate\)/i }).count()).toBe(1);
    await banner.getByRole('button', { name: /^close$/i }).click();
    await page.getByRole('tab', { name: /lost\.ts/ }).waitFor({ state: 'detached' });
    expect(fs.existsSync(disk('src/lost.ts'))).toBe(false);
    expect(page.problems).toEqual([]);
  });
});
