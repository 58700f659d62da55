// Starts Mira for tests on a temporary home, and gives a typed client over any of the carriers.
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createMira, type Mira } from '../../src/main/app';
import { loadConfig } from '../../src/main/config';
import { startServer, type RunningServer } from '../../src/main/server/server';
import { MiraClient, WebSocketTransport, type WebSocketLike } from '../../src/shared/client';
import { tempDir } from './git-repo';

export type Carrier = 'in-process' | 'websocket';

export interface TestMira {
  mira: Mira;
  client: MiraClient;
  home: string;
  server?: RunningServer;
  close(): Promise<void>;
}

export async function startTestMira(project: string, carrier: Carrier, env: NodeJS.ProcessEnv = {}): Promise<TestMira> {
  const home = tempDir('mira-home-');
  const mira = createMira({ config: loadConfig(home, env), mode: 'test', project });
  if (carrier === 'in-process') {
    const client = mira.client({ clone: true });
    return {
      mira,
      client,
      home,
      close: async () => {
        mira.close();
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  }
  const server = await startServer(mira, { port: 0, staticDir: path.join(home, 'no-renderer') });
  const client = await connectWs(server);
  return {
    mira,
    client,
    home,
    server,
    close: async () => {
      client.close();
      await server.close();
      mira.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function connectWs(server: RunningServer, opts: { token?: string; headers?: Record<string, string> } = {}): Promise<MiraClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(opts.token ?? server.token)}`, { headers: opts.headers });
  const transport = new WebSocketTransport(ws as unknown as WebSocketLike);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return new MiraClient(transport);
}
