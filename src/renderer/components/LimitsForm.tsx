// The budget limits form (llm/setLimits), shared by the Budget and Settings panels.
import { useEffect, useState, type FormEvent } from 'react';
import { useBudget, type Budget } from '../stores/budget';
import { InlineError } from './PanelState';

const usd = (n: number): string => (n === 0 ? '$0.00' : Math.abs(n) < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

export function LimitsForm({ budget }: { budget: Budget }) {
  const saving = useBudget((s) => s.saving);
  const saveError = useBudget((s) => s.saveError);
  const overridden = useBudget((s) => s.overriddenByEnv);
  const [daily, setDaily] = useState(String(budget.daily_limit_usd));
  const [monthly, setMonthly] = useState(String(budget.monthly_limit_usd));
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setDaily(String(budget.daily_limit_usd));
    setMonthly(String(budget.monthly_limit_usd));
  }, [budget.daily_limit_usd, budget.monthly_limit_usd]);
  const d = Number(daily);
  const m = Number(monthly);
  const valid = daily.trim() !== '' && monthly.trim() !== '' && Number.isFinite(d) && Number.isFinite(m) && d >= 0 && m >= 0;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setSaved(false);
    setSaved(await useBudget.getState().setLimits({ daily_usd: d, monthly_usd: m }));
  };
  return (
    <form className="limits-form" onSubmit={(e) => void submit(e)} aria-label="Budget limits">
      <label>
        Daily limit (USD)
        <input type="number" min={0} step="0.01" value={daily} onChange={(e) => setDaily(e.target.value)} data-testid="daily-limit" />
      </label>
      <label>
        Monthly limit (USD)
        <input type="number" min={0} step="0.01" value={monthly} onChange={(e) => setMonthly(e.target.value)} data-testid="monthly-limit" />
      </label>
      <button type="submit" disabled={!valid || saving}>
        {saving ? 'Saving…' : 'Save limits'}
      </button>
      {!valid && <span className="error-box small">Limits are amounts of zero or more.</span>}
      {valid && d < budget.daily_spend_usd && (
        <span className="small warning-text" role="status" data-testid="limit-below-spend">
          {usd(budget.daily_spend_usd)} is already spent today: with a daily limit of {usd(d)} every call is refused until tomorrow.
        </span>
      )}
      {valid && m < budget.monthly_spend_usd && (
        <span className="small warning-text" role="status">
          {usd(budget.monthly_spend_usd)} is already spent this month: with a monthly limit of {usd(m)} every call is refused until next month.
        </span>
      )}
      {saved && !saveError && <span className="muted small" role="status">Saved.</span>}
      {!!overridden.length && <span className="small warning-text">Overridden by {overridden.join(', ')} in the environment of the server.</span>}
      <InlineError error={saveError} />
    </form>
  );
}
