// The chat end to end: a local OpenAI-compatible server streams a scripted answer with a code block; it is applied through the diff view and lands on disk.
// Also: stop (button and Escape, before the first token), retry, regenerate and edit, the cost of a stopped answer, tool turns kept apart,
// what was remembered, readable code colours, the confirmation card, timing, and a model changed in Settings used at once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestRepo } from '../test/helpers/git-repo';
import { lastUserText, startOpenAiServer, systemText, type OpenAiServer } from '../test/helpers/openai-server';
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
let flaky = 0;
let regenerated = 0;

/** The relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => Number(x) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

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
        // Memory upkeep: the question saying "I prefer tabs" is remembered.
        if (systemText(req.body).includes('MIRA_MEMORY_EXTRACTION')) {
          return { content: JSON.stringify({ facts: /prefer tabs/i.test(q) ? [{ kind: 'profile', key: 'coding_style.indentation', value: 'tabs', decision: 'add', confidence: 0.9, scope: 'global' }] : [] }) };
        }
        if (q.includes('think for a while')) return { content: 'Too late.', delayMs: 6000 };
        if (q.includes('Flaky question')) return ++flaky === 1 ? { status: 429, error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } : { content: 'Recovered answer.' };
        if (q.includes('Answer anew')) return { content: `Answer number ${++regenerated}.` };
        if (q.includes('Edited question')) return { content: 'Answer to the edited question.' };
        if (q.includes('How does the check work')) {
          const last = req.body.messages.at(-1);
          if (last.role === 'tool') return { content: '## How it works\nThe check adds numbers.', chunkSize: 4, chunkDelayMs: 30 };
          return { content: 'Let me run the check.', chunkSize: 4, chunkDelayMs: 30, toolCalls: [{ name: 'build_run', arguments: { command: 'npm test' } }] };
        }
        if (q.includes('prefer tabs')) return { content: 'Noted: tabs.' };
        return { content: '{}' };
      },
    });
    repo = createFixtureRepo();
    home = tempDir('mira-e2e-chat-home-');
    // No retries: the scripted 429 reaches the window at once.
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ llm: { maxRetries: 0 } }));
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
    // ...in the dark theme's colours, though no file was opened yet (the light theme's are near black on the dark background).
    const colours = await block.locator('[class*="mtk"]').evaluateAll((els) => els.map((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(e).color));
    expect(Math.min(...colours.map(luminance)), colours.join(' ')).toBeGreaterThan(0.08);
    // The answer says how long it took, and how long the first token took.
    expect(await meta.getByTestId('chat-timing').innerText()).toMatch(/^first token \d+(\.\d)? m?s · \d+(\.\d)? m?s$/);
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
    // What streamed was billed: the answer says so, estimated, rather than $0.00 and no tokens.
    expect(await answer.getByTestId('chat-cost').innerText()).toMatch(/^~\$0\.\d*[1-9]\d* \(estimated\)$/);
    expect(await answer.getByTestId('chat-tokens').innerText()).not.toMatch(/^~?0→0/);
    // The log stays at its end once the meta line is added.
    const log = page.getByRole('log', { name: 'Conversation' });
    expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(4);
  });

  it('Escape stops a slow model before its first token: the wait is timed, and the answer says it was stopped', async () => {
    if (!wired) return;
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    await input.fill('Please think for a while first');
    await input.press('Enter');
    const answer = page.getByTestId('chat-answer').last();
    await waitFor(() => answer.getByTestId('chat-thinking').innerText(), (t) => /^Thinking… [1-9]\d* s$/.test(t), 'the elapsed time while thinking', 10_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-thinking.png') });
    const stoppedAt = Date.now();
    await input.press('Escape');
    await answer.getByTestId('chat-stopped-empty').waitFor({ timeout: 3000 });
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    expect(await answer.getByTestId('chat-stopped-empty').innerText()).toBe('Stopped before the answer started.');
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-stopped-before-start.png') });
  });

  it('a failed send keeps the question; Retry asks it again, Regenerate and Edit replace the last turn', async () => {
    if (!wired) return;
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    await input.fill('Flaky question: what is add?');
    await input.press('Enter');
    const failed = page.getByTestId('chat-answer').last();
    await failed.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await input.inputValue()).toBe('Flaky question: what is add?');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-failed.png') });
    await failed.getByTestId('chat-retry').click();
    await page.getByTestId('chat-answer').last().getByText('Recovered answer.').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('chat-user').allInnerTexts()).toEqual([expect.stringContaining('Flaky question: what is add?')]);
    expect(await page.getByTestId('chat-panel').getByRole('alert').count()).toBe(0);
    expect(await input.inputValue()).toBe('');

    await input.fill('Answer anew: what is multiply?');
    await input.press('Enter');
    await page.getByTestId('chat-answer').last().getByText('Answer number 1.').waitFor({ timeout: 15_000 });
    await page.getByTestId('chat-regenerate').click();
    await page.getByTestId('chat-answer').last().getByText('Answer number 2.').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('chat-answer').allInnerTexts()).toEqual([expect.stringContaining('Recovered answer.'), expect.stringContaining('Answer number 2.')]);

    await page.getByTestId('chat-edit').click();
    expect(await input.inputValue()).toBe('Answer anew: what is multiply?');
    await page.getByTestId('chat-editing').waitFor();
    await input.fill('Edited question: what is add?');
    await input.press('Enter');
    await page.getByTestId('chat-answer').last().getByText('Answer to the edited question.').waitFor({ timeout: 15_000 });
    const users = await page.getByTestId('chat-user').allInnerTexts();
    expect(users.map((u) => u.split('\n').find((l) => l.includes('question'))?.trim())).toEqual(['Flaky question: what is add?', 'Edited question: what is add?']);
    // The server keeps the same turns: reopened from history, the conversation reads the same.
    await page.getByTestId('chat-history-tab').click();
    await page.getByTestId('conversation').first().click();
    await page.getByTestId('chat-answer').last().getByText('Answer to the edited question.').waitFor();
    expect(await page.getByTestId('chat-answer').count()).toBe(2);
  });

  it('a tool turn: the confirmation takes the focus with the question in view, and the turns stay apart as they stream', async () => {
    if (!wired) return;
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    await input.fill('How does the check work in this project?');
    await input.press('Enter');
    const card = page.getByRole('alertdialog');
    await card.waitFor({ timeout: 15_000 });
    await waitFor(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null), (id) => id === 'confirm-allow', 'the focus on Allow');
    // The question is still visible above the card.
    const q = page.getByTestId('chat-user').last();
    const [qBox, logBox] = [await q.boundingBox(), await page.getByRole('log', { name: 'Conversation' }).boundingBox()];
    expect(qBox!.y + qBox!.height).toBeLessThanOrEqual(logBox!.y + logBox!.height + 1);
    expect(qBox!.y).toBeGreaterThanOrEqual(logBox!.y - 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-confirm.png') });
    await card.getByRole('button', { name: 'Deny' }).click();
    const answer = page.getByTestId('chat-answer').last();
    // Mid-stream, the second turn starts on its own: its heading is a heading, not glued to the first sentence.
    await answer.getByRole('heading', { name: 'How it works' }).waitFor({ timeout: 15_000 });
    expect(await answer.innerText()).not.toMatch(/check\.##/);
    await answer.getByTestId('chat-meta').waitFor({ timeout: 15_000 });
    const final = await answer.innerText();
    expect(final).toMatch(/Let me run the check\.\s+How it works\s+The check adds numbers\./);
    expect(final).toMatch(/build_run \(declined\)/);
  });

  it('says what it remembered from a message, links to Memory, and can forget it', async () => {
    if (!wired) return;
    await page.getByRole('button', { name: 'New chat' }).click();
    const input = page.getByTestId('chat-input');
    await input.fill('I prefer tabs for indentation in this project.');
    await input.press('Enter');
    const answer = page.getByTestId('chat-answer').last();
    const note = answer.getByTestId('chat-learned');
    await note.waitFor({ timeout: 15_000 });
    expect(await note.innerText()).toMatch(/^Remembered: tabs Forget · Open Memory$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-remembered.png') });
    await note.getByTestId('chat-forget').click();
    await note.getByText('(forgotten)').waitFor();
    await note.getByTestId('chat-memory-link').click();
    await page.locator('#panel-memory').waitFor();
    await showPanel(page, 'chat');
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

  it('a model changed in Settings is used by the next answer, with no restart', async () => {
    if (!wired) return;
    await showPanel(page, 'settings');
    const panel = page.getByTestId('settings-panel');
    await panel.getByTestId('llm-status').getByText('gpt-5.1').waitFor();
    await panel.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await panel.getByRole('button', { name: 'Save', exact: true }).first().click();
    await waitFor(() => panel.getByTestId('llm-status').innerText(), (t) => t.includes('Using gpt-4o-mini'), 'the status to show the new model');
    expect(await panel.getByTestId('settings-saved').innerText()).toBe('Saved. The next answer uses gpt-4o-mini.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-settings-model.png') });
    await showPanel(page, 'chat');
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByTestId('chat-input').fill('Which model answers now?');
    await page.getByTestId('chat-input').press('Enter');
    const meta = page.getByTestId('chat-answer').last().getByTestId('chat-meta');
    await meta.waitFor({ timeout: 15_000 });
    expect(await meta.innerText()).toMatch(/^gpt-4o-mini/);
    expect(llm.chatRequests().find((r) => lastUserText(r.body) === 'Which model answers now?')?.body.model).toBe('gpt-4o-mini');
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
