// A destructive row action in two steps: "Forget" turns into "Forget it" / "Keep", so one stray click loses nothing.
import { useState } from 'react';

export function ConfirmAction({ verb, what, busy, onConfirm }: { verb: string; what: string; busy?: boolean; onConfirm: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="link small" onClick={() => setConfirming(true)} aria-label={`${verb} ${what}`}>
        {verb}
      </button>
    );
  }
  return (
    <>
      <button type="button" className="link small danger" disabled={busy} onClick={onConfirm} aria-label={`Confirm: ${verb.toLowerCase()} ${what}`}>
        {verb} it
      </button>
      <button type="button" className="link small" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </>
  );
}
