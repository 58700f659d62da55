// The Activity panel: what Mira's services reported (activity/log events), newest at the bottom.
import { useActivity } from '../stores/activity';

export function ActivityPanel() {
  const entries = useActivity((s) => s.entries);
  if (!entries.length) return <div className="muted pad">No activity yet. Indexing, builds and assistant actions are listed here as they happen.</div>;
  return (
    <ol className="activity-list" aria-label="Activity log">
      {entries.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time>
          <span className="kind">{e.kind}</span>
          <span className="message">{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
