// The Tools dashboard's counts, Reject and new-file diffs; the Documents panel (add, search, open, remove); quick open
// keeping keys typed right after Ctrl+P; and the project picker's wording for a missing folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createRepo, type TestRepo } from '../test/helpers/git-repo';
import { buildHistory } from '../test/fixtures/tools/history';
import { callApi, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

describe.skipIf(!!reason)('tools, documents, quick open and the picker in the browser', () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let page: Page & { problems: string[] };

  beforeAll(async () => {
    repo = createRepo();
    buildHistory(repo);
    repo.write('docs/notes.md', '# Notes\n\nNothing here.\n');
    repo.write('src/zeta-notes.txt', 'zeta\n');
    repo.write('docs/refunds.md', '# Refund policy\n\nRefunds are issued within fourteen days of a returned parcel.\n');
    repo.commit('docs', { date: '2024-02-01T10:00:00Z' });
    home = tempDir('mira-e2e-tools-docs-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    const detected = await callApi(served, 'tools/detect', {});
    if (detected.error) throw new Error(`tools/detect failed: ${detected.error.message}`);
    browser = await launchBrowser({ width: 1440, height: 900 });
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

  it('quick open keeps the keys typed right after Ctrl+P and opens their best match', async () => {
    await page.locator('body').click({ position: { x: 700, y: 400 } });
    // no waiting between the shortcut, the keys and Enter: the dialog and the file list are not there yet
    await page.keyboard.press('Control+P');
    await page.keyboard.type('zeta-notes');
    await page.keyboard.press('Enter');
    await page.locator('[role="tab"][data-tab="src/zeta-notes.txt"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[role="tab"][data-tab="docs/notes.md"]').count()).toBe(0);
  });

  it('the tools dashboard says what each number is, shows a new file as added lines only, and counts an applied run', async () => {
    await showPanel(page, 'tools');
    const panel = page.locator('#panel-tools');
    await panel.getByRole('option', { name: /new-sample/ }).click();
    const detail = panel.locator('[aria-label="Tool new-sample"]');
    await expect.poll(() => detail.getByTestId('tool-history-counts').innerText()).toMatch(/seen in 4 commits; learned from the newest 4 examples; proved on 4 past commits/);
    expect(await detail.innerText()).not.toMatch(/Learned from/);
    expect(await detail.getByTestId('tool-runs').innerText()).toMatch(/^0 runs, 0 applied, 0 rejected/);

    await detail.getByLabel(/^name/).fill('delta');
    await detail.getByRole('button', { name: 'Preview changes' }).click();
    const dialog = page.getByRole('dialog', { name: /Changes the tool would make/ });
    await dialog.waitFor();
    await dialog.getByRole('tab', { name: 'samples/delta/input.txt (new)' }).click();
    const host = dialog.getByTestId('diff-editor');
    await expect.poll(() => host.getAttribute('data-diff-kind')).toBe('added');
    await waitFor(() => host.locator('.view-line').count(), (n) => n > 0, 'the new file to show');
    expect(await dialog.getByTestId('diff-side-note').innerText()).toMatch(/New file: samples\/delta\/input.txt/);
    // no left pane and no removed line against a file that did not exist
    expect(await dialog.locator('.monaco-diff-editor, .line-delete, .char-delete').count()).toBe(0);
    expect(await host.locator('.one-side-added').count()).toBeGreaterThan(0);
    await dialog.getByRole('tab', { name: 'samples/index.md' }).click();
    await expect.poll(() => dialog.getByTestId('diff-editor').getAttribute('data-diff-kind')).toBe('modified');

    expect(await dialog.getByRole('button', { name: 'Cancel' }).getAttribute('title')).toMatch(/without deciding/);
    await dialog.getByTestId('diff-apply').click();
    await dialog.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    await expect.poll(() => detail.getByTestId('tool-runs').innerText()).toMatch(/^1 run, 1 applied, 0 rejected/);
    await expect.poll(() => panel.getByRole('option', { name: /new-sample/ }).innerText()).toMatch(/1 run · 1 applied/);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  });

  it('Reject records the decision against the tool; Cancel records nothing', async () => {
    const panel = page.locator('#panel-tools');
    const detail = panel.locator('[aria-label="Tool new-sample"]');
    // Cancel: closes without deciding
    await detail.getByLabel(/^name/).fill('golf');
    await detail.getByRole('button', { name: 'Preview changes' }).click();
    let dialog = page.getByRole('dialog', { name: /Changes the tool would make/ });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Reject: recorded
    await detail.getByLabel(/^name/).fill('foxtrot');
    await detail.getByRole('button', { name: 'Preview changes' }).click();
    dialog = page.getByRole('dialog', { name: /Changes the tool would make/ });
    await dialog.waitFor();
    await dialog.getByTestId('diff-reject').click();
    await dialog.getByRole('status').filter({ hasText: /Rejected/ }).waitFor();
    await expect.poll(() => detail.getByTestId('tool-runs').innerText()).toMatch(/^3 runs, 1 applied, 1 rejected/);
    const h = (await callApi(served, 'tools/history', { tool: 'new-sample' })).result as { executions: { params: Record<string, string>; status: string }[] };
    const byName = new Map(h.executions.map((e) => [e.params.name, e.status]));
    expect(byName.get('foxtrot')).toBe('rejected');
    expect(byName.get('golf')).toBe('proposed');
    expect(byName.get('delta')).toBe('applied');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('the Documents panel adds a project file and pasted text, searches passages, opens and removes a document', async () => {
    await showPanel(page, 'docs');
    const panel = page.locator('#panel-docs');
    // The panel renders its note once the documents have loaded.
    await waitFor(() => panel.innerText(), (t) => /context/.test(t), 'the Documents panel to say documents are context');
    await panel.getByLabel('Document path').fill('docs/refunds.md');
    await panel.getByRole('button', { name: 'Add document' }).click();
    const table = panel.getByRole('table', { name: 'Documents' });
    await table.getByText('Refund policy').waitFor();
    expect(await table.innerText()).toMatch(/markdown, \d+ B, 1 passage/);

    await panel.getByLabel('Pasted text').check();
    await panel.getByLabel('Document title').fill('Shipping notes');
    await panel.getByLabel('Document text').fill('Parcels ship from the Leeds warehouse every weekday.');
    await panel.getByRole('button', { name: 'Add document' }).click();
    await table.getByText('Shipping notes').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);

    await panel.getByRole('searchbox', { name: 'Search documents' }).fill('warehouse');
    await panel.getByRole('searchbox', { name: 'Search documents' }).press('Enter');
    const hits = panel.getByRole('list', { name: 'Matching passages' });
    await hits.waitFor();
    expect(await hits.innerText()).toMatch(/Leeds warehouse/);
    expect(await hits.innerText()).not.toMatch(/Refund/);

    // a project document opens in the editor; pasted text has nothing to open
    await panel.getByRole('button', { name: 'Open docs/refunds.md' }).click();
    await page.locator('[role="tab"][data-tab="docs/refunds.md"]').waitFor();
    expect(await table.locator('tbody tr', { hasText: 'Shipping notes' }).getByRole('button', { name: /^Open/ }).count()).toBe(0);

    await panel.getByRole('button', { name: 'Remove Shipping notes' }).click();
    await panel.getByRole('button', { name: 'Confirm: remove Shipping notes' }).click();
    await waitFor(() => table.locator('tbody tr').count(), (n) => n === 1, 'the removed document to go');
    const list = (await callApi(served, 'docs/list', {})).result as { results: { title: string }[] };
    expect(list.results.map((d) => d.title)).toEqual(['Refund policy']);
  });

  it('the project picker names its own choices, not --project, for a missing folder', async () => {
    await showPanel(page, 'files');
    await page.getByRole('button', { name: 'Open another folder' }).click();
    await page.locator('#project-path').fill(path.join(repo.root, 'no-such-folder'));
    await page.locator('#project-path').press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: /does not exist/ });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).not.toMatch(/--project/);
    expect(text).toMatch(/check the path, or choose a recent project/);
  });
});
