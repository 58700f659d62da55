// Foundation commands: `mira index` and `mira serve`.
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { startServer } from '../../server/server';
import { serveToken } from '../../server/token';
import { color, printJson, ProgressBar } from '../output';
import type { CliRuntime } from '../runtime';

export function registerCoreCommands(program: Command, cli: CliRuntime): void {
  program
    .command('index [path]')
    .description('index or refresh a project (incremental: unchanged files are skipped)')
    .option('--no-git', 'skip git history')
    .action(async (p: string | undefined, opts: { git: boolean }, cmd: Command) => {
      const mira = cli.open(cmd, { projectPath: p });
      const bar = new ProgressBar(cli.out);
      const r = await mira.index({
        git: opts.git,
        onProgress: (pr) => (pr.phase === 'done' ? bar.done() : bar.update(pr.phase === 'stage' ? (pr.detail ?? 'stage') : pr.phase, pr.done, pr.total)),
      });
      bar.done();
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      const skipped = Object.entries(r.skipped).map(([k, v]) => `${k} ${v}`).join(', ');
      cli.out.stdout.write(
        `${color(cli.out, 1, r.project)}\n` +
          `  files     ${r.files}  (${r.added} added, ${r.changed_files - r.added - r.deleted} changed, ${r.deleted} deleted, ${r.unchanged} unchanged)\n` +
          `  symbols   ${r.symbols}\n  calls     ${r.calls}\n  commits   ${r.commits}\n` +
          (skipped ? `  skipped   ${skipped}\n` : '') +
          `  took      ${r.took_ms} ms\n`,
      );
    });

  program
    .command('serve')
    .description('serve the app to a browser: HTTP + WebSocket on 127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', '3001')
    .option('--host <addr>', 'address to bind (default 127.0.0.1; 0.0.0.0 exposes Mira to your network)')
    .option('--static <dir>', 'folder with the built renderer (default out/renderer)')
    .option('--keep-token', 'keep the access token in the Mira home (0600) so a restarted server accepts the pages already open')
    .option('--new-token', 'with --keep-token: replace the kept token (open pages must then use the new address)')
    .action(async (opts: { port: string; host?: string; static?: string; keepToken?: boolean; newToken?: boolean }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MiraError('bad_usage', `--port ${opts.port} is not a port number`);
      if (opts.newToken && !opts.keepToken) throw new MiraError('bad_usage', '--new-token replaces the kept token: use it with --keep-token');
      const mira = cli.open(cmd, { needProject: true });
      const host = opts.host ?? '127.0.0.1';
      if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
        cli.out.stderr.write(color(cli.out, 33, `warning: binding ${host} exposes Mira (your code and terminal) to other machines; anyone with the token can use it\n`));
      }
      mira.watch();
      // A new token for each run (one per session), unless the user keeps one in the home (0600) so that open pages
      // reconnect to a restarted server; MIRA_SERVE_TOKEN overrides both.
      const token = cli.env.MIRA_SERVE_TOKEN || opts.keepToken ? serveToken(cli.home(cmd), { env: cli.env.MIRA_SERVE_TOKEN, rotate: opts.newToken === true }).token : undefined;
      const server = await startServer(mira, { port, host, staticDir: opts.static, token });
      if (cli.globals(cmd).json) printJson(cli.out, { url: server.url, port: server.port, host: server.host, project: mira.project().root });
      else cli.out.stdout.write(`Mira is serving ${mira.project().root}\n  open ${server.url}\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      // A second signal while stopping means "now".
      const now = () => process.exit(signal === 'SIGINT' ? 130 : 143);
      process.on('SIGINT', now);
      process.on('SIGTERM', now);
      await server.close();
      // Terminals, builds, the index run and the watcher, then the database (closed cleanly, its session ended).
      await mira.shutdown(1000);
      // Nothing the server started may keep a stopped server's process alive (a child that ignored every signal, a
      // request still waiting on the network): once the command has returned and the database is closed, exit.
      setTimeout(() => process.exit(process.exitCode ?? 0), 250).unref();
    });
}
