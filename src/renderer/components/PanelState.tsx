// The loading, empty, error and "not available" states every panel shows the same way.
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { isUnavailable } from '../optional-api';
import { uiHint } from '../ui-hints';

export function Loading({ what }: { what: string }) {
  return (
    <div className="muted pad" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="muted pad empty-note" data-testid={testId}>
      {children}
    </div>
  );
}

/** A capability this server does not offer yet: say which method is missing instead of showing an error or fake data. */
export function Unavailable({ what, methods, children }: { what: string; methods: string[]; children?: ReactNode }) {
  return (
    <div className="pad unavailable" role="note" data-testid="unavailable">
      <p>
        <strong>{what} is not available</strong> with this Mira server: it does not answer {methods.map((m, i) => (
          <span key={m}>
            {i > 0 && (i === methods.length - 1 ? ' or ' : ', ')}
            <code>{m}</code>
          </span>
        ))}{' '}
        yet.
      </p>
      {children ?? <p className="muted">Update Mira (or the server you connect to); everything else keeps working.</p>}
    </div>
  );
}

/** An error with its hint and a retry button; an `unknown_method` error becomes the "not available" state. */
export function ErrorNotice({ error, what, methods, onRetry }: { error: ErrorInfo; what: string; methods?: string[]; onRetry?: () => void }) {
  if (isUnavailable(error)) return <Unavailable what={what} methods={methods ?? [methodOf(error.message)]} />;
  return (
    <div className="error-box pad" role="alert">
      <p>
        Could not load {what.toLowerCase()}: {error.message}
      </p>
      {error.hint && <p className="muted">{uiHint(error.hint)}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

function methodOf(message: string): string {
  return /unknown method "([^"]+)"/.exec(message)?.[1] ?? 'the method';
}

/** A small inline error (inside a form or a row), with the hint on hover and for screen readers. */
export function InlineError({ error }: { error: ErrorInfo | null }) {
  if (!error) return null;
  return (
    <div className="error-box small" role="alert">
      {error.message}
      {error.hint ? <span className="muted"> — {uiHint(error.hint)}</span> : null}
    </div>
  );
}
