// The chat end to end: a local OpenAI-compatible server streams a scripted answer with a code block; it is applied through the diff view and lands on disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { lastUserText, startOpenAiServer, type OpenAiServer } from '../test/helpers/openai-server';
import { createFixtureRepo } from './fixture';
import { ARTIFACTS, hasMethod, launchBrowser, showPanel, skipReason, startServe, tempDir, waitFor, type Browser, type Served } from './harness';

const reason = skipReason();
if (reason) console.warn(`e2e skipped: ${reason}`);

const QUESTION = 'Make multiply in src/math.ts use a plain product';
const ANSWER = [
  'Here is a simpler `multiply` for `src/math.ts`:',
  '',
  '```ts',
  '<<<<<<< SEARCH',
  '  let total = 0;',
  '  for (let i = 0; i < b; i++) total = add(total, a);',
  '  return total;',
  '=======',
  '  return a * b;',
  '>>>>>>> REPLACE',
  '```',
  '',
  'It keeps **the same signature**, so callers such as `lineTotal` do not change.',
].join('\n');
const SLOW = 'Counting slowly: ' + Array.from({ length: 200 }, (_, i) => `step ${i + 1}.`).join(' ');

describe.skipIf(!!reason)(`chat in Chromium against a local OpenAI-compatible server${reason ? ` (skipped: ${reason})` : ''}`, () => {
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
      // The main question gets the scripted answer, the slow one streams for seconds; memory upkeep calls get a plain reply.
      responder: (req) => {
        const q = lastUserText(req.body);
        if (q.includes('plain product')) return { content: ANSWER, chunkSize: 12, chunkDelayMs: 15 };
        if (q.includes('count slowly')) return { content: SLOW, chunkSize: 6, chunkDelayMs: 40 };
        return { content: '{}' };
      },
    });
    repo = createFixtureRepo();
    home = tempDir('mira-e2e-chat-home-');
    served = await startServe({ home, project: repo.root, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.url } });
    wired = await hasMethod(served, 'chat/list');
    if (!wired) console.warn('chat e2e: this server has no chat/* methods; only the "not available" state is checked');
    browser = await launchBrowser();
    page = await browser.page();
    await page.goto(served.url);
    await page.getByRole('tree', { name: /Files of/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Index', exact: true }).click();
    await waitFor(() => page.getByTestId('index-status').innerText(), (t) => /Indexed \d+ files/.test(t), 'the index run', 60_000);
    await showPanel(page, 'chat');
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await llm?.close();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  // First, while nothing changes in the project: an edit (the apply below) re-indexes files and so changes the context, which rightly misses the cache.
  it('answers the same question again from the cache, at no cost', async () => {
    if (!wired) return;
    const ask = async (q: string) => {
      await page.getByRole('button', { name: 'New chat' }).click();
      await page.getByTestId('chat-input').fill(q);
      await page.getByTestId('chat-input').press('Enter');
      const answer = page.getByTestId('chat-answer').last();
      await answer.getByTestId('chat-meta').waitFor({ timeout: 30_000 });
      return answer;
    };
    const q = 'What does lineTotal return?';
    const first = await ask(q);
    expect(await first.getByTestId('chat-meta').innerText()).toMatch(/not cached/);
    const again = await ask(q);
    await again.getByTestId('chat-cached').waitFor();
    expect(await again.getByTestId('chat-cost').innerText()).toBe('$0.00');
    expect(llm.chatRequests().filter((r) => lastUserText(r.body) === q).length).toBe(1);
  });

  it('streams an answer with a highlighted code block, its cost and context, and applies the code through the diff view', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    expect(await input.isDisabled()).toBe(false);
    await page.getByTestId('chat-effort').selectOption('low');
    await input.fill(QUESTION);
    await input.press('Enter');
    if (!wired) {
      await page.getByTestId('unavailable').getByText(/Chat is not available/).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-unavailable.png') });
      return;
    }
    const answer = page.getByTestId('chat-answer').last();
    // While it streams, Stop is offered; the text grows.
    await page.getByTestId('chat-stop').waitFor({ timeout: 15_000 });
    await answer.getByText('Here is a simpler').waitFor({ timeout: 15_000 });
    const meta = answer.getByTestId('chat-meta');
    await meta.waitFor({ timeout: 30_000 });
    expect(await meta.innerText()).toMatch(/\$\d+\.\d{2,4}[\s\S]*not cached/);
    expect(await answer.locator('strong').innerText()).toBe('the same signature');
    // Monaco's colorize highlighted the block: its tokens carry mtk classes.
    const block = answer.getByRole('figure', { name: /Code for src\/math\.ts/ });
    await waitFor(() => block.locator('[class*="mtk"]').count(), (n) => n > 3, 'the code block to be highlighted');
    // The effort picked went to the model.
    const asked = llm.chatRequests().find((r) => lastUserText(r.body).includes('plain product'));
    expect(asked?.body.reasoning_effort).toBe('low');

    // The context inspector lists what the oracle sent, and why.
    await meta.getByRole('button', { name: /^Context \(\d+\)$/ }).click();
    await answer.getByTestId('context-inspector').waitFor();

    // Apply: a dry run shown as a diff first, then written.
    await block.getByRole('button', { name: 'Apply to file' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply to file' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('apply-file').inputValue()).toBe('src/math.ts');
    await dialog.getByTestId('diff-editor').locator('.modified .view-lines').getByText('return a * b;').waitFor({ timeout: 15_000 });
    expect(fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8')).toContain('total = add(total, a)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-apply.png') });
    await dialog.getByTestId('diff-apply').click();
    await dialog.getByTestId('apply-done').waitFor();
    const onDisk = fs.readFileSync(path.join(repo.root, 'src/math.ts'), 'utf8');
    expect(onDisk).toContain('  return a * b;\n');
    expect(onDisk).not.toContain('total = add(total, a)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat.png') });
  });

  it('stops a long answer, keeping what was said', async () => {
    if (!wired) return;
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    await input.fill('Please count slowly to two hundred');
    await input.press('Enter');
    const answer = page.getByTestId('chat-answer').last();
    await answer.getByText(/Counting slowly/).waitFor({ timeout: 15_000 });
    await page.getByTestId('chat-stop').click();
    await answer.getByTestId('chat-meta').getByText('stopped').waitFor({ timeout: 15_000 });
    expect((await answer.innerText()).length).toBeLessThan(SLOW.length);
  });

  it('lists past conversations, finds one by its words, and resumes it', async () => {
    if (!wired) return;
    await page.getByTestId('chat-history-tab').click();
    await waitFor(() => page.getByTestId('conversation').count(), (n) => n >= 2, 'two conversations listed');
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('plain product');
    await page.getByRole('searchbox', { name: 'Search conversations' }).press('Enter');
    const hit = page.getByRole('listbox', { name: 'Matching conversations' }).getByTestId('conversation').first();
    await hit.waitFor();
    await hit.click();
    await page.getByTestId('chat-user').getByText(QUESTION).waitFor();
    await page.getByTestId('chat-answer').getByText('Here is a simpler').waitFor();
    expect(page.problems, page.problems.join('\n')).toEqual([]);
  });

  it('budget and activity show the LLM calls that were made', async () => {
    if (!wired) return;
    await showPanel(page, 'activity');
    await page.locator('[data-testid="activity-entry"][data-group="llm"]').first().waitFor();
    await showPanel(page, 'budget');
    const spent = (t: string) => Number(/\$([\d.]+)/.exec(t)?.[1] ?? 0);
    await waitFor(() => page.getByTestId('budget-today').innerText(), (t) => spent(t) > 0, 'spend today above zero');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-budget.png') });
  });
});
