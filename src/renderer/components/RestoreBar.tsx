// Offers back unsaved edits this browser kept for the open project (from a page that had to be reloaded or reopened).
import { useEffect, useState } from 'react';
import { useProject } from '../stores/project';
import { clearStash, readStash, restoreStash, type Stash } from '../unsaved';

export function RestoreBar() {
  const root = useProject((s) => s.project?.root);
  const [stash, setStash] = useState<Stash | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setStash(root ? readStash(root) : null);
  }, [root]);

  if (!root || !stash) return null;
  const paths = Object.keys(stash.files);
  return (
    <div className="banner warning" role="alert" data-testid="restore-bar">
      <span>
        Unsaved edits kept from an earlier page ({new Date(stash.at).toLocaleString()}): {paths.join(', ')}. Restore them into the editor (still unsaved), or discard them?
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await restoreStash(root);
          setBusy(false);
          setStash(readStash(root));
        }}
      >
        Restore
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          clearStash(root);
          setStash(null);
        }}
      >
        Discard
      </button>
    </div>
  );
}
