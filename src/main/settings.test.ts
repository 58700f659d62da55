// Settings from the app: plain values go to config.json; a key set without a keychain lives in memory only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../test/helpers/mira';

let repo: TestRepo;
let t: TestMira;
beforeAll(async () => {
  repo = createRepo();
  t = await startTestMira(repo.root, 'websocket');
});
afterAll(async () => {
  await t.close();
  repo.cleanup();
});

describe('settings/get and settings/set', () => {
  it('reports the defaults without any key', async () => {
    const s = await t.client.call('settings/get');
    expect(s).toMatchObject({ model: 'gpt-5.1', embedding_model: 'local', vector_store: 'embedded', api_key_set: false, key_storage: 'session' });
  });

  it('writes plain settings to config.json and keeps the key out of every file', async () => {
    const key = 'sk-test-SESSIONONLY-9876543210';
    const r = await t.client.call('settings/set', { model: 'gpt-5-mini', openai_api_key: key, test_command: 'npm test' });
    expect(r).toMatchObject({ model: 'gpt-5-mini', api_key_set: true, key_storage: 'session', test_command: 'npm test', restart_required: false });
    const config = JSON.parse(fs.readFileSync(path.join(t.home, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model: 'gpt-5-mini', testCommand: 'npm test' });
    for (const f of fs.readdirSync(t.home, { recursive: true }) as string[]) {
      const abs = path.join(t.home, f);
      if (fs.statSync(abs).isFile()) expect(fs.readFileSync(abs).includes(key)).toBe(false);
    }
    expect(JSON.stringify(await t.client.call('settings/get'))).not.toContain(key);
  });

  it('rejects unknown settings', async () => {
    await expect(t.client.call('settings/set', { nope: 1 } as never)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
