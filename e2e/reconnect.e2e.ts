// `mira serve` restarted under an open page: the page reconnects by itself with the same token, keeps unsaved edits,
// and saves again; a server with a new token is explained, and the edits survive reopening the page at its new address.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../test/helpers/git-repo';
import { ARTIFACTS, editorText, launchBrowser, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

describe.skipIf(!!reason)(`reconnecting to a restarted mira serve${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served | null = null;
  let browser: Browser;
  const README = '# Fixture\n\nReconnect test.\n';

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createRepo();
    repo.write('README.md', README);
    repo.commit('initial commit');
    home = tempDir('mira-e2e-reconnect-home-');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('reconnects by itself after a restart on the same port and home, keeps the unsaved text, and saves it', async () => {
    served = await startServe({ home, project: repo.root, args: ['--keep-token'] });
    const port = Number(new URL(served.url).port);
    const token = served.token;
    const page = await browser.page();
    await page.goto(served.url);
    await page.locator('[role="treeitem"][data-path="README.md"]').click({ timeout: 30_000 });
    await waitFor(() => editorText(page), (t) => t.includes('Reconnect test.'), 'Monaco to show README.md');
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('UNSAVED TEXT');
    await page.locator('.tab.active.dirty').waitFor();
    // Marks this very document: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const onDisk = () => fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8');

    await served.stop();
    served = null;
    const bar = page.getByTestId('connection-bar');
    await waitFor(() => bar.innerText().catch(() => ''), (t) => /Reconnecting/.test(t), 'the page to say it is reconnecting', 15_000);
    expect(await bar.innerText()).toMatch(/unsaved edits; they stay in the editor/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'reconnecting.png') });

    // Saving while away says why it did not happen, and keeps the edit.
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+S');
    await page.getByRole('alert').filter({ hasText: /Could not save README\.md: Not connected to the Mira server/ }).waitFor({ timeout: 10_000 });
    expect(onDisk()).toBe(README);
    expect(await page.locator('.tab.active.dirty').count()).toBe(1);

    // The same home on the same port: the same token, and the page comes back by itself.
    served = await startServe({ home, project: repo.root, port, args: ['--keep-token'] });
    expect(served.token).toBe(token);
    await waitFor(() => bar.innerText().catch(() => ''), (t) => /Reconnected/.test(t), 'the page to reconnect by itself', 20_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'reconnected.png') });
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await editorText(page)).toContain('UNSAVED TEXT');
    expect(await page.locator('.tab.active.dirty').count()).toBe(1);
    // The stale "not connected" message is gone, and saving works again.
    await waitFor(() => page.getByRole('alert').filter({ hasText: /Not connected/ }).count(), (n) => n === 0, 'the stale save error to clear');
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+S');
    await waitFor(onDisk, (t) => t.includes('UNSAVED TEXT'), 'the save to reach the disk');
    await page.locator('.tab.active:not(.dirty)').waitFor();
    await page.close();
  }, 180_000);

  it('explains a new token, and the unsaved text survives reloading and reopening at the new address', async () => {
    served ??= await startServe({ home, project: repo.root, args: ['--keep-token'] });
    const port = Number(new URL(served.url).port);
    const page = await browser.page();
    page.on('dialog', (d) => void d.accept());
    await page.goto(served.url);
    await page.locator('[role="treeitem"][data-path="README.md"]').click({ timeout: 30_000 });
    await waitFor(() => editorText(page), (t) => t.includes('Reconnect test.'), 'Monaco to show README.md');
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('KEPT ACROSS TOKENS');
    await page.locator('.tab.active.dirty').waitFor();

    await served.stop();
    served = await startServe({ home, project: repo.root, port, args: ['--keep-token', '--new-token'] });
    const bar = page.getByTestId('connection-bar');
    await waitFor(() => bar.innerText().catch(() => ''), (t) => /no longer accepts this page’s access token/.test(t), 'the page to explain the new token', 20_000);
    expect(await bar.innerText()).toMatch(/Open the address `mira serve` printed/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'token-refused.png') });
    expect(await editorText(page)).toContain('KEPT ACROSS TOKENS');

    // Reload keeps the text in the browser first; the old address then has no access, the new one offers it back.
    await bar.getByRole('button', { name: /Reload/ }).click();
    await page.getByTestId('connection-error').waitFor({ timeout: 15_000 });
    await page.goto(served.url);
    const restore = page.getByTestId('restore-bar');
    await restore.waitFor({ timeout: 30_000 });
    expect(await restore.innerText()).toContain('README.md');
    await restore.getByRole('button', { name: 'Restore' }).click();
    await waitFor(() => editorText(page), (t) => t.includes('KEPT ACROSS TOKENS'), 'the kept text back in the editor');
    await page.locator('.tab.active.dirty').waitFor();
    expect(await restore.count()).toBe(0);
    expect(fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8')).not.toContain('KEPT ACROSS TOKENS');
    await page.close();
  }, 180_000);
});
