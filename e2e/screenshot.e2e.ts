// Opt-in (MIRA_SCREENSHOT=1): takes resources/screenshot.png for the README, with this repository open read-only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorText, launchBrowser, ROOT, skipReason, startServe, tempDir, terminalText, waitFor, type Browser, type Served } from './harness';

const wanted = process.env.MIRA_SCREENSHOT === '1';
const reason = !wanted ? 'set MIRA_SCREENSHOT=1 to refresh resources/screenshot.png' : skipReason();
const project = path.resolve(process.env.MIRA_SCREENSHOT_PROJECT || ROOT);
const target = path.join(ROOT, 'resources/screenshot.png');

describe.skipIf(!!reason)(`README screenshot${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let home: string;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    home = tempDir('mira-shot-home-');
    served = await startServe({ home, project });
    browser = await launchBrowser({ width: 1280, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows a real project: tree, an open file, the terminal and a finished index', async () => {
    const page = await browser.page();
    await page.goto(served.url);
    for (const dir of ['src', 'src/main']) {
      const item = page.locator(`[role="treeitem"][data-path="${dir}"]`);
      await item.click();
      await waitFor(() => item.getAttribute('aria-expanded'), (v) => v === 'true', `${dir} to expand`);
    }
    await page.locator('[role="treeitem"][data-path="src/main/app.ts"]').click();
    await waitFor(() => editorText(page), (t) => t.includes('createMira'), 'app.ts in the editor');

    await page.getByRole('button', { name: 'Index', exact: true }).click();
    await waitFor(() => page.getByTestId('index-status').innerText(), (t) => /^Indexed \d+ files/m.test(t), 'the index run to finish', 110_000);

    await page.getByTestId('terminal').click();
    await page.keyboard.type('git log --oneline -6\n');
    await waitFor(() => terminalText(page), (t) => /^[0-9a-f]{7,} /m.test(t), 'git log output');
    // Leave the focus in the editor (cursor visible), not in the terminal.
    await page.locator('[role="treeitem"][data-path="src/main/app.ts"]').press('Enter');
    await page.waitForTimeout(300);

    await page.screenshot({ path: target });
    const size = fs.statSync(target).size;
    expect(size, `${target} is ${size} bytes`).toBeLessThan(300 * 1024);
    expect(page.problems, page.problems.join('\n')).toEqual([]);
  });
});
