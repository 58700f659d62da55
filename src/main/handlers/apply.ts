// Handlers for the apply engine: paths stay inside the project root; refusals are results, not exceptions.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { applyMethods } from '../../shared/api/apply';
import { applyToFile } from '../apply';
import { insideGitDir } from '../project/fs-access';
import { MiraError } from '../../shared/errors';

export function applyHandlers(mira: Mira): Pick<Handlers, keyof typeof applyMethods> {
  return {
    'apply/edit': async ({ file, edit, format, dry_run, expected_hash }) => {
      const t0 = performance.now();
      const p = mira.project();
      const abs = p.fs.resolve(file);
      const rel = p.fs.relative(abs);
      if (insideGitDir(rel)) throw new MiraError('refused', `${rel} is inside a .git folder, which Mira does not edit`, 'change the repository with git commands');
      const r = await applyToFile(abs, edit, { format, dryRun: dry_run, expectedHash: expected_hash, displayPath: rel });
      const took_ms = Math.round((performance.now() - t0) * 100) / 100;
      if (!r.applied) return { path: rel, applied: false as const, format: r.format, error: r.error, took_ms };
      if (r.written) mira.events.emit('fs/changed', { paths: [rel] });
      return { path: rel, applied: true as const, format: r.format, strategy: r.strategy, content: r.content, diff: r.diff, written: r.written, took_ms };
    },
  };
}
