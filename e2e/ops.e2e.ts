// The Operations panel end to end: a scripted model (a local OpenAI-compatible server) proposes an edit with propose_edit; it is reviewed as a diff, accepted, applied to disk and undone. Without an LLM, Start is disabled with a hint and listing still works.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { lastUserText, startOpenAiServer, systemText, type OpenAiServer, type RecordedRequest, type WireMessage } from '../test/helpers/openai-server';
import { createFixtureRepo, MATH_TS } from './fixture';
import { ARTIFACTS, callApi, hasMethod, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

const TASK = 'Make multiply in src/math.ts use a plain product';
const PLAN = 'Replace the addition loop in multiply with a single multiplication.';
const EDIT = ['<<<<<<< SEARCH', '  let total = 0;', '  for (let i = 0; i < b; i++) total = add(total, a);', '  return total;', '=======', '  return a * b;', '>>>>>>> REPLACE'].join('\n');

// A task whose edit is refused, after which the model gives up: the operation achieves nothing.
const GIVE_UP_TASK = 'Tidy the import order in src/math.ts';
const BAD_EDIT = ['<<<<<<< SEARCH', 'const nothing = 1;', '=======', 'const nothing = 2;', '>>>>>>> REPLACE'].join('\n');

// A file long enough that a bare snippet is not taken for the whole file, and chat answers with bare snippets of it.
const BIG_TS = [
  '// Price helpers.',
  ...Array.from({ length: 24 }, (_, i) => `export const RATE_${i} = ${i};`),
  '',
  'export function discount(price: number, rate: number): number {',
  '  const off = price * rate;',
  '  return price - off;',
  '}',
  '',
  'export function tax(price: number): number {',
  '  return price * 0.2;',
  '}',
  '',
].join('\n');
// The whole discount function, reformatted: placed over the one declaration it rewrites.
const WHOLE_FN = ['export function discount(price: number, rate: number): number {', '  return price * (1 - rate);', '}'].join('\n');
// Two lines out of the middle of tax: nothing says where they go.
const PARTIAL = ['export const RATE_3 = 30;', 'export const EXTRA = 1;'].join('\n');
const chatAnswer = (code: string) => ['Here is the change for `src/big.ts`:', '', '```ts', code, '```', ''].join('\n');

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
        if (!offersProposeEdit(req)) {
          const q = lastUserText(req.body);
          if (!systemText(req.body).includes('MIRA_MEMORY_EXTRACTION')) {
            if (q.includes('SNIPPET_WHOLE_FN')) return { content: chatAnswer(WHOLE_FN) };
            if (q.includes('SNIPPET_PARTIAL')) return { content: chatAnswer(PARTIAL) };
          }
          return { content: '{}' };
        }
        const asked = JSON.stringify(req.body?.messages ?? []);
        if (asked.includes(GIVE_UP_TASK)) {
          if (!hasToolAnswer(req)) return { toolCalls: [{ id: 'call_x', name: 'propose_edit', arguments: { path: 'src/math.ts', edit: BAD_EDIT, format: 'search-replace' } }] };
          return { content: 'The edit was refused; giving up.' };
        }
        if (!hasToolAnswer(req)) return { content: PLAN, toolCalls: [{ id: 'call_1', name: 'propose_edit', arguments: { path: 'src/math.ts', edit: EDIT, format: 'search-replace' } }] };
        return { content: 'Done: multiply now returns a * b.' };
      },
    });
    repo = createFixtureRepo();
    repo.write('src/big.ts', BIG_TS);
    repo.commit('price helpers');
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
    // With an operation selected, the start form folds into one row: the detail gets the height.
    await page.getByTestId('ops-start-bar').waitFor();
    expect(await page.getByTestId('ops-task').count()).toBe(0);
    // Waiting for review: Apply is the primary action; Undo (nothing applied) is not offered.
    expect(await detail.getByTestId('ops-apply').getAttribute('class')).toContain('primary');
    expect(await detail.getByTestId('ops-undo').count()).toBe(0);
    const art = page.locator('[data-testid="ops-artifact"][data-path="src/math.ts"]');
    await art.waitFor();
    await art.getByTestId('diff-editor').locator('.modified .view-lines').getByText('return a * b;').waitFor({ timeout: 15_000 });
    // The diff's gutter numbers lines as the file does: the hunk (3 lines of context before line 7) starts at line 4, not 1.
    const numbers = (await art.getByTestId('diff-editor').locator('.modified .line-numbers').allInnerTexts()).map((n) => n.trim()).filter(Boolean);
    expect(Math.min(...numbers.map(Number))).toBeGreaterThan(1);
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
    // The hunk says what happened to it, and only the actions that apply are left (Undo, not a dimmed Apply).
    expect(await art.getByTestId('ops-one-hunk').innerText()).toBe('One hunk, applied.');
    expect(await detail.getByTestId('ops-apply').count()).toBe(0);
    expect(await detail.getByTestId('ops-undo').isEnabled()).toBe(true);
    expect(await detail.getByTestId('ops-status').innerText()).toBe('done');

    await detail.getByTestId('ops-undo').click();
    await detail.getByTestId('ops-undone').getByText(/src\/math\.ts/).waitFor({ timeout: 15_000 });
    expect(fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8')).toBe(MATH_TS);
    await waitFor(() => detail.getByTestId('ops-status').innerText(), (t) => t === 'undone', 'the status to say undone');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ops.png') });
    expect(page.problems, page.problems.join('\n')).toEqual([]);
  });

  it('an operation whose edit was refused ends as "no changes", not a green done', async () => {
    if (!wired) return;
    await page.getByTestId('ops-new').click();
    await page.getByRole('textbox', { name: 'Task' }).fill(GIVE_UP_TASK);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const detail = page.getByTestId('ops-detail');
    await waitFor(() => detail.getByText(GIVE_UP_TASK).count(), (n) => n > 0, 'the new operation to be shown');
    await waitFor(() => detail.getAttribute('data-status'), (s) => s === 'done', 'the operation to finish', 60_000);
    const status = detail.getByTestId('ops-status');
    await waitFor(() => status.innerText(), (t) => t === 'no changes', 'the status to say no changes');
    expect(await status.getAttribute('class')).not.toContain('status-ok');
    await waitFor(() => page.getByTestId('ops-item').first().getByTestId('ops-item-status').innerText(), (t) => t === 'no changes', 'the list to say no changes');
    // Nothing to apply, undo or resume: no action buttons at all.
    expect(await detail.getByRole('toolbar', { name: 'Operation actions' }).getByRole('button').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ops-no-changes.png') });
  });

  it('"Apply to file" places a whole function by its declaration, and offers replacing the whole file for a snippet it cannot place', async () => {
    if (!wired) return;
    const ask = async (q: string) => {
      await page.getByRole('button', { name: 'New chat' }).click();
      const input = page.getByTestId('chat-input');
      await input.fill(q);
      await input.press('Enter');
      const block = page.getByTestId('chat-answer').last().getByRole('figure', { name: /Code for src\/big\.ts/ });
      await block.waitFor({ timeout: 30_000 });
      await page.getByTestId('chat-answer').last().getByTestId('chat-meta').waitFor({ timeout: 30_000 });
      await block.getByRole('button', { name: 'Apply to file' }).click();
      const dialog = page.getByRole('dialog', { name: 'Apply to file' });
      await dialog.waitFor();
      return dialog;
    };
    const onDisk = () => fs.readFileSync(path.join(repo.root, 'src/big.ts'), 'utf8');

    // A whole function: matched by its declaration, applied in place, the rest of the file kept.
    let dialog = await ask('Simplify discount SNIPPET_WHOLE_FN');
    await dialog.getByTestId('diff-editor').locator('.modified .view-lines').getByText('return price * (1 - rate);').waitFor({ timeout: 15_000 });
    expect(await dialog.getByRole('status').innerText()).toMatch(/matched by its declaration/);
    await dialog.getByTestId('diff-apply').click();
    await dialog.getByTestId('apply-done').waitFor();
    expect(onDisk()).toBe(BIG_TS.replace('  const off = price * rate;\n  return price - off;', '  return price * (1 - rate);'));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A partial snippet: explained in user words, Apply disabled, and an explicit choice to replace the whole file.
    const before = onDisk();
    dialog = await ask('Add an extra rate SNIPPET_PARTIAL');
    const refusal = dialog.getByTestId('apply-error');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toMatch(/could not be placed safely/i);
    expect(await refusal.locator('h3').innerText()).not.toMatch(/format|whole/);
    expect(await dialog.getByText('Nothing to show yet.').count()).toBe(0);
    expect(await dialog.getByTestId('diff-apply').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'apply-snippet-refused.png') });
    await dialog.getByTestId('apply-replace-whole').click();
    await dialog.getByTestId('apply-whole-note').waitFor({ timeout: 15_000 });
    expect(await dialog.getByTestId('apply-whole-note').innerText()).toMatch(/replaces all \d+ lines/);
    await dialog.getByTestId('diff-editor').locator('.modified .view-lines').getByText('export const EXTRA = 1;').waitFor({ timeout: 15_000 });
    expect(await dialog.getByTestId('diff-apply').innerText()).toBe('Replace whole file');
    expect(onDisk()).toBe(before);
    await dialog.getByTestId('diff-apply').click();
    await dialog.getByTestId('apply-done').waitFor();
    expect(onDisk()).toBe(PARTIAL + '\n');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('keeps the operation in the list after a reload', async () => {
    if (!wired) return;
    await page.reload();
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    await showPanel(page, 'ops');
    const item = page.getByRole('listbox', { name: 'Operations' }).getByTestId('ops-item').filter({ hasText: TASK }).first();
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
