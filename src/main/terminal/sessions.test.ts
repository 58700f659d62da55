// Terminal sessions end for good when told to: a shell that ignores the hangup signal is killed shortly after it.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../transport/router';
import { tempDir } from '../../../test/helpers/git-repo';
import { TerminalSessions } from './sessions';

const supported = process.platform !== 'win32' && fs.existsSync('/bin/sh');

describe.skipIf(!supported)('TerminalSessions', () => {
  it('kills a shell that ignores SIGHUP, and closeAll waits until every shell is gone', async () => {
    const bus = new EventBus();
    const out = new Map<string, string>();
    const exited = new Set<string>();
    bus.subscribe((event, data) => {
      const d = data as { id: string; data?: string };
      if (event === 'terminal/data') out.set(d.id, (out.get(d.id) ?? '') + d.data);
      if (event === 'terminal/exit') exited.add(d.id);
    });
    const terminals = new TerminalSessions(bus, () => tempDir('mira-term-'));
    const stubborn = terminals.create(80, 24, '/bin/sh');
    const plain = terminals.create(80, 24, '/bin/sh');
    terminals.write(stubborn.id, "trap '' HUP; echo ready-$((6*7))\n");
    const deadline = Date.now() + 10_000;
    while (!(out.get(stubborn.id) ?? '').includes('ready-42') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out.get(stubborn.id)).toContain('ready-42');

    const t0 = Date.now();
    await terminals.closeAll(5_000);
    expect(exited).toEqual(new Set([stubborn.id, plain.id]));
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(terminals.count).toBe(0);
    expect(terminals.kill(stubborn.id)).toBe(false);
  });
});
