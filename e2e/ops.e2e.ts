// The Operations panel end to end: a scripted model (a local OpenAI-compatible server) proposes an edit with propose_edit; it is reviewed as a diff, accepted, applied to disk and undone. Without an LLM, Start is disabled with a hint and listing still works.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer, type RecordedRequest, type WireMessage } from '../test/helpers/openai-server';
import { createFixtureRepo, MATH_TS } from './fixture';
import { ARTIFACTS, callApi, hasMethod, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

const TASK = 'Make multiply in src/math.ts use a plain product';
const PLAN = 'Replace the addition loop in multiply with a single multiplication.';
const EDIT = ['<<<<<<< SEARCH', '  let total = 0;', '  for (let i = 0; i < b; i++) total = add(total, a);', '  return total;', '=======', '  return a * b;', '>>>>>>> REPLACE'].join('\n');

function offersProposeEdit(req: RecordedRequest): boolean {
  const tools = (req.body?.tools ?? []) as { function?: { name?: string } }[];
  return tools.some((t) => t.function?.name === 'propose_edit');
}

function hasToolAnswer(req: RecordedRequest): boolean {
  return ((req.body?.messages ?? []) as WireMessage[]).some((m) => m.role === 'tool');
}

async function openPanel(served: Served, browser: Browser): Promise<Page & { problems: string[] }> {
  const page = await browser.page();
  await page.goto(served.url);
  await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
  return page;
}

describe.skipIf(!!reason)(`operations in Chromium against a scripted model${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;
  let llm: OpenAiServer;
  let page: Page & { problems: string[] };
  let wired = false;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    llm = await startOpenAiServer({
      apiKey: 'sk-test',
      // The operation's first turn: a plan and a propose_edit call; once the tool answered, the model is done. Anything else (memory upkeep) gets a plain reply.
      responder: (req) => {
        if (!offersProposeEdit(req)) return { content: '{}' };
        if (!hasToolAnswer(req)) return { content: PLAN, toolCalls: [{ id: 'call_1', name: 'propose_edit', arguments: { path: 'src/math.ts', edit: EDIT, format: 'search-replace' } }] };
        return { content: 'Done: multiply now returns a * b.' };
      },
    });
    repo = createFixtureRepo();
    home = tempDir('mira-e2e-ops-home-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.url } });
    wired = await hasMethod(served, 'ops/list');
    if (!wired) console.warn('ops e2e: this server has no ops/* methods; only the "not available" state is checked');
    browser = await launchBrowser({ width: 1400, height: 1000 });
    page = await openPanel(served, browser);
    await page.getByRole('button', { name: 'Index', exact: true }).click();
    await waitFor(() => page.getByTestId('index-status').innerText(), (t) => /Indexed \d+ files/.test(t), 'the index run', 60_000);
    await showPanel(page, 'ops');
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await llm?.close();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists no operations at first', async () => {
    if (!wired) {
      await page.getByTestId('unavailable').waitFor({ timeout: 15_000 });
      return;
    }
    await page.getByTestId('ops-empty').waitFor({ timeout: 15_000 });
  });

  it('starts an operation, shows its plan, steps and the proposed diff, accepts, applies and undoes it', async () => {
    if (!wired) return;
    await page.getByRole('textbox', { name: 'Task' }).fill(TASK);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const detail = page.getByTestId('ops-detail');
    await detail.waitFor({ timeout: 15_000 });
    // It stops for review with the artifact listed; the steps came in live.
    await waitFor(() => detail.getAttribute('data-status'), (s) => s === 'awaiting_review', 'the operation to wait for review', 60_000);
    await page.locator('[data-testid="ops-step"][data-name="propose_edit"]').waitFor({ timeout: 15_000 });
    await detail.getByRole('region', { name: 'Plan' }).getByText(PLAN).waitFor({ timeout: 15_000 });
    const item = page.getByTestId('ops-item').first();
    expect(await item.getAttribute('data-status')).toBe('awaiting_review');
    const art = page.locator('[data-testid="ops-artifact"][data-path="src/math.ts"]');
    await art.waitFor();
    await art.getByTestId('diff-editor').locator('.modified .view-lines').getByText('return a * b;').waitFor({ timeout: 15_000 });
    // Nothing is written before Apply.
    expect(fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8')).toBe(MATH_TS);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ops-review.png') });

    // Accept the file (keyboard: focus the button and press Enter).
    await art.getByTestId('ops-accept-file').focus();
    await page.keyboard.press('Enter');
    await waitFor(() => art.getAttribute('data-status'), (s) => s === 'accepted', 'the artifact to be accepted');

    await detail.getByTestId('ops-apply').click();
    await waitFor(() => detail.getAttribute('data-status'), (s) => s === 'done', 'the operation to be applied', 60_000);
    await waitFor(() => fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8'), (t) => t.includes('  return a * b;\n'), 'the edit on disk');
    expect(fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8')).not.toContain('total = add(total, a)');
    await waitFor(() => art.getAttribute('data-status'), (s) => s === 'applied', 'the artifact to be applied');

    await detail.getByTestId('ops-undo').click();
    await detail.getByTestId('ops-undone').getByText(/src\/math\.ts/).waitFor({ timeout: 15_000 });
    expect(fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8')).toBe(MATH_TS);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ops.png') });
    expect(page.problems, page.problems.join('\n')).toEqual([]);
  });

  it('keeps the operation in the list after a reload', async () => {
    if (!wired) return;
    await page.reload();
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    await showPanel(page, 'ops');
    const item = page.getByRole('listbox', { name: 'Operations' }).getByTestId('ops-item').first();
    await item.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain(TASK);
    // Keyboard: the list is one tab stop; Enter opens the operation.
    await item.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('ops-detail').getByText(TASK).waitFor();
  });
});

describe.skipIf(!!reason)(`operations without an LLM${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let repo: TestRepo;
  let home: string;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    repo = createFixtureRepo();
    home = tempDir('mira-e2e-ops-nollm-home-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists operations, and says up front that starting one needs a model', async () => {
    if (!(await hasMethod(served, 'ops/list'))) return;
    const page = await openPanel(served, browser);
    await showPanel(page, 'ops');
    await page.getByTestId('ops-empty').waitFor({ timeout: 15_000 });
    await page.getByRole('textbox', { name: 'Task' }).fill(TASK);
    // As in Chat: Start is disabled with a hint pointing at Settings, rather than failing with a server error.
    expect(await page.getByTestId('ops-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('ops-no-llm').innerText()).toMatch(/language model/i);
    await page.getByRole('textbox', { name: 'Task' }).press('Control+Enter');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('ops-start-error').count()).toBe(0);
    // The server still refuses it on its own, with the hint, for any other client.
    const refused = await callApi(served, 'ops/start', { task: TASK });
    expect(refused.error?.code).toBe('llm_not_configured');
    // Nothing was stored; the list still answers.
    await page.getByRole('button', { name: 'Refresh operations' }).click();
    await page.getByTestId('ops-empty').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'ops-no-llm.png') });
  });
});
