// Loads Monaco on first use: it is most of the renderer's code, and the workbench (tree, panels) must not wait for it.
type MonacoModule = typeof import('./monaco');

let loaded: MonacoModule | null = null;
let loading: Promise<MonacoModule> | null = null;

export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco').then((m) => (loaded = m));
  return loading;
}

/** Monaco once loadMonaco() has resolved; code that runs only on loaded documents uses it. */
export function loadedMonaco(): MonacoModule {
  if (!loaded) throw new Error('Monaco is used before loadMonaco() resolved');
  return loaded;
}

/** Starts loading when the page is idle (after the first useful paint), so opening the first file does not wait. */
export function preloadMonaco(): void {
  if (loading) return;
  const start = () => void loadMonaco();
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 1500 });
  else setTimeout(start, 200);
}
