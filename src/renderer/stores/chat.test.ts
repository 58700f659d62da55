// The chat store against a scripted API: stop by request id before any token, the draft kept on failure, retry, regenerate and edit.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MiraError } from '../../shared/errors';

type Call = { method: string; params: Record<string, unknown> };
const calls: Call[] = [];
let answer: (method: string, params: Record<string, unknown>) => Promise<unknown>;

vi.mock('../optional-api', async (orig) => ({
  ...(await orig<typeof import('../optional-api')>()),
  callOptional: (method: string, params: Record<string, unknown>) => {
    calls.push({ method, params });
    return answer(method, params);
  },
}));

const { useChat } = await import('./chat');

function reply(over: Record<string, unknown> = {}) {
  return { answer: 'An answer.', context: [], cost_usd: 0.001, cached: false, conversation_id: 7, message_id: 11, user_message_id: 10, model: 'gpt-5.1', stopped: false, tokens_in: 10, tokens_out: 5, tool_calls: [], learned: [], took_ms: 900, ...over };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

beforeEach(() => {
  calls.length = 0;
  useChat.getState().reset();
  useChat.setState({ draft: '' });
  answer = async (m) => (m === 'chat/send' ? reply() : m === 'chat/list' ? { results: [] } : { stopped: true });
});

describe('the chat store', () => {
  it('stops a new conversation before its first token, by the request id it sent', async () => {
    const sent = deferred<unknown>();
    answer = (m) => (m === 'chat/send' ? sent.promise : Promise.resolve(m === 'chat/list' ? { results: [] } : { stopped: true }));
    const sending = useChat.getState().send('think first');
    await useChat.getState().stop();
    const send = calls.find((c) => c.method === 'chat/send')!;
    const stop = calls.find((c) => c.method === 'chat/stop')!;
    expect(typeof send.params.request_id).toBe('string');
    expect(stop.params).toEqual({ request_id: send.params.request_id });
    // The server ends the call as stopped, with nothing said.
    sent.resolve(reply({ answer: '', stopped: true, cost_usd: 0 }));
    await sending;
    expect(useChat.getState().messages.at(-1)).toMatchObject({ stopped: true, content: '', streaming: false });
    expect(useChat.getState().error).toBeNull();
  });

  it('a stop that ends the call before the server answered anything is a stop, not an error', async () => {
    answer = async (m) => {
      if (m === 'chat/send') throw new MiraError('cancelled', 'the call was cancelled');
      return { stopped: true };
    };
    useChat.setState({ stopping: true });
    const p = useChat.getState().send('x');
    useChat.setState({ stopping: true });
    await p;
    expect(useChat.getState().messages.at(-1)).toMatchObject({ stopped: true, streaming: false });
    expect(useChat.getState().messages.at(-1)!.error).toBeUndefined();
  });

  it('takes deltas of its own request only, and times the first token', async () => {
    const sent = deferred<unknown>();
    answer = (m) => (m === 'chat/send' ? sent.promise : Promise.resolve({ results: [] }));
    const p = useChat.getState().send('hello');
    const rid = calls[0]!.params.request_id as string;
    useChat.getState().onDelta({ conversation_id: 99, delta: 'not ours', request_id: 'other' });
    useChat.getState().onDelta({ conversation_id: 7, delta: 'Hi', request_id: rid });
    const m = useChat.getState().messages.at(-1)!;
    expect(m.content).toBe('Hi');
    expect(m.first_token_ms).toBeGreaterThanOrEqual(0);
    expect(useChat.getState().conversationId).toBe(7);
    sent.resolve(reply({ answer: 'Hi' }));
    await p;
  });

  it('keeps the draft when the send fails, and Retry asks the same question in place of the failed turn', async () => {
    answer = async (m) => {
      if (m === 'chat/send') throw new MiraError('rate_limited', 'rate limited (429)');
      return { results: [] };
    };
    useChat.getState().setDraft('Why is it slow?');
    await useChat.getState().send();
    expect(useChat.getState().draft).toBe('Why is it slow?');
    const failed = useChat.getState().messages.at(-1)!;
    expect(failed.error?.code).toBe('rate_limited');
    answer = async (m) => (m === 'chat/send' ? reply({ answer: 'Because.' }) : { results: [] });
    await useChat.getState().retry(failed.key);
    const msgs = useChat.getState().messages;
    expect(msgs.map((x) => [x.role, x.content])).toEqual([
      ['user', 'Why is it slow?'],
      ['assistant', 'Because.'],
    ]);
    expect(calls.filter((c) => c.method === 'chat/send').map((c) => c.params.message)).toEqual(['Why is it slow?', 'Why is it slow?']);
    expect(useChat.getState().draft).toBe('');
  });

  it('regenerates the last answer and edits the last question, each replacing its turn', async () => {
    await useChat.getState().send('First?');
    expect(useChat.getState().messages[0]!.id).toBe(10);
    answer = async (m) => (m === 'chat/send' ? reply({ answer: 'Again.', message_id: 13, user_message_id: 12 }) : { results: [] });
    await useChat.getState().regenerate();
    let send = calls.filter((c) => c.method === 'chat/send').at(-1)!;
    expect(send.params).toMatchObject({ message: 'First?', conversation_id: 7, replace_from: 10, cache: false });
    expect(useChat.getState().messages.map((x) => x.content)).toEqual(['First?', 'Again.']);

    useChat.getState().editLast();
    expect(useChat.getState().draft).toBe('First?');
    useChat.getState().setDraft('Second?');
    answer = async (m) => (m === 'chat/send' ? reply({ answer: 'Edited.', message_id: 15, user_message_id: 14 }) : { results: [] });
    await useChat.getState().send();
    send = calls.filter((c) => c.method === 'chat/send').at(-1)!;
    expect(send.params).toMatchObject({ message: 'Second?', conversation_id: 7, replace_from: 12 });
    expect(useChat.getState().messages.map((x) => x.content)).toEqual(['Second?', 'Edited.']);
    expect(useChat.getState().editing).toBeNull();
  });

  it('keeps what was learned and the estimated cost of a stopped answer', async () => {
    answer = async (m) => (m === 'chat/send' ? reply({ stopped: true, cost_usd: 0.006, cost_estimated: true, learned: ['coding_style.indentation'], learned_facts: [{ key: 'coding_style.indentation', value: 'tabs' }] }) : { results: [], key: 'coding_style.indentation', forgotten: 1 });
    await useChat.getState().send('I prefer tabs');
    const m = useChat.getState().messages.at(-1)!;
    expect(m).toMatchObject({ cost_usd: 0.006, cost_estimated: true, learned: [{ key: 'coding_style.indentation', value: 'tabs' }] });
    await useChat.getState().forget(m.key, 'coding_style.indentation');
    expect(calls.at(-1)).toEqual({ method: 'memory/forget', params: { key: 'coding_style.indentation' } });
    expect(useChat.getState().messages.at(-1)!.learned![0]!.forgotten).toBe(true);
  });
});
