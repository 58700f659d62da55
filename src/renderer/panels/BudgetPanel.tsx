// The Budget panel: today's and this month's LLM spend against the limits, spend per day, the cache's hit rate and savings, and editable limits.
import { useEffect } from 'react';
import { LimitsForm } from '../components/LimitsForm';
import { ErrorNotice, Loading } from '../components/PanelState';
import { SpendChart, usd } from '../components/SpendChart';
import { useBudget, type Budget } from '../stores/budget';

function Gauge({ label, spent, limit, testId }: { label: string; spent: number; limit: number; testId: string }) {
  const pct = limit > 0 ? Math.min(100, (spent / limit) * 100) : spent > 0 ? 100 : 0;
  return (
    <div className="gauge" data-testid={testId}>
      <div className="gauge-label">
        <span>{label}</span>
        <span className="spacer" />
        <span>
          <strong>{usd(spent)}</strong> <span className="muted">of {usd(limit)}</span>
        </span>
      </div>
      <div className={`gauge-track${pct >= 90 ? ' warn' : ''}`} role="meter" aria-label={`${label}: ${usd(spent)} of ${usd(limit)}`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={spent}>
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function BudgetPanel() {
  const status = useBudget((s) => s.status);
  const budget = useBudget((s) => s.budget);
  const error = useBudget((s) => s.error);
  useEffect(() => {
    void useBudget.getState().load();
  }, []);

  if (status === 'error' && error) return <ErrorNotice error={error} what="The budget" methods={['llm/budget']} onRetry={() => void useBudget.getState().load()} />;
  if (!budget) return <Loading what="the budget" />;
  const b = budget;
  return (
    <div className="panel budget-panel" data-testid="budget-panel">
      <div className="panel-scroll pad">
        {!b.configured && (
          <p className="muted small" role="note">
            No language model is configured, so nothing is spent. Configure one in Settings.
          </p>
        )}
        <div className="budget-grid">
          <div>
            <Gauge label="Today" spent={b.daily_spend_usd} limit={b.daily_limit_usd} testId="budget-today" />
            <Gauge label="This month" spent={b.monthly_spend_usd} limit={b.monthly_limit_usd} testId="budget-month" />
            {b.reserved_usd > 0 && <div className="muted small">{usd(b.reserved_usd)} held by calls in flight.</div>}
            <dl className="stats small">
              <dt>Cache hit rate</dt>
              <dd data-testid="cache-hit-rate">
                {(b.cache_hit_rate * 100).toFixed(1)}% <span className="muted">of {b.cache_lookups} lookups</span>
              </dd>
              <dt>Saved by the cache</dt>
              <dd>
                {usd(b.saved_usd)} this month <span className="muted">({usd(b.saved_usd_total)} ever)</span>
              </dd>
              <dt>Calls</dt>
              <dd>
                {b.calls_today} today, {b.calls} this month ({b.cache_hits} from the cache{b.failures ? `, ${b.failures} failed` : ''})
              </dd>
              <dt>Tokens this month</dt>
              <dd>
                {b.tokens_in.toLocaleString()} in, {b.tokens_out.toLocaleString()} out
              </dd>
              <dt>Model</dt>
              <dd>
                {b.model} <span className="muted">(effort {b.effort})</span>
              </dd>
            </dl>
          </div>
          <div>
            <SpendChart days={b.days} dailyLimit={b.daily_limit_usd} />
            {!!b.by_model.length && (
              <table className="data-table small" aria-label="Spend by model this month">
                <thead>
                  <tr>
                    <th>Model</th>
                    <th>Calls</th>
                    <th>Spend</th>
                    <th>Tokens in/out</th>
                  </tr>
                </thead>
                <tbody>
                  {b.by_model.map((m) => (
                    <tr key={m.model}>
                      <td>{m.model}</td>
                      <td>{m.calls}</td>
                      <td>{usd(m.cost_usd)}</td>
                      <td>
                        {m.tokens_in}/{m.tokens_out}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
        <LimitsForm budget={b} />
      </div>
    </div>
  );
}
