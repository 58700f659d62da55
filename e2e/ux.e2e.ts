// UX defects found by an audit, end to end: quick open under a resting pointer, leaving the terminal with the keyboard,
// the status bar after a watcher re-index, Operations without a model, the layout at 1024x700 and 1440x900, and tree type-ahead.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { createFixtureRepo } from './fixture';
import { ARTIFACTS, editorText, hasMethod, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

type Box = { x: number; y: number; width: number; height: number };

// Page-side globals, named because the Node tsconfig has no DOM lib.
interface PageEl {
  getAttribute(name: string): string | null;
  closest(selector: string): PageEl | null;
  contains(other: PageEl | null): boolean;
  getBBox(): Box;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
}
interface PageDoc {
  activeElement: PageEl | null;
  elementFromPoint(x: number, y: number): PageEl | null;
  querySelector(selector: string): PageEl | null;
}

/** Which element is at a point of the page, described by the closest of these selectors (or its tag). */
async function hitAt(page: Page, x: number, y: number, selectors: string[]): Promise<string | null> {
  return page.evaluate(
    ([px, py, sels]) => {
      const d = (globalThis as unknown as { document: PageDoc }).document;
      const el = d.elementFromPoint(px as number, py as number);
      if (!el) return null;
      for (const s of sels as string[]) if (el.closest(s)) return s;
      return 'other';
    },
    [x, y, selectors] as const,
  );
}

function inside(inner: Box, outer: Box, slack = 1): boolean {
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;
}

describe.skipIf(!!reason)(`UX audit fixes in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;

  const open = async (viewport = { width: 1280, height: 800 }): Promise<Page & { problems: string[] }> => {
    const page = await browser.page();
    await page.setViewportSize(viewport);
    await page.goto(served.url);
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    return page;
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createFixtureRepo();
    // Root names for type-ahead: several starting with "s" and "r".
    repo.write('scripts.sh', 'echo build\n');
    repo.write('setup.cfg', '[metadata]\nname = shop\n');
    repo.write('release-notes.md', '# Releases\n');
    repo.commit('add scripts and notes');
    home = tempDir('mira-e2e-ux-home-');
    // No model: Operations must say so before Start.
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('quick open: a list appearing under a resting pointer keeps the first match; moving the pointer selects', async () => {
    const page = await open();
    const dialog = page.getByRole('dialog', { name: 'Quick open' });
    const options = dialog.getByRole('option');
    // Learn where the third option shows, then rest the pointer there while the dialog is closed.
    await page.keyboard.press('Control+P');
    await waitFor(() => options.count(), (n) => n >= 4, 'the file list');
    const third = (await options.nth(2).boundingBox())!;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.mouse.move(third.x + third.width / 2, third.y + third.height / 2);

    await page.keyboard.press('Control+P');
    await waitFor(() => options.count(), (n) => n >= 4, 'the file list again');
    // Chromium sends hover events to what appears under the pointer; give them time to arrive.
    await page.waitForTimeout(400);
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(await options.nth(2).getAttribute('aria-selected')).toBe('false');
    const firstPath = (await options.nth(0).locator('.path').innerText()).trim();
    const secondPath = (await options.nth(1).locator('.path').innerText()).trim();
    // Enter opens the first match, not the file under the pointer.
    await page.keyboard.press('Enter');
    await waitFor(() => page.locator('.tab.active').getAttribute('data-tab'), (p) => p === firstPath, `${firstPath} to open`);
    // The focus lands in the editor, even when this first file waited for Monaco to load.
    await waitFor(() => page.evaluate(() => !!(globalThis as unknown as { document: PageDoc }).document.activeElement?.closest('[data-testid="editor"]')), (v) => v, 'the focus in the editor');

    // Real movement onto the second option selects it, and Enter then opens that one.
    await page.keyboard.press('Control+P');
    await waitFor(() => options.count(), (n) => n >= 4, 'the file list a third time');
    const second = (await options.nth(1).boundingBox())!;
    await page.mouse.move(second.x + second.width / 2, second.y + second.height / 2, { steps: 5 });
    await waitFor(() => options.nth(1).getAttribute('aria-selected'), (v) => v === 'true', 'the hovered option to be selected');
    await page.keyboard.press('Enter');
    await waitFor(() => page.locator('.tab.active').getAttribute('data-tab'), (p) => p === secondPath, `${secondPath} to open`);
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('terminal: Tab goes to the shell until Ctrl+M makes it move the focus out, as the header says', async () => {
    const page = await open();
    const term = page.getByTestId('terminal');
    await term.locator('.xterm-rows').waitFor({ timeout: 20_000 });
    const toggle = page.getByTestId('terminal-tab-focus');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await toggle.innerText()).toMatch(/Ctrl\+M/);
    const textarea = term.locator('.xterm-helper-textarea');
    expect(await textarea.getAttribute('aria-description')).toMatch(/Ctrl\+M/);
    const focusInTerminal = () => page.evaluate(() => !!(globalThis as unknown as { document: PageDoc }).document.activeElement?.closest('.terminal-host'));

    await term.click();
    await waitFor(focusInTerminal, (v) => v, 'the terminal to take the focus');
    // By default the shell gets Tab (completion), so the focus stays.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusInTerminal()).toBe(true);

    await page.keyboard.press('Control+M');
    await waitFor(() => toggle.getAttribute('aria-pressed'), (v) => v === 'true', 'the mode to turn on');
    expect(await toggle.innerText()).toMatch(/Tab moves focus/);
    expect(await focusInTerminal()).toBe(true);
    await page.keyboard.press('Tab');
    await waitFor(focusInTerminal, (v) => !v, 'Tab to move the focus out of the terminal');
    // Shift+Tab from the terminal goes back before it.
    await term.click();
    await page.keyboard.press('Shift+Tab');
    await waitFor(focusInTerminal, (v) => !v, 'Shift+Tab to move the focus out of the terminal');

    // Ctrl+M again gives Tab back to the shell.
    await term.click();
    await page.keyboard.press('Control+M');
    await waitFor(() => toggle.getAttribute('aria-pressed'), (v) => v === 'false', 'the mode to turn off');
    await page.keyboard.press('Tab');
    expect(await focusInTerminal()).toBe(true);
    await page.locator('.terminal-panel').screenshot({ path: path.join(ARTIFACTS, 'ux-terminal.png') });
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('operations: Start is disabled with no model, and the hint leads to Settings', async () => {
    if (!(await hasMethod(served, 'ops/list'))) return;
    const page = await open();
    await showPanel(page, 'ops');
    const hint = page.getByTestId('ops-no-llm');
    await hint.waitFor({ timeout: 15_000 });
    expect(await hint.innerText()).toMatch(/language model/i);
    await page.getByRole('textbox', { name: 'Task' }).fill('Make multiply use a plain product');
    const start = page.getByTestId('ops-start');
    expect(await start.isDisabled()).toBe(true);
    // Ctrl+Enter does not go around the disabled button.
    await page.getByRole('textbox', { name: 'Task' }).press('Control+Enter');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('ops-start-error').count()).toBe(0);
    await hint.getByRole('button', { name: /Settings/ }).click();
    await page.locator('#panel-settings').waitFor();
    expect(await page.locator('#tab-settings').getAttribute('aria-selected')).toBe('true');
    await page.close();
  });

  it('file tree: typed letters move to the next visible item starting with them', async () => {
    const page = await open();
    const focusedPath = () => page.evaluate(() => (globalThis as unknown as { document: PageDoc }).document.activeElement?.getAttribute('data-path') ?? null);
    const names = await page.locator('[role="treeitem"][aria-level="1"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    const startsWith = (c: string) => names.filter((n): n is string => !!n && n.toLowerCase().startsWith(c));
    const s = startsWith('s');
    expect(s.length).toBeGreaterThanOrEqual(3);

    await page.locator(`[role="treeitem"][data-path="${names[0]}"]`).focus();
    // One letter cycles through the names starting with it, in tree order, wrapping around.
    const seen: (string | null)[] = [];
    for (let i = 0; i < s.length + 1; i++) {
      await page.keyboard.press('s');
      seen.push(await focusedPath());
      await page.waitForTimeout(800);
    }
    // Expected: from the first item, each press the next "s" name after the current one in tree order, wrapping.
    const expected: string[] = [];
    let at = 0;
    for (let i = 0; i < s.length + 1; i++) {
      for (let k = 1; k <= names.length; k++) {
        const j = (at + k) % names.length;
        if (names[j]!.toLowerCase().startsWith('s')) {
          at = j;
          break;
        }
      }
      expected.push(names[at]!);
    }
    expect(seen).toEqual(expected);
    // Quick letters add up: "pa" finds package.json, "rel" release-notes.md (past README.md).
    await page.keyboard.type('pa');
    expect(await focusedPath()).toBe('package.json');
    await page.waitForTimeout(800);
    await page.keyboard.type('rel');
    expect(await focusedPath()).toBe('release-notes.md');
    // Inside an expanded folder too (visible items only): src/ holds cart.ts and checkout.ts.
    await page.locator('[role="treeitem"][data-path="src"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('[role="treeitem"][data-path="src/cart.ts"]').waitFor();
    await page.waitForTimeout(800);
    await page.keyboard.press('c');
    expect(await focusedPath()).toBe('src/cart.ts');
    await page.keyboard.press('c');
    expect(await focusedPath()).toBe('src/checkout.ts');
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('layout: at 1024x700 the editor and its tabs are visible and uncovered, panel tabs stay on one row; at 1440x900 the right sidebar docks', async () => {
    const page = await open({ width: 1024, height: 700 });
    await page.locator('[role="treeitem"][data-path="src"]').click();
    for (const f of ['src/math.ts', 'src/cart.ts', 'src/checkout.ts', 'src/a.ts']) await page.locator(`[role="treeitem"][data-path="${f}"]`).click();
    await waitFor(() => editorText(page), (t) => t.includes('deliberate type error'), 'src/a.ts in the editor');

    const check = async (label: string) => {
      const editor = (await page.getByTestId('editor').boundingBox())!;
      const tab = (await page.locator('.tab.active').boundingBox())!;
      const bar = (await page.locator('.tab-bar').boundingBox())!;
      const viewport = page.viewportSize()!;
      // The active tab lies inside its strip and the window, and nothing else is drawn over it.
      expect(inside(tab, bar), `${label}: active tab ${JSON.stringify(tab)} inside the tab bar ${JSON.stringify(bar)}`).toBe(true);
      expect(tab.x + tab.width).toBeLessThanOrEqual(viewport.width);
      expect(await hitAt(page, tab.x + tab.width / 2, tab.y + tab.height / 2, ['.tab.active', '.right-sidebar'])).toBe('.tab.active');
      // The editor has room and is not covered at its corners or centre.
      expect(editor.width, `${label}: editor width`).toBeGreaterThanOrEqual(600);
      for (const [x, y] of [
        [editor.x + 10, editor.y + 10],
        [editor.x + editor.width - 20, editor.y + 10],
        [editor.x + editor.width / 2, editor.y + editor.height / 2],
        [editor.x + editor.width - 20, editor.y + editor.height - 10],
      ] as const) {
        expect(await hitAt(page, x, y, ['[data-testid="editor"]', '.right-sidebar', '.sidebar']), `${label}: editor at ${x},${y}`).toBe('[data-testid="editor"]');
      }
      // The bottom panel's tabs form one row.
      const tops = await page.locator('.bottom [role="tab"]').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size, `${label}: bottom tab rows ${JSON.stringify(tops)}`).toBe(1);
      return editor;
    };

    await check('1024x700');
    // The right sidebar is closed but one click away, and opens over the editor; Escape closes it.
    expect(await page.locator('.right-sidebar').count()).toBe(0);
    const toggle = page.getByTestId('toggle-right');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ux-1024.png') });
    await toggle.click();
    const overlay = page.getByTestId('right-overlay');
    await overlay.waitFor();
    await page.getByTestId('chat-panel').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'ux-1024-right-open.png') });
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });
    await check('1024x700 after the overlay closed');

    // Wider: the right sidebar docks beside the editor, not over it.
    await page.setViewportSize({ width: 1440, height: 900 });
    const right = page.locator('.right-sidebar');
    await right.waitFor();
    expect(await page.getByTestId('right-overlay').count()).toBe(0);
    const editor = await check('1440x900');
    const rightBox = (await right.boundingBox())!;
    expect(overlaps(editor, rightBox)).toBe(false);
    const sidebar = (await page.locator('aside.sidebar').boundingBox())!;

    // The search filters stay inside the sidebar.
    await showPanel(page, 'search');
    for (const label of ['Language', 'Concept']) {
      const b = (await page.getByLabel(label, { exact: true }).boundingBox())!;
      expect(b.x + b.width, `${label} filter's right edge`).toBeLessThanOrEqual(sidebar.x + sidebar.width);
    }

    // The budget chart: the limit's label inside the chart, and the top tick on the limit line when nothing was spent.
    await showPanel(page, 'budget');
    const chart = page.getByTestId('spend-chart');
    await chart.waitFor({ timeout: 15_000 });
    {
      const geo = await chart.evaluate(() => {
        const d = (globalThis as unknown as { document: PageDoc }).document;
        const label = d.querySelector('[data-testid="spend-limit-label"]');
        const line = d.querySelector('[data-testid="spend-limit-line"]');
        const tick = d.querySelector('[data-testid="spend-top-tick"]');
        // An SVGRect's fields live on its prototype: copy them, or they do not survive the trip out of the page.
        const plain = (b: Box | undefined) => (b ? { x: b.x, y: b.y, width: b.width, height: b.height } : null);
        return { label: plain(label?.getBBox()), lineY: line ? Number(line.getAttribute('y1')) : null, tick: plain(tick?.getBBox()) };
      });
      expect(geo.label && geo.tick && geo.lineY !== null, 'the limit line, its label and the top tick').toBe(true);
      if (geo.label && geo.tick && geo.lineY !== null) {
        expect(geo.label.y).toBeGreaterThanOrEqual(0);
        expect(Math.abs(geo.tick.y + geo.tick.height / 2 - geo.lineY)).toBeLessThanOrEqual(2);
      }
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'ux-1440.png') });
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('status bar: "Last indexed" follows an index run of the file watcher', async () => {
    const page = await open();
    const status = page.getByTestId('index-status');
    const before = await waitFor(() => status.innerText(), (t) => /Not indexed yet|Last indexed/.test(t), 'the index status');
    // Keep clear of the second the page read, so a new time reads differently.
    await page.waitForTimeout(1100);
    fs.appendFileSync(path.join(repo.root, 'src/math.ts'), '// touched by the watcher test\n');
    // The watcher re-indexes the file on its own; the status bar must show it without a reload.
    const after = await waitFor(() => status.innerText(), (t) => /Last indexed/.test(t) && t !== before, 'the status bar to show the new index time', 60_000);
    expect(after).not.toBe(before);
    expect(page.problems, page.problems.join('\n')).toEqual([]);
    await page.close();
  });
});
