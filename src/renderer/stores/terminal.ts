// Terminal session state for the UI: the shell and folder of the live session, its exit code, or why it could not start, and the Tab focus mode.
import { create } from 'zustand';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { api } from './connection';

export interface TerminalSession {
  id: string;
  shell: string;
  cwd: string;
  exitCode: number | null | undefined;
}

interface TerminalState {
  session: TerminalSession | null;
  status: 'idle' | 'starting' | 'running' | 'exited' | 'error';
  error: ErrorInfo | null;
  /** Tab and Shift+Tab move the focus out of the terminal instead of reaching the shell (toggled with Ctrl+M). */
  tabMovesFocus: boolean;
  toggleTabMovesFocus(): void;
  /** Creates a session; the caller (the terminal view) owns its lifetime and kills it with stop(). */
  start(cols: number, rows: number): Promise<TerminalSession | null>;
  onExit(id: string, code: number | null): void;
  stop(id: string): Promise<void>;
}

export const useTerminal = create<TerminalState>()((set, get) => ({
  session: null,
  status: 'idle',
  error: null,
  tabMovesFocus: false,
  toggleTabMovesFocus: () => set((s) => ({ tabMovesFocus: !s.tabMovesFocus })),
  async start(cols, rows) {
    set({ status: 'starting', error: null });
    try {
      const r = await api().call('terminal/create', { cols, rows });
      const session = { ...r, exitCode: undefined };
      set({ session, status: 'running' });
      return session;
    } catch (e) {
      set({ status: 'error', error: MiraError.from(e).toJSON(), session: null });
      return null;
    }
  },
  onExit(id, code) {
    const s = get().session;
    if (s?.id === id) set({ session: { ...s, exitCode: code }, status: 'exited' });
  },
  async stop(id) {
    const s = get().session;
    if (s?.id === id) set({ session: null, status: 'idle', error: null });
    try {
      await api().call('terminal/kill', { id });
    } catch {
      /* the server may already have closed it */
    }
  },
}));
