// The browser face end to end: token gate, file tree, Monaco open/edit/save (and the on-disk conflict), terminal output.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WsClient from 'ws';
import { createRepo, type TestRepo } from '../test/helpers/git-repo';
import { ARTIFACTS, editorText, launchBrowser, skipReason, startServe, tempDir, terminalText, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

describe.skipIf(!!reason)(`mira serve in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;

  const HELLO = ['// A greeting used by the e2e test.', 'export function hello(name: string): string {', '  return `hello ${name}`;', '}', ''].join('\n');

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createRepo();
    repo.write('README.md', '# Fixture\n\nA tiny project for the Mira e2e test.\n');
    repo.write('src/hello.ts', HELLO);
    repo.write('src/util/math.py', 'def add(a, b):\n    return a + b\n');
    repo.write('.gitignore', 'build.log\n');
    repo.commit('initial commit');
    // Ignored by .gitignore: the server must keep it out of the tree.
    repo.write('build.log', 'noise\n');
    home = tempDir('mira-e2e-home-');
    served = await startServe({ home, project: repo.root });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses the API without the token and says so', async () => {
    // The server side: an upgrade with no token, or a wrong one, is refused with 401.
    for (const q of ['', '?token=wrong']) {
      const status = await new Promise<number | string>((resolve) => {
        const ws = new WsClient(`${served.origin.replace('http', 'ws')}/api${q}`, { headers: { origin: served.origin } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', (e) => resolve(e.message));
      });
      expect(status).toBe(401);
    }

    // The page side: no token in the URL means no API and a clear message; a wrong token the same.
    for (const suffix of ['/', '/?token=wrong-token']) {
      const page = await browser.page();
      await page.goto(served.origin + suffix);
      const box = page.getByTestId('connection-error');
      await box.waitFor({ timeout: 15_000 });
      expect(await box.innerText()).toMatch(/missing or wrong access token/i);
      // Nothing of the workbench rendered: no tree, no editor.
      expect(await page.locator('[role="tree"]').count()).toBe(0);
      const probe = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          }),
        `${served.origin.replace('http', 'ws')}/api`,
      );
      expect(probe).toBe('refused');
      await page.screenshot({ path: path.join(ARTIFACTS, suffix === '/' ? 'no-token.png' : 'wrong-token.png') });
      await page.close();
    }
  });

  it('shows the tree, opens, edits and saves a file, flags a conflict, runs a terminal command, indexes, and reports a lost server', async () => {
    const page = await browser.page();
    await page.goto(served.url);

    // The tree: root entries from fs/list, the ignored file left out.
    const tree = page.getByRole('tree');
    await tree.waitFor({ timeout: 30_000 });
    await page.locator('[role="treeitem"][data-path="README.md"]').waitFor();
    expect(await page.locator('[role="treeitem"][data-path="build.log"]').count()).toBe(0);
    expect(await page.locator('[role="treeitem"][data-path=".gitignore"]').count()).toBe(1);

    // Keyboard navigation: focus the first item ("src"), expand it with ArrowRight, move down into it.
    const src = page.locator('[role="treeitem"][data-path="src"]');
    await src.focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(() => src.getAttribute('aria-expanded'), (v) => v === 'true', 'src to expand');
    const helloItem = page.locator('[role="treeitem"][data-path="src/hello.ts"]');
    await helloItem.waitFor();
    await page.locator('[role="treeitem"][data-path="src/util"]').waitFor();

    // Open the file with the mouse; Monaco shows its content.
    await helloItem.click();
    await waitFor(() => editorText(page), (t) => t.includes('export function hello(name: string): string {'), 'Monaco to show src/hello.ts');
    expect(await page.getByRole('tab', { name: /hello\.ts/ }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('editor').locator('.mtk1, [class*="mtk"]').count()).toBeGreaterThan(0);

    // Edit at the end and save with Ctrl+S: the file on disk has the edit.
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('// edited in the e2e test\n');
    await page.locator('.tab.active.dirty').waitFor();
    await page.keyboard.press('Control+S');
    const onDisk = () => fs.readFileSync(path.join(repo.root, 'src/hello.ts'), 'utf8');
    await waitFor(onDisk, (t) => t.includes('// edited in the e2e test'), 'the save to reach the disk');
    expect(onDisk().startsWith(HELLO)).toBe(true);
    await page.locator('.tab.active:not(.dirty)').waitFor();

    // Someone else changes the file under unsaved edits; our save is refused with a conflict, and "Reload" brings their
    // text in. (Edit first: a clean tab would follow the disk silently.)
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('// second edit\n');
    await page.locator('.tab.active.dirty').waitFor();
    fs.writeFileSync(path.join(repo.root, 'src/hello.ts'), HELLO + '// changed behind the editor\n');
    await page.keyboard.press('Control+S');
    const banner = page.getByTestId('conflict-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.innerText()).toMatch(/changed on disk/i);
    expect(onDisk()).not.toContain('// second edit');
    await page.screenshot({ path: path.join(ARTIFACTS, 'conflict.png') });
    await banner.getByRole('button', { name: /reload/i }).click();
    await waitFor(() => editorText(page), (t) => t.includes('// changed behind the editor') && !t.includes('// second edit'), 'the reload from disk');
    expect(await banner.count()).toBe(0);

    // The terminal runs in the project root; the shell expands $RANDOM, so the output line proves it ran.
    const term = page.getByTestId('terminal');
    await term.locator('.xterm-rows').waitFor({ timeout: 20_000 });
    await waitFor(() => terminalText(page), (t) => t.trim().length > 0, 'a shell prompt');
    await term.click();
    await page.keyboard.type('echo mira-e2e-$RANDOM && pwd\n');
    const screen = await waitFor(() => terminalText(page), (t) => /^mira-e2e-\d+$/m.test(t), 'the echo output in the terminal');
    expect(screen).toContain(repo.root);

    // Shortcuts: Ctrl+` hides the terminal area, Ctrl+B the sidebar; both come back.
    await page.keyboard.press('Control+`');
    await waitFor(() => page.locator('.bottom').isHidden(), (v) => v, 'the bottom panel to hide');
    await page.keyboard.press('Control+`');
    await waitFor(() => page.locator('.bottom').isVisible(), (v) => v, 'the bottom panel to show');
    await page.keyboard.press('Control+B');
    await waitFor(() => tree.count(), (n) => n === 0, 'the sidebar to hide');
    await page.keyboard.press('Control+B');
    await tree.waitFor();

    // Quick open finds a nested file by a fuzzy name.
    await page.keyboard.press('Control+P');
    const dialog = page.getByRole('dialog', { name: 'Quick open' });
    await dialog.waitFor();
    await page.keyboard.type('mathpy');
    await dialog.getByRole('option', { name: /src\/util\/math\.py/ }).waitFor();
    await page.keyboard.press('Enter');
    await waitFor(() => editorText(page), (t) => t.includes('def add(a, b):'), 'quick open to show math.py');

    // Index from the keyboard; the status bar reports the server's result.
    await page.keyboard.press('Control+Alt+I');
    const status = page.getByTestId('index-status');
    await waitFor(() => status.innerText(), (t) => /Indexed \d+ files in/.test(t), 'the index run to finish', 60_000);
    expect(await status.innerText()).toMatch(/Indexed [1-9]\d* files/);

    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench.png') });
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('opens another folder from the picker: a bad path is explained, a good one replaces the tree', async () => {
    const other = createRepo();
    other.write('other.md', '# Another project\n');
    other.commit('other');
    try {
      const page = await browser.page();
      await page.goto(served.url);
      await page.locator('[role="treeitem"][data-path="README.md"]').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Open another folder' }).click();
      const picker = page.getByRole('main', { name: 'Open a project' });
      await picker.waitFor();
      // The fixture is listed among the recent projects (from project/recent).
      await picker.getByRole('list', { name: 'Recent projects' }).getByText(repo.root, { exact: true }).waitFor();

      const field = picker.getByLabel(/Folder on the machine/);
      await field.fill(path.join(other.root, 'does-not-exist'));
      await field.press('Enter');
      await picker.getByRole('alert').filter({ hasText: /does not exist/ }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'picker.png') });

      await field.fill(other.root);
      await field.press('Enter');
      await page.locator('[role="treeitem"][data-path="other.md"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('[role="treeitem"][data-path="README.md"]').count()).toBe(0);
      expect(await picker.count()).toBe(0);
      // The new project's terminal starts in its own root.
      await waitFor(() => terminalText(page), (t) => t.includes(path.basename(other.root)), 'a shell prompt in the other project');
      expect(page.problems, page.problems.join('\n')).toEqual([]);

      // The server goes away: the page says so instead of failing silently.
      await served.stop();
      await page.getByRole('alert').filter({ hasText: /connection to the Mira server was lost/i }).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'disconnected.png') });
      await page.close();
    } finally {
      other.cleanup();
    }
  });
});
