// The Code map panel in Chromium against `mira serve`: the hotspot treemap (zoom, open), the hotspot list, the domain graph and a file's trend.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { createFixtureRepo } from './fixture';
import { ARTIFACTS, editorText, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const FORMAT_TS = [
  '// Formats amounts for the sales report.',
  'export function money(cents: number): string {',
  "  const sign = cents < 0 ? '-' : '';",
  '  return `${sign}$${(Math.abs(cents) / 100).toFixed(2)}`;',
  '}',
  '',
  'export function percent(part: number, whole: number): string {',
  "  if (whole === 0) return '0%';",
  '  return `${Math.round((part / whole) * 100)}%`;',
  '}',
  '',
].join('\n');

const SUMMARY_TS = [
  '// The sales report: one line per day with its share of the total.',
  "import { add } from '../math';",
  "import { money, percent } from './format';",
  '',
  'export interface Sale {',
  '  day: string;',
  '  cents: number;',
  '}',
  '',
  'export function summary(sales: Sale[]): string[] {',
  '  const total = sales.reduce((s, x) => add(s, x.cents), 0);',
  '  const lines: string[] = [];',
  '  for (const s of sales) {',
  '    if (s.cents <= 0) continue;',
  '    lines.push(`${s.day}: ${money(s.cents)} (${percent(s.cents, total)})`);',
  '  }',
  '  return lines;',
  '}',
  '',
].join('\n');

/** The panels' fixture plus a report folder (a second domain, linked to the first by an import) with a fix a month later. */
function createCodemapRepo(): TestRepo {
  const repo = createFixtureRepo();
  repo.write('src/report/format.ts', FORMAT_TS);
  repo.write('src/report/summary.ts', SUMMARY_TS);
  repo.commit('report: daily sales summary', { author: 'Alice Example', email: 'alice@example.com', date: '2024-02-10T10:00:00Z' });
  repo.write('src/report/summary.ts', SUMMARY_TS.replace('s.cents <= 0', 's.cents < 0'));
  repo.commit('fix: the report skipped days without sales', { author: 'Bob Example', email: 'bob@example.com', date: '2024-03-05T10:00:00Z' });
  return repo;
}

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

describe.skipIf(!!reason)(`code map panel in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let page: Page & { problems: string[] };

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `codemap-${name}.png`) });
  const panel = () => page.getByTestId('codemap-panel');
  const cell = (p: string) => panel().locator(`[data-testid="treemap-cell"][data-path="${p}"]`);
  const breadcrumb = () => panel().getByTestId('treemap-breadcrumb').innerText();
  const view = (name: string) => panel().getByRole('radio', { name, exact: true }).click();
  const area = async (p: string) => {
    const b = await cell(p).boundingBox();
    return b ? b.width * b.height : 0;
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createCodemapRepo();
    home = tempDir('mira-e2e-codemap-home-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    browser = await launchBrowser({ width: 1400, height: 900 });
    page = await browser.page();
    await page.goto(served.url);
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    // A taller bottom panel for the pictures, with the splitter's keyboard control.
    await page.getByRole('separator', { name: 'Resize the bottom panel' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowUp');
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('before the first index says so, and indexes from the panel', async () => {
    await showPanel(page, 'codemap');
    const note = panel().getByTestId('codemap-not-indexed');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/not indexed yet/);
    await shot('not-indexed');
    await note.getByRole('button', { name: 'Index the project' }).click();
    await cell('src/cart.ts').waitFor({ timeout: 60_000 });
  });

  it('hotspot map: file rects sized by code and coloured by score, with a legend and tooltips', async () => {
    // The root holds only src/, so the map starts inside it.
    await waitFor(breadcrumb, (t) => /Project\s*›?\s*src$/.test(t.trim()), 'the breadcrumb to show src');
    expect(await panel().getByTestId('score-legend').innerText()).toMatch(/Chance of a fix within a year[\s\S]*not ranked/);
    const files = ['src/cart.ts', 'src/checkout.ts', 'src/a.ts', 'src/math.ts', 'src/report/summary.ts', 'src/report/format.ts'];
    for (const f of files) {
      const c = cell(f);
      expect(await c.getAttribute('data-kind')).toBe('file');
      const score = Number(await c.getAttribute('data-score'));
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
      expect(await c.getAttribute('title')).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}\\nHotspot score \\d+% chance of a fix within a year, rank #\\d+ of 6 \\((top|bottom) \\d+%\\)\\nChurn: `));
    }
    // The report folder is a frame with its two files inside.
    expect(await cell('src/report').getAttribute('data-kind')).toBe('folder');
    // Area follows code lines: cart.ts (18 lines) is bigger than a.ts (4 lines), in about that ratio.
    const ratio = (await area('src/cart.ts')) / (await area('src/a.ts'));
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6);
    // The hottest file is the brightest: the recently fixed report summary.
    const scores = await Promise.all(files.map(async (f) => [f, Number(await cell(f).getAttribute('data-score'))] as const));
    expect(scores.sort((a, b) => b[1] - a[1])[0]![0]).toBe('src/report/summary.ts');
    // Tooltip churn comes with the map itself.
    expect(await cell('src/cart.ts').getAttribute('title')).toMatch(/Churn: 3 commits in the last year/);
    await shot('map');
  });

  it('hotspot list: ranked files with their reasons', async () => {
    const list = panel().getByTestId('hotspot-list');
    const first = list.getByTestId('hotspot-item').first();
    await first.waitFor();
    expect(await first.getAttribute('data-path')).toBe('src/report/summary.ts');
    expect(await list.getByRole('list', { name: 'Why src/report/summary.ts is a hotspot' }).innerText()).toMatch(/bug fix/);
    expect(await list.getByTestId('hotspot-item').count()).toBe(6);
  });

  it('clicking a folder zooms in, the breadcrumb zooms out, the keyboard does both', async () => {
    // The frame's title strip (its middle is covered by the files inside).
    await cell('src/report').click({ position: { x: 8, y: 6 } });
    await waitFor(breadcrumb, (t) => /src\s*›?\s*report$/.test(t.trim()), 'the breadcrumb to show src › report');
    expect(await panel().getByTestId('treemap').getAttribute('data-zoom')).toBe('src/report');
    await cell('src/report/summary.ts').waitFor();
    expect(await cell('src/cart.ts').count()).toBe(0);
    // The hotspot list follows the zoom.
    await waitFor(() => panel().getByTestId('hotspot-list').getByTestId('hotspot-item').count(), (n) => n === 2, 'the list to show the folder’s two files');
    expect(await panel().locator('#hotspots-h').textContent()).toMatch(/in src\/report/);
    await shot('zoomed');
    // Back out with the breadcrumb.
    await panel().getByTestId('treemap-breadcrumb').getByRole('button', { name: 'src' }).click();
    await cell('src/cart.ts').waitFor();
    // Keyboard: Enter on the focused folder zooms in, Backspace zooms out.
    await cell('src/report').focus();
    await page.keyboard.press('Enter');
    await waitFor(() => panel().getByTestId('treemap').getAttribute('data-zoom'), (z) => z === 'src/report', 'Enter to zoom in');
    // The focus stays in the map, on the first cell of the folder; the arrows move it.
    const focusedPath = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-path') ?? null);
    await waitFor(focusedPath, (p) => p === 'src/report/summary.ts', 'the focus on the first cell');
    await page.keyboard.press('ArrowRight');
    expect(await focusedPath()).toBe('src/report/format.ts');
    await page.keyboard.press('Backspace');
    await waitFor(() => panel().getByTestId('treemap').getAttribute('data-zoom'), (z) => z === 'src', 'Backspace to zoom out');
  });

  it('clicking a file opens it in the editor', async () => {
    await cell('src/cart.ts').click();
    const tab = page.locator('[role="tab"][data-tab="src/cart.ts"]');
    await waitFor(() => tab.getAttribute('aria-selected').catch(() => null), (v) => v === 'true', 'the cart.ts editor tab to be active');
    await waitFor(() => editorText(page), (t) => t.includes('export function cartTotal(items: LineItem[]): number {'), 'cart.ts in the editor');
  });

  it('trend: the file in the editor by default, then one picked from the hotspot list', async () => {
    await view('Trend');
    const churn = panel().getByTestId('trend-churn-chart');
    await churn.waitFor({ timeout: 20_000 });
    expect(await panel().getByTestId('trend-file').inputValue()).toBe('src/cart.ts');
    // cart.ts: three commits in January 2024, one of them a fix.
    const jan = churn.locator('[data-testid="trend-month"][data-month="2024-01"]');
    expect(await jan.getAttribute('data-commits')).toBe('3');
    expect(await jan.getAttribute('data-fixes')).toBe('1');
    expect(await panel().getByTestId('trend-complexity-chart').locator('[data-testid="trend-point"]').count()).toBe(3);

    await view('Hotspot map');
    await panel().getByRole('button', { name: 'Show the trend of src/report/summary.ts' }).click();
    await waitFor(() => panel().getByTestId('trend-file').inputValue(), (v) => v === 'src/report/summary.ts', 'the trend of summary.ts');
    await waitFor(() => panel().getByTestId('trend-churn-chart').locator('[data-testid="trend-month"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-month'))), (m) => m.join() === '2024-02,2024-03', 'two months of churn');
    const march = panel().locator('[data-testid="trend-month"][data-month="2024-03"]');
    expect(await march.getAttribute('data-fixes')).toBe('1');
    expect(await panel().locator('[data-testid="trend-fix"][data-from="2024-03"]').getAttribute('data-fixes')).toBe('1');
    const points = panel().getByTestId('trend-complexity-chart').locator('[data-testid="trend-point"]');
    expect(await points.count()).toBe(2);
    expect(await points.last().locator('title').textContent()).toMatch(/^2024-03-05 [0-9a-f]{8}: complexity \d+ .*a fix$/);
    await shot('trend');
    // The same data as tables, for screen readers.
    await panel().getByRole('button', { name: 'Show as tables' }).click();
    expect(await panel().getByRole('table', { name: 'Churn per month' }).innerText()).toMatch(/2024-03\s+1\s+1\s+1\s+1/);
    await panel().getByRole('button', { name: 'Show charts' }).click();
  });

  it('domain graph: domains as nodes with a link; choosing one lists its files, which open', async () => {
    await view('Domains');
    const nodes = panel().getByTestId('domain-node');
    await nodes.first().waitFor({ timeout: 20_000 });
    expect(await nodes.count()).toBeGreaterThanOrEqual(1);
    const names = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toContain('report');
    await shot('domains');
    // Keyboard and pointer both choose a domain.
    const report = panel().locator('[data-testid="domain-node"][data-name="report"]');
    await report.focus();
    await page.keyboard.press('Enter');
    expect(await report.getAttribute('aria-pressed')).toBe('true');
    const detail = panel().getByTestId('domain-detail');
    await detail.waitFor();
    const files = await detail.getByTestId('domain-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(files).toEqual(expect.arrayContaining(['src/report/format.ts', 'src/report/summary.ts']));
    await detail.getByRole('button', { name: 'src/report/format.ts' }).click();
    await waitFor(() => editorText(page), (t) => t.includes('export function money(cents: number): string {'), 'format.ts in the editor');
    await shot('domain-files');
    // Clicking the chosen node again lets it go.
    await report.click();
    await waitFor(() => detail.count(), (n) => n === 0, 'the details to close');
  });

  it('a new index run reloads every view, keeping the zoom and the trend’s file', async () => {
    await view('Hotspot map');
    await cell('src/report').click({ position: { x: 8, y: 6 } });
    await waitFor(() => panel().getByTestId('treemap').getAttribute('data-zoom'), (z) => z === 'src/report', 'the zoom into report');
    // A new file in the folder, committed, then indexed from the status bar.
    repo.write('src/report/totals.ts', ['// Totals per day for the report.', "import { add } from '../math';", '', 'export function dayTotal(cents: number[]): number {', '  return cents.reduce(add, 0);', '}', ''].join('\n'));
    repo.commit('report: totals per day', { author: 'Alice Example', email: 'alice@example.com', date: '2024-03-20T10:00:00Z' });
    await page.locator('.status-bar').getByRole('button', { name: 'Index', exact: true }).click();
    // The map reloads inside the same folder, now with the new file, and so does its hotspot list.
    await cell('src/report/totals.ts').waitFor({ timeout: 60_000 });
    expect(await panel().getByTestId('treemap').getAttribute('data-zoom')).toBe('src/report');
    await waitFor(() => panel().getByTestId('hotspot-list').getByTestId('hotspot-item').count(), (n) => n === 3, 'the hotspot list after the re-index');
    await view('Trend');
    await panel().getByTestId('trend-churn-chart').waitFor();
    expect(await panel().getByTestId('trend-file').inputValue()).toBe('src/report/summary.ts');
    await view('Domains');
    await panel().getByTestId('domain-node').first().waitFor();
  });

  it('logged no console errors', () => {
    expect(page.problems).toEqual([]);
  });
});
