// Server under load: a client that stops reading must not grow the server's memory, and many clients at once get answers.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../helpers/git-repo';
import { connectWs, startTestMira, type TestMira } from '../helpers/mira';

function makeProject(repo: TestRepo, files: number): void {
  for (let i = 0; i < files; i++) {
    const dir = `src/mod${i % 6}`;
    repo.write(
      `${dir}/file${i}.ts`,
      `import { helper${(i + 1) % files} } from '../mod${(i + 1) % 6}/file${(i + 1) % files}';\n` +
        `/** Parses the ${i % 2 ? 'session' : 'router'} configuration and retries on failure. */\n` +
        `export function helper${i}(x: number): number {\n  return x > 0 ? helper${(i + 1) % files}(x - 1) : ${i};\n}\n` +
        `export class Service${i} {\n  run() {\n    return helper${i}(3);\n  }\n}\n`,
    );
    if (i % 10 === 0) repo.commit(`fix ${i % 2 ? 'session' : 'router'} handling in module ${i}`);
  }
  repo.commit('last modules');
}

const MB = 1024 * 1024;
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('server under load', () => {
  let repo: TestRepo;
  let t: TestMira;

  beforeAll(async () => {
    repo = createRepo();
    makeProject(repo, 60);
    t = await startTestMira(repo.root, 'websocket');
    const idx = await t.client.call('index/run', { git: true });
    expect(idx.files).toBe(60);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    repo?.cleanup();
  });

  it('a client that stops reading loses events instead of growing server memory; other clients still get answers', async () => {
    const server = t.server!;
    // The stalled client: a raw socket whose reads are paused, so the kernel buffers fill and the server must hold back.
    const stalled = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`);
    await new Promise<void>((resolve, reject) => {
      stalled.once('open', () => resolve());
      stalled.once('error', reject);
    });
    let stalledEvents = 0;
    stalled.on('message', () => stalledEvents++);
    (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    // A healthy client that reads everything, and keeps asking questions during the flood.
    const healthy = await connectWs(server);
    let healthyEvents = 0;
    healthy.on('activity/log', () => healthyEvents++);

    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let rssMax = rss0;
    const payload = 'x'.repeat(512 * 1024);
    const total = 600; // 300 MB of events: far more than the 8 MB a client may have unsent
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      t.mira.events.emit('activity/log', { kind: 'load', message: payload, at: new Date().toISOString(), data: { i } });
      if (i % 50 === 0) answers.push(healthy.call('app/info'));
      // Let the sockets drain between emits, as a real event source would.
      await tick();
      if (i % 10 === 0) {
        await new Promise((r) => setTimeout(r, 1));
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }
    }
    const infos = await Promise.all(answers);
    expect(infos.length).toBe(total / 50);
    // The healthy client reads them all (give it a moment to catch up).
    const deadline = Date.now() + 20_000;
    while (healthyEvents < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    expect(healthyEvents).toBe(total);
    const growthMb = (rssMax - rss0) / MB;
    expect(growthMb).toBeLessThan(200);

    // The stalled client, once it reads again, got far fewer events than were sent: the rest were dropped, not queued.
    (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
    await new Promise((r) => setTimeout(r, 500));
    expect(stalledEvents).toBeLessThan(total / 2);
    // And it is still a working connection: it can ask and be answered.
    const reply = await new Promise<unknown>((resolve) => {
      stalled.on('message', (raw) => {
        const m = JSON.parse(raw.toString()) as { id?: unknown; result?: unknown };
        if (m.id === 'after') resolve(m.result);
      });
      stalled.send(JSON.stringify({ id: 'after', method: 'app/info', params: {} }));
    });
    expect(reply).toMatchObject({ mode: 'test' });
    // Everything above is what the server kept: report it for the record.
    console.log(`back-pressure: sent ${total} x 512 KB, stalled client got ${stalledEvents}, rss growth max ${growthMb.toFixed(1)} MB`);
    stalled.close();
    healthy.close();
  }, 60_000);

  it('8 clients x 50 code/search and oracle/locate requests at once: zero errors', async () => {
    const server = t.server!;
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectWs(server)));
    const queries = ['router configuration', 'session retries', 'helper', 'Service run', 'parses failure', 'fix session handling', 'module helper3', 'retry on failure'];
    let errors = 0;
    let ok = 0;
    const started = performance.now();
    await Promise.all(
      clients.flatMap((c, ci) =>
        Array.from({ length: 50 }, async (_, j) => {
          const q = queries[(ci + j) % queries.length]!;
          try {
            if (j % 2 === 0) {
              const r = await c.call('code/search', { query: q, k: 10 });
              expect(Array.isArray(r.results)).toBe(true);
            } else {
              const r = await c.call('oracle/locate', { query: q, k: 10 });
              expect(Array.isArray(r.results)).toBe(true);
            }
            ok++;
          } catch (e) {
            errors++;
            console.error(e);
          }
        }),
      ),
    );
    console.log(`concurrency: ${ok} answers, ${errors} errors in ${Math.round(performance.now() - started)} ms`);
    expect(errors).toBe(0);
    expect(ok).toBe(400);
    // Results are real: a search for a known symbol finds it.
    const hit = await clients[0]!.call('code/search', { query: 'helper3', k: 5 });
    expect(hit.results.length).toBeGreaterThan(0);
    for (const c of clients) c.close();
  }, 60_000);
});
