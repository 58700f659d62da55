// What the page shows before it has an API: connecting, or why it has none (missing or wrong token, server gone).
import { useConnection } from '../stores/connection';

export function ConnectionScreen() {
  const status = useConnection((s) => s.status);
  const error = useConnection((s) => s.error);
  const link = useConnection((s) => s.link);
  if (status === 'connecting' || (status === 'lost' && link === 'down')) {
    return (
      <main className="center-screen" role="status">
        <p className="muted">{status === 'lost' ? 'Reconnecting to Mira…' : 'Connecting to Mira…'}</p>
      </main>
    );
  }
  return (
    <main className="center-screen">
      <div className="error-card" role="alert" data-testid="connection-error">
        <h1>{status === 'lost' ? 'This page’s access token is no longer accepted' : 'No access to Mira'}</h1>
        <p>{error?.message ?? 'The page could not reach the Mira API.'}</p>
        {error?.hint && <p className="muted">{error.hint}</p>}
        {status === 'lost' && (
          <button type="button" className="primary" onClick={() => location.reload()}>
            Reload
          </button>
        )}
      </div>
    </main>
  );
}
