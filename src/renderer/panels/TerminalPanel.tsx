// The integrated terminal: xterm + fit in the project root over terminal/create, write, resize and terminal/data events.
import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { api } from '../stores/connection';
import { useProject } from '../stores/project';
import { useTerminal } from '../stores/terminal';
import { TAB_FOCUS_KEY, terminalKeyAction } from '../terminal-keys';

const FOCUS_HINT = `Press ${TAB_FOCUS_KEY} to toggle whether Tab moves the focus out of the terminal.`;

const THEME = {
  background: '#1b1c1f',
  foreground: '#d4d7dd',
  cursor: '#d4d7dd',
  selectionBackground: '#3a4454',
  black: '#1e1f22', red: '#e06c75', green: '#98c379', yellow: '#e5c07b', blue: '#61afef', magenta: '#c678dd', cyan: '#56b6c2', white: '#d4d7dd',
  brightBlack: '#5c6370', brightRed: '#ef7c86', brightGreen: '#a9d18e', brightYellow: '#f0d08c', brightBlue: '#74bcf5', brightMagenta: '#d28ce6', brightCyan: '#67c7d3', brightWhite: '#ffffff',
};

export function TerminalPanel() {
  const host = useRef<HTMLDivElement>(null);
  const restart = useRef<(() => void) | null>(null);
  const generation = useProject((s) => s.generation);
  const status = useTerminal((s) => s.status);
  const error = useTerminal((s) => s.error);
  const session = useTerminal((s) => s.session);
  const tabMovesFocus = useTerminal((s) => s.tabMovesFocus);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const term = new Terminal({
      theme: THEME,
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    // A terminal otherwise keeps every key, Tab included: Ctrl+M switches Tab to moving the focus, as in VS Code.
    term.textarea?.setAttribute('aria-description', FOCUS_HINT);
    term.textarea?.setAttribute('aria-keyshortcuts', 'Control+M');
    term.attachCustomKeyEventHandler((e) => {
      const action = terminalKeyAction(e, useTerminal.getState().tabMovesFocus);
      if (!action) return true;
      if (action === 'toggle-tab-focus') {
        e.preventDefault();
        if (e.type === 'keydown') useTerminal.getState().toggleTabMovesFocus();
      }
      // false: xterm leaves the event alone, so the browser's own Tab navigation runs.
      return false;
    });
    let disposed = false;
    let id: string | null = null;
    // Output can race the reply to terminal/create; keep it until the session id is known.
    const early = new Map<string, string[]>();

    const offData = api().on('terminal/data', ({ id: from, data }) => {
      if (from === id) term.write(data);
      else if (id === null) early.set(from, [...(early.get(from) ?? []), data]);
    });
    const offExit = api().on('terminal/exit', ({ id: from, code }) => {
      if (from !== id) return;
      useTerminal.getState().onExit(from, code);
      term.write(`\r\n\x1b[2m[process exited${code === null ? '' : ` with code ${code}`}; press Enter to start a new shell]\x1b[0m\r\n`);
    });

    const size = () => {
      // A hidden panel measures 0x0; fitting then would shrink the pty to one column.
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
      return { cols: Math.max(term.cols, 2), rows: Math.max(term.rows, 1) };
    };

    const start = async () => {
      const { cols, rows } = size();
      id = null;
      early.clear();
      const s = await useTerminal.getState().start(cols, rows);
      if (!s) return;
      if (disposed) {
        // The view went away while the shell was starting (project switch, unmount): do not leak the pty.
        void useTerminal.getState().stop(s.id);
        return;
      }
      id = s.id;
      for (const chunk of early.get(s.id) ?? []) term.write(chunk);
      early.clear();
    };

    const onInput = term.onData((data) => {
      const st = useTerminal.getState();
      if (st.status === 'exited' || st.status === 'error') {
        if (data === '\r') {
          term.reset();
          void start();
        }
        return;
      }
      if (id) void api().call('terminal/write', { id, data }).catch(() => {});
    });

    let last = '';
    const ro = new ResizeObserver(() => {
      const { cols, rows } = size();
      const key = `${cols}x${rows}`;
      if (key === last || !id) return;
      last = key;
      void api().call('terminal/resize', { id, cols, rows }).catch(() => {});
    });
    ro.observe(el);
    restart.current = () => {
      term.reset();
      void start();
    };
    void start();

    return () => {
      disposed = true;
      ro.disconnect();
      onInput.dispose();
      offData();
      offExit();
      if (id) void useTerminal.getState().stop(id);
      term.dispose();
    };
    // A new project gets a new shell in its own root.
  }, [generation]);

  return (
    <div className="terminal-panel">
      {status === 'error' && (
        <div className="error-box pad" role="alert">
          <p>The terminal could not start: {error?.message}</p>
          {error?.hint && <p className="muted">{error.hint}</p>}
          <button type="button" onClick={() => restart.current?.()}>Retry</button>
        </div>
      )}
      <div className="terminal-header small">
        <span className="muted terminal-title" title={session ? `${session.shell} in ${session.cwd}` : undefined}>
          {status === 'starting' ? <span role="status">Starting shell…</span> : session ? `${session.shell.split('/').pop()} · ${session.cwd}` : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className={`link small tab-focus-toggle${tabMovesFocus ? ' on' : ''}`}
          aria-pressed={tabMovesFocus}
          aria-keyshortcuts="Control+M"
          title={FOCUS_HINT}
          data-testid="terminal-tab-focus"
          onClick={() => useTerminal.getState().toggleTabMovesFocus()}
        >
          <span aria-hidden="true">{tabMovesFocus ? '● ' : '○ '}</span>
          Tab moves focus <kbd>{TAB_FOCUS_KEY}</kbd>
        </button>
        {/* Ctrl+M is pressed inside the terminal, where the button's state is not heard: say what changed. */}
        <span className="sr-only" aria-live="polite">
          {tabMovesFocus ? 'Tab now moves the focus out of the terminal' : 'Tab now goes to the shell'}
        </span>
      </div>
      <div className="terminal-host" ref={host} aria-label={session ? `Terminal: ${session.shell} in ${session.cwd}` : 'Terminal'} data-testid="terminal" />
    </div>
  );
}
