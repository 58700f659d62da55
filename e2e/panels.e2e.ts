// Every capability panel in the browser against `mira serve` on a real fixture repository: one scenario per panel, in one page (Monaco loads once).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRepo } from '../test/helpers/git-repo';
import { createFixtureRepo, FAILING_BUILD } from './fixture';
import { ARTIFACTS, editorText, hasMethod, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';
import type { Page } from 'playwright-core';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

describe.skipIf(!!reason)(`capability panels in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let page: Page & { problems: string[] };

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `panel-${name}.png`) });
  const statusText = () => page.locator('.status-bar').innerText();

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createFixtureRepo();
    home = tempDir('mira-e2e-panels-home-');
    // No key in the environment: this server has no LLM (the settings scenario checks that state).
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    browser = await launchBrowser();
    page = await browser.page();
    await page.goto(served.url);
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('activity: shows the index run live, from progress to finished', async () => {
    await showPanel(page, 'activity');
    await page.getByRole('button', { name: 'Index', exact: true }).click();
    // This window's own entry (runs from before it opened are listed too, marked as past).
    const entry = page.locator('[data-testid="activity-entry"][data-group="index"]:not([data-past])');
    await waitFor(() => entry.first().innerText(), (t) => /Index run finished/.test(t), 'the index entry to finish', 60_000);
    await waitFor(() => page.getByTestId('index-status').innerText(), (t) => /Indexed \d+ files/.test(t), 'the status bar to report the index');
    // Filtering to builds hides it; back to all shows it.
    await page.getByRole('radio', { name: 'Builds' }).click();
    expect(await entry.count()).toBe(0);
    await page.getByRole('radio', { name: 'All', exact: true }).click();
    expect(await entry.count()).toBe(1);
    await shot('activity');
  });

  it('search: ranked results, and Enter on one opens the file at its line', async () => {
    // Ctrl+Shift+F shows the panel with the focus in its field.
    await page.locator('[role="treeitem"][data-path="README.md"]').click();
    await page.keyboard.press('Control+Shift+F');
    const input = page.getByTestId('search-input');
    await waitFor(() => input.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement), (v) => v, 'the search field to take the focus');
    await input.fill('cart total');
    const first = page.getByTestId('search-result').first();
    await first.waitFor({ timeout: 15_000 });
    expect(await first.getAttribute('data-path')).toBe('src/cart.ts');
    expect(await first.getAttribute('data-line')).toBe('14');
    // Keyboard: from the field down into the list, Enter opens.
    await input.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitFor(() => editorText(page), (t) => t.includes('export function cartTotal(items: LineItem[]): number {'), 'cart.ts in the editor');
    await waitFor(statusText, (t) => /Ln 14, Col 1/.test(t), 'the cursor on line 14');
    // A language filter that matches nothing here says so instead of showing stale results.
    await page.getByLabel('Language').selectOption('python');
    await page.getByTestId('search-empty').waitFor();
    await page.getByLabel('Language').selectOption('');
    await first.waitFor();
    await shot('search');
  });

  it('locate: lists the files a task touches, with the reasons', async () => {
    await page.getByRole('radio', { name: 'Locate files' }).click();
    const input = page.getByTestId('search-input');
    await input.fill('how is the cart total computed');
    await input.press('Enter');
    const cart = page.locator('[data-testid="locate-result"][data-path="src/cart.ts"]');
    await cart.waitFor({ timeout: 20_000 });
    const reasons = await cart.getByRole('list', { name: 'Why src/cart.ts' }).innerText();
    expect(reasons).toMatch(/text\s+its text matches the task/);
    expect(reasons).toMatch(/history\s+commit [0-9a-f]{8}/);
    await shot('locate');
    await page.getByRole('radio', { name: 'Search code' }).click();
  });

  it('code: the symbol at the cursor with its callers and callees as a tree, and the file’s experts', async () => {
    await showPanel(page, 'code');
    await waitFor(() => page.getByTestId('symbol-name').innerText(), (t) => t === 'cartTotal', 'the Code panel to show cartTotal', 15_000);
    const tree = page.getByRole('tree', { name: 'Call hierarchy' });
    await tree.getByRole('treeitem', { name: /^checkout, src\/checkout\.ts line 10/ }).waitFor();
    await tree.getByRole('treeitem', { name: /^add, src\/math\.ts line 2/ }).waitFor();
    const lineTotal = tree.getByRole('treeitem', { name: /^lineTotal, src\/cart\.ts line 10/ });
    await lineTotal.waitFor();
    // Keyboard: expand lineTotal's own callees with ArrowRight; multiply shows one level down.
    await lineTotal.focus();
    await page.keyboard.press('ArrowRight');
    const multiply = tree.getByRole('treeitem', { name: /^multiply, src\/math\.ts line 6/ });
    await multiply.waitFor();
    expect(await multiply.getAttribute('aria-level')).toBe('3');
    expect(await page.getByTestId('experts').innerText()).toMatch(/Alice Example[\s\S]*Bob Example/);
    // Each says why, and the file's authors are listed with their part of it.
    expect(await page.getByTestId('experts').innerText()).toMatch(/Alice Example\s+\d+ commits? here, last \d{4}-\d{2}-\d{2}/);
    expect(await page.getByTestId('authors').innerText()).toMatch(/Alice Example[\s\S]*% of the lines added/);
    await shot('code');
    // A caller opens at the call site.
    await tree.getByRole('treeitem', { name: /^checkout, / }).click();
    await waitFor(() => editorText(page), (t) => t.includes('export function checkout(items: LineItem[], card: string): number {'), 'checkout.ts in the editor');
    await waitFor(statusText, (t) => /Ln 10, Col 1/.test(t), 'the cursor on the call line');
  });

  it('co-change: suggests a file that changed with the open ones, with the evidence commits', async () => {
    await showPanel(page, 'cochange');
    // For the active file by default, named; then for every open file.
    await waitFor(() => page.getByTestId('cochange-for').innerText(), (t) => t === 'For checkout.ts', 'suggestions for the active file');
    await page.getByRole('radio', { name: 'All open' }).click();
    await waitFor(() => page.getByTestId('cochange-for').innerText(), (t) => /cart\.ts/.test(t) && /checkout\.ts/.test(t), 'suggestions for every open file');
    const a = page.locator('[data-testid="cochange-item"][data-path="src/a.ts"]');
    await a.waitFor({ timeout: 15_000 });
    expect(await a.innerText()).toMatch(/history/);
    await a.click();
    await a.getByRole('list', { name: /Commits that changed src\/a\.ts/ }).getByText('fix: Cannot find name missingThing in src/a.ts').waitFor();
    await shot('cochange');
  });

  it('build: a failure with no recognised errors says so and offers its output; a missing command is an error with a hint', async () => {
    await showPanel(page, 'build');
    const errors = page.locator('.build-errors');
    await page.getByTestId('build-command').fill(`sh -c "echo 'deploy: upstream rejected the bundle'; exit 3"`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor(() => page.getByTestId('build-status').innerText(), (t) => /Failed \(exit 3\).*0 errors/.test(t), 'the run to fail', 30_000);
    const notice = page.getByTestId('build-unrecognised');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/The run failed \(exit 3\), but Mira recognised no errors in its output/);
    expect(await errors.innerText()).not.toMatch(/No open errors|Run the build or the tests to check/);
    // "Show output" gives the panel to the output (and back).
    await notice.getByRole('button', { name: 'Show output' }).click();
    expect(await errors.count()).toBe(0);
    await waitFor(() => page.locator('[data-testid="build-output"] .xterm-rows').innerText(), (t) => t.includes('upstream rejected the bundle'), 'the output');
    await page.getByRole('button', { name: 'Show errors' }).click();
    await errors.waitFor();
    await shot('build-unrecognised');

    // A command that is not installed: exit 127, one error saying so, with what to do.
    await page.getByTestId('build-command').fill('mocha --reporter spec test/');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor(() => page.getByTestId('build-status').innerText(), (t) => /Failed \(exit 127\).*1 error\b/.test(t), 'the missing command', 30_000);
    const missing = page.locator('[data-testid="build-error"]', { hasText: 'mocha: command not found' });
    await missing.waitFor();
    expect(await missing.innerText()).toMatch(/command_not_found[\s\S]*Hint: install dependencies \(npm ci\)/);
    expect(await page.getByTestId('build-unrecognised').count()).toBe(0);
  });

  it('build: runs the command, lists the parsed error, opens it at its line, and finds how it was fixed before', async () => {
    await showPanel(page, 'build');
    await page.getByTestId('build-command').fill(FAILING_BUILD);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor(() => page.getByTestId('build-status').innerText(), (t) => /Failed \(exit 1\)/.test(t), 'the build to fail', 30_000);
    await waitFor(() => page.locator('[data-testid="build-output"] .xterm-rows').innerText(), (t) => t.includes('error TS2304'), 'the build output');
    const err = page.locator('[data-testid="build-error"][data-file="src/a.ts"]');
    await err.waitFor();
    expect(await err.innerText()).toMatch(/TS2304[\s\S]*src\/a\.ts:3:7[\s\S]*Cannot find name missingThing/);
    await err.click();
    await waitFor(() => editorText(page), (t) => t.includes('const y = missingThing;'), 'a.ts in the editor');
    await waitFor(statusText, (t) => /Ln 3, Col 7/.test(t), 'the cursor at the error');
    await err.getByRole('button', { name: 'How was this fixed before?' }).click();
    await page.getByTestId('fix-history').getByText('fix: Cannot find name missingThing in src/a.ts').waitFor();
    // A second failing run makes the same error recurring.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await err.getByTestId('recurring').waitFor({ timeout: 30_000 });
    await shot('build');
  });

  it('budget: zero spend against the limits (or a clear "not available")', async () => {
    await showPanel(page, 'budget');
    if (!(await hasMethod(served, 'llm/budget'))) {
      expect(await page.getByTestId('unavailable').innerText()).toMatch(/The budget is not available[\s\S]*llm\/budget/);
      return;
    }
    await page.getByTestId('budget-today').waitFor();
    expect(await page.getByTestId('budget-today').innerText()).toMatch(/\$0\.00[\s\S]*of \$5\.00/);
    expect(await page.getByTestId('budget-month').innerText()).toMatch(/\$0\.00[\s\S]*of \$150\.00/);
    await page.getByTestId('spend-chart').waitFor();
    await shot('budget');
  });

  it('memory: remember a fact, see it, forget it (or a clear "not available")', async () => {
    await showPanel(page, 'memory');
    if (!(await hasMethod(served, 'memory/list'))) {
      expect(await page.getByTestId('unavailable').innerText()).toMatch(/Memory is not available[\s\S]*memory\/list/);
      return;
    }
    await page.getByTestId('memory-key').fill('preferences.test_framework');
    await page.getByTestId('memory-value').fill('vitest');
    await page.getByRole('button', { name: 'Remember' }).click();
    const row = page.locator('[data-testid="memory-entry"][data-key="preferences.test_framework"]');
    await row.getByText('vitest').waitFor();
    await row.getByRole('button', { name: 'Forget preferences.test_framework' }).click();
    await row.getByRole('button', { name: 'Confirm: forget preferences.test_framework' }).click();
    await waitFor(() => row.count(), (n) => n === 0, 'the fact to be forgotten');
    await shot('memory');
  });

  it('settings: says no language model is configured and how to configure one', async () => {
    await showPanel(page, 'settings');
    const note = page.getByTestId('settings-panel').getByTestId('no-llm');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/No language model is configured/);
    // The chat points to the same state and stays usable for nothing it cannot do.
    await showPanel(page, 'chat');
    await page.getByTestId('chat-panel').getByTestId('no-llm').waitFor();
    expect(await page.getByTestId('chat-input').isDisabled()).toBe(true);
    await shot('settings');
    // Ctrl+Alt+B hides and shows the right sidebar.
    await page.keyboard.press('Control+Alt+B');
    await waitFor(() => page.getByTestId('chat-panel').count(), (n) => n === 0, 'the right sidebar to hide');
    await page.keyboard.press('Control+Alt+B');
    await page.getByTestId('chat-panel').waitFor();
  });

  it('tools: lists the tools, or says there are none, or that the server has no tools API', async () => {
    await showPanel(page, 'tools');
    await waitFor(
      async () => (await page.getByTestId('unavailable').count()) + (await page.getByTestId('tools-empty').count()) + (await page.getByRole('listbox', { name: 'Tools' }).count()),
      (n) => n > 0,
      'the tools panel to settle',
    );
    if (!(await hasMethod(served, 'tools/list'))) expect(await page.getByTestId('unavailable').innerText()).toMatch(/tools\/list/);
    await shot('tools');
    expect(page.problems, page.problems.join('\n')).toEqual([]);
  });

  it('activity: after a reload, what happened before (the index run, the failed build) is still listed', async () => {
    await page.reload();
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    await showPanel(page, 'activity');
    const past = page.locator('[data-testid="activity-entry"][data-past="1"]');
    await waitFor(() => past.allInnerTexts().then((t) => t.join('\n')), (t) => /Index run finished/.test(t) && /Build #\d+ failed \(exit 1\)/.test(t), 'the stored activity after a reload');
    await page.getByRole('radio', { name: 'Builds' }).click();
    expect(await page.locator('[data-testid="activity-entry"][data-group="index"]').count()).toBe(0);
    await page.getByRole('radio', { name: 'All', exact: true }).click();
    await shot('activity-reloaded');
  });
});
