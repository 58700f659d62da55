// The Code map panel's readability on a project shaped like express (a little source, many tests and examples, years of
// history): the map shows ranked source by default and says what it leaves out; the folder messages, legend, colour modes,
// focus, tooltips, trend axis and fix markers, domain notes and labels, at 1440x900 and 1024x700.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createRepo, type TestRepo } from '../test/helpers/git-repo';
import { ARTIFACTS, callApi, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

/** A function body long enough to give a file some size and complexity. */
function body(name: string, n: number): string {
  const out = [`export function ${name}(xs: number[]): number {`, '  let t = 0;'];
  for (let i = 0; i < n; i++) out.push(`  if (xs[${i}] > ${i}) t += xs[${i}] * ${i + 1};`);
  out.push('  return t;', '}', '');
  return out.join('\n');
}

/** Tests, examples and docs outweigh the source, as in express; the source has two long-named folders and a root file. */
function createProjectRepo(): TestRepo {
  const repo = createRepo();
  const at = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-15T10:00:00Z`;
  repo.write('package.json', '{ "name": "shop", "private": true }\n');
  repo.write('index.ts', ["import { charge } from './src/payment_processing/charge';", "import { email } from './src/notification_delivery/email';", 'export { charge, email };', ''].join('\n'));
  repo.write('src/payment_processing/charge.ts', ["import { refund } from './refund';", body('charge', 12), 'export const undo = refund;', ''].join('\n'));
  repo.write('src/payment_processing/refund.ts', body('refund', 8));
  repo.write('src/notification_delivery/email.ts', ["import { sms } from './sms';", body('email', 10), 'export const fallback = sms;', ''].join('\n'));
  repo.write('src/notification_delivery/sms.ts', body('sms', 6));
  repo.write('src/legacy.ts', body('legacy', 4));
  for (const t of ['charge', 'refund', 'email', 'sms', 'legacy']) repo.write(`test/${t}.test.ts`, body(`test_${t}`, 60));
  repo.write('test/acceptance/flow.test.ts', body('flow', 40));
  repo.write('examples/demo/app.ts', body('demo', 30));
  repo.write('examples/cli.ts', body('cli', 20));
  repo.write('docs/snippet.ts', body('snippet', 5));
  repo.commit('first version', { date: at(2012, 1) });
  // Twelve years of a file's life: a change every other month, a run of fixes in consecutive months, a few more fixes.
  const fixes = new Set(['2013-3', '2013-4', '2013-5', '2013-6', '2016-2', '2019-8', '2023-12']);
  for (let y = 2012; y <= 2024; y++)
    for (let m = 1; m <= 12; m++) {
      const fix = fixes.has(`${y}-${m}`);
      if (!fix && m % 2 === 1) continue;
      if (y === 2024 && m > 3) break;
      repo.write('src/legacy.ts', body('legacy', 4 + ((y * 12 + m) % 9)));
      repo.commit(fix ? `fix: legacy rounding ${y}-${m}` : `legacy: tweak ${y}-${m}`, { date: at(y, m) });
    }
  repo.write('src/payment_processing/charge.ts', ["import { refund } from './refund';", body('charge', 14), 'export const undo = refund;', ''].join('\n'));
  repo.write('test/charge.test.ts', body('test_charge', 62));
  repo.commit('fix: charge the right amount', { date: at(2024, 3) });
  return repo;
}

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
async function boxes(l: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (const e of await l.all()) {
    const b = await e.boundingBox();
    if (b) out.push(b);
  }
  return out;
}
function noneOverlap(bs: Box[], what: string): void {
  for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) expect(overlaps(bs[i]!, bs[j]!), `${what} ${i} and ${j} overlap: ${JSON.stringify([bs[i], bs[j]])}`).toBe(false);
}
function inside(b: Box, box: Box, what: string): void {
  expect(b.x, `${what} starts left of its box`).toBeGreaterThanOrEqual(box.x - 0.5);
  expect(b.x + b.width, `${what} ends right of its box`).toBeLessThanOrEqual(box.x + box.width + 0.5);
  expect(b.y, `${what} starts above its box`).toBeGreaterThanOrEqual(box.y - 0.5);
  expect(b.y + b.height, `${what} ends below its box`).toBeLessThanOrEqual(box.y + box.height + 0.5);
}

describe.skipIf(!!reason)(`code map readability in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let page: Page & { problems: string[] };

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `codemap-ux-${name}.png`) });
  const panel = () => page.getByTestId('codemap-panel');
  const cells = () => panel().getByTestId('treemap-cell');
  const cell = (p: string) => panel().locator(`[data-testid="treemap-cell"][data-path="${p}"]`);
  const zoom = () => panel().getByTestId('treemap').getAttribute('data-zoom');
  const view = (name: string) => panel().getByRole('radio', { name, exact: true }).click();
  const roles = () => cells().evaluateAll((els) => [...new Set(els.filter((e) => e.getAttribute('data-kind') === 'file').map((e) => e.getAttribute('data-role')))].sort());
  const focusedPath = () =>
    page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-path') ?? null);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    repo = createProjectRepo();
    home = tempDir('mira-e2e-codemap-ux-home-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    browser = await launchBrowser({ width: 1440, height: 900 });
    page = await browser.page();
    await page.goto(served.url);
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('separator', { name: 'Resize the bottom panel' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowUp');
    await showPanel(page, 'codemap');
    await panel().getByTestId('codemap-not-indexed').getByRole('button', { name: 'Index the project' }).click();
    await cells().first().waitFor({ timeout: 90_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows the ranked source files by default, says what it leaves out and why, and a switch adds them in grey', async () => {
    await cell('src/legacy.ts').waitFor();
    expect(await roles()).toEqual(['source']);
    expect(await cell('test').count()).toBe(0);
    expect(await cell('examples').count()).toBe(0);
    const note = await panel().getByTestId('treemap-coverage').innerText();
    expect(note).toMatch(/^6 ranked source files; 9 left out \(6 tests, 2 examples and 1 docs file\): hotspots rank source files only\.$/);
    await shot('map-default');

    await panel().getByTestId('treemap-show-all').check();
    await cell('test').waitFor();
    expect(await roles()).toEqual(expect.arrayContaining(['source', 'test', 'example']));
    expect(await cell('docs').count()).toBe(1);
    expect(await cell('test').getAttribute('data-score')).toBe('');
    expect(await panel().getByTestId('treemap-coverage').innerText()).toMatch(/^All 15 code files; 9 in grey are not ranked/);
    await panel().getByTestId('treemap-show-all').uncheck();
    await waitFor(() => cell('test').count(), (n) => n === 0, 'the tests to go again');
  });

  it('tooltips speak plainly: churn of a ranked file, why a test is not ranked', async () => {
    const t = await cell('src/legacy.ts').getAttribute('title');
    expect(t).toMatch(/\nChurn: \d+ commits? in the last year\n/);
    expect(t).not.toMatch(/not known|loaded hotspots/);
    await panel().getByTestId('treemap-show-all').check();
    await cell('test').click({ position: { x: 8, y: 6 } });
    await waitFor(zoom, (z) => z === 'test', 'the zoom into test');
    expect(await cell('test/charge.test.ts').getAttribute('title')).toMatch(/^test\/charge\.test\.ts\nNot ranked: it is a test, and hotspots rank the product's source files only\n/);
  });

  it('a folder of tests says tests are not ranked, not that the history is missing', async () => {
    expect(await zoom()).toBe('test');
    const empty = panel().getByTestId('hotspots-empty');
    await empty.waitFor();
    const text = await empty.innerText();
    expect(text).toMatch(/^No ranked files in test\. All its 6 files are tests: hotspots rank the product's source files only/);
    expect(text).not.toMatch(/first commits|git history/);
    await shot('zoom-test');
  });

  it('after a click into a folder the focus stays in the map, so Backspace zooms out', async () => {
    // Still in test/ from the click before: the clicked folder went away, the focus did not fall to the page.
    await waitFor(focusedPath, (p) => !!p && p.startsWith('test/'), 'the focus on a cell of test/');
    await page.keyboard.press('Backspace');
    await waitFor(zoom, (z) => z === '', 'Backspace to zoom out to the project');
    await panel().getByTestId('treemap-show-all').uncheck();
    // A mouse click on the src/ frame's title strip, then Backspace.
    await cell('src').click({ position: { x: 8, y: 6 } });
    await waitFor(zoom, (z) => z === 'src', 'the zoom into src');
    await waitFor(focusedPath, (p) => !!p && p.startsWith('src/'), 'the focus on a cell of src/');
    await page.keyboard.press('Backspace');
    await waitFor(zoom, (z) => z === '', 'Backspace to zoom out of src');
    // And from the breadcrumb too.
    await cell('src').click({ position: { x: 8, y: 6 } });
    await waitFor(zoom, (z) => z === 'src', 'the zoom into src again');
    await panel().getByTestId('treemap-breadcrumb').getByRole('button', { name: 'Project' }).click();
    await waitFor(zoom, (z) => z === '', 'the breadcrumb to zoom out');
    await waitFor(focusedPath, (p) => p !== null, 'the focus in the map after the breadcrumb');
  });

  it('the legend names every kind of cell and what the colour means; colour by rank is offered', async () => {
    const legend = panel().getByTestId('score-legend');
    expect(await legend.getByTestId('legend-unranked').innerText()).toMatch(/not ranked/);
    expect(await legend.getByTestId('legend-closed-folder').innerText()).toMatch(/folder: click to zoom in/);
    const by = await legend.getAttribute('data-colour-by');
    expect(['absolute', 'rank']).toContain(by);
    const select = panel().getByTestId('treemap-colour-by');
    expect(await select.inputValue()).toBe(by);
    await select.selectOption('rank');
    expect(await legend.getByTestId('legend-scale-title').innerText()).toBe('Rank within the project');
    // The top hotspot takes the top of the scale (#f8c851), whatever its own score.
    const top = await panel().getByTestId('hotspot-list').getByTestId('hotspot-item').first().getAttribute('data-path');
    await waitFor(() => cell(top!).evaluate((e) => (e as unknown as { style: { background: string } }).style.background), (b) => b === 'rgb(248, 200, 81)', 'the top hotspot in the brightest colour');
    await select.selectOption('absolute');
    expect(await legend.getByTestId('legend-scale-title').innerText()).toBe('Chance of a fix within a year');
  });

  it('trend: month labels never overlap, fixes are counted markers that never pile up', async () => {
    await cell('src/legacy.ts').click();
    await view('Trend');
    const chart = panel().getByTestId('trend-churn-chart');
    await waitFor(() => panel().getByTestId('trend-file').inputValue(), (v) => v === 'src/legacy.ts', 'the trend of legacy.ts');
    await chart.locator('[data-testid="trend-month"][data-month="2024-02"]').waitFor({ timeout: 20_000 });
    const check = async (what: string) => {
      const labels = await boxes(chart.getByTestId('trend-month-label'));
      expect(labels.length).toBeGreaterThan(2);
      noneOverlap(labels, `${what}: month labels`);
      // The last month is labelled.
      expect(await chart.getByTestId('trend-month-label').last().textContent()).toBe('2024-02');
      const marks = chart.getByTestId('trend-fix');
      noneOverlap(await boxes(marks.locator('path')), `${what}: fix markers`);
      const counted = await marks.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-fixes')), 0));
      expect(counted).toBe(7);
    };
    await check('1440x900');
    await chart.screenshot({ path: path.join(ARTIFACTS, 'codemap-ux-churn-1440.png') });
    const wide = (await chart.boundingBox())?.width ?? 0;
    await page.setViewportSize({ width: 1024, height: 700 });
    await waitFor(() => chart.boundingBox().then((b) => b?.width ?? 0), (w) => w > 0 && w < wide, 'the chart to narrow');
    await check('1024x700');
    await chart.screenshot({ path: path.join(ARTIFACTS, 'codemap-ux-churn-1024.png') });
  });

  it('at 1024x700 the trend bar keeps its links on one line each and inside the panel', async () => {
    await panel().getByTestId('trend-file').selectOption('src/payment_processing/charge.ts');
    const openLink = panel().getByRole('button', { name: 'Open charge.ts' });
    const useEditor = panel().getByRole('button', { name: 'Use the file in the editor' });
    await useEditor.waitFor();
    const p = (await panel().boundingBox())!;
    for (const [l, what] of [
      [openLink, 'Open charge.ts'],
      [useEditor, 'Use the file in the editor'],
    ] as const) {
      const b = (await l.boundingBox())!;
      inside(b, p, what);
      expect(b.height, `${what} on one line`).toBeLessThan(24);
    }
    await shot('trend-1024');
  });

  it('at 1024x700 the legend stays clear of the hotspot list', async () => {
    await view('Hotspot map');
    await cells().first().waitFor();
    const legend = (await panel().getByTestId('score-legend').boundingBox())!;
    const list = (await panel().getByTestId('hotspot-list').boundingBox())!;
    expect(legend.x + legend.width).toBeLessThanOrEqual(list.x + 0.5);
    const main = (await panel().locator('.codemap-main').boundingBox())!;
    for (const id of ['legend-unranked', 'legend-closed-folder', 'treemap-show-all']) inside((await panel().getByTestId(id).boundingBox())!, main, id);
    await shot('map-1024');
  });

  it('domains: says what is left out, names the root folder, keeps labels inside the view at 1024x700', async () => {
    await view('Domains');
    await panel().getByTestId('domain-node').first().waitFor({ timeout: 20_000 });
    expect(await panel().getByTestId('domain-coverage').innerText()).toMatch(/over the 6 source files; 9 left out \(6 tests, 2 examples and 1 docs file\): domains group source files only/);
    const svg = (await panel().getByTestId('domain-graph').boundingBox())!;
    const labels = await boxes(panel().getByTestId('domain-label'));
    expect(labels.length).toBe(await panel().getByTestId('domain-node').count());
    for (const [i, b] of labels.entries()) inside(b, svg, `domain label ${i}`);
    noneOverlap(labels, 'domain labels');
    await shot('domains-1024');
    // The domain holding index.ts lists the project root as "(root)", not ".".
    const r = await callApi(served, 'codemap/domains', { files: true });
    const withRoot = (r.result as { results: { id: number; files: string[] }[] }).results.find((d) => d.files.includes('index.ts'))!;
    await panel().locator(`[data-testid="domain-node"][data-id="${withRoot.id}"]`).click();
    const folders = await panel().getByTestId('domain-detail').getByText(/^Folders:/).innerText();
    expect(folders).toMatch(/\(root\)/);
    expect(folders).not.toMatch(/(^|, |: )\.($|,)/);
  });

  it('logged no console errors', () => {
    expect(page.problems).toEqual([]);
  });
});
