// The bar over the workbench while the server is away: reconnecting (quietly retrying), or this page's token refused;
// then a quiet "Reconnected". Unsaved edits stay in the editor throughout and are kept in the browser before any reload.
import { useEffect, useState } from 'react';
import { useConnection } from '../stores/connection';
import { useEditor } from '../stores/editor';
import { useProject } from '../stores/project';
import { stashUnsaved, unsavedTexts } from '../unsaved';

export function ConnectionBar() {
  const status = useConnection((s) => s.status);
  const link = useConnection((s) => s.link);
  const error = useConnection((s) => s.error);
  const reconnectedAt = useConnection((s) => s.reconnectedAt);
  const dirty = useEditor((s) => s.tabs.filter((t) => t.dirty).length);
  const [shown, setShown] = useState<number | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!reconnectedAt) return;
    setShown(reconnectedAt);
    const t = setTimeout(() => setShown(null), 4000);
    return () => clearTimeout(t);
  }, [reconnectedAt]);

  if (status === 'lost') {
    const reload = () => {
      // Keep the unsaved texts in this browser first; the reloaded page offers them back.
      stashUnsaved(useProject.getState().project?.root);
      location.reload();
    };
    const copy = () => {
      const texts = unsavedTexts();
      const all = Object.entries(texts).map(([p, t]) => `=== ${p} ===\n${t}`).join('\n\n');
      void navigator.clipboard?.writeText(all).then(() => setCopied(true), () => setCopied(false));
    };
    return (
      <div className={`banner ${link === 'refused' ? 'error' : 'warning'}`} role="alert" data-testid="connection-bar" data-link={link ?? ''}>
        <span>
          {error?.message} {error?.hint}
          {dirty > 0 && ` ${dirty === 1 ? '1 file has' : `${dirty} files have`} unsaved edits; they stay in the editor${link === 'refused' ? ' and are kept in this browser for the new address' : ''}.`}
        </span>
        <span className="spacer" />
        {dirty > 0 && (
          <button type="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy unsaved edits'}
          </button>
        )}
        {link === 'refused' && (
          <button type="button" onClick={reload} title="Unsaved edits are kept in this browser and offered again after reloading">
            Reload (keeps unsaved edits)
          </button>
        )}
      </div>
    );
  }
  if (shown && status === 'ready') {
    return (
      <div className="conn-note" role="status" data-testid="connection-bar">
        Reconnected
      </div>
    );
  }
  return null;
}
