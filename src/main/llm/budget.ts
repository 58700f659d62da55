// The spend ledger: every LLM call reserves its estimated cost before it is sent (refused past a daily or monthly limit), then settles with real usage.
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { scrub } from '../log';

export interface BudgetLimits {
  dailyUsd: number;
  monthlyUsd: number;
}

export type CallKind = 'chat' | 'embedding';

export interface ReserveInput {
  kind: CallKind;
  model: string;
  effort?: string | null;
  purpose?: string;
  estimateUsd: number;
  projectId?: number | null;
}

export interface Reservation {
  id: number;
  estimateUsd: number;
  day: string;
  month: string;
}

export interface SettleInput {
  tokensIn: number;
  tokensOut: number;
  tokensCached?: number;
  tokensReasoning?: number;
  costUsd: number;
  estimated?: boolean;
  tookMs?: number;
  /** The model that answered, when the server names another (aliases, snapshots). */
  model?: string;
}

export interface SpendNow {
  dayUsd: number;
  monthUsd: number;
  reservedDayUsd: number;
  reservedMonthUsd: number;
}

export interface DaySpend {
  day: string;
  cost_usd: number;
  calls: number;
  cache_hits: number;
  saved_usd: number;
}

export interface BudgetReport {
  daily_spend_usd: number;
  daily_limit_usd: number;
  monthly_spend_usd: number;
  monthly_limit_usd: number;
  daily_remaining_usd: number;
  monthly_remaining_usd: number;
  reserved_usd: number;
  calls: number;
  calls_today: number;
  cache_hits: number;
  failures: number;
  saved_usd: number;
  saved_usd_total: number;
  tokens_in: number;
  tokens_out: number;
  days: DaySpend[];
  by_model: { model: string; calls: number; cost_usd: number; tokens_in: number; tokens_out: number }[];
}

/** Money is compared with a little slack so that five calls of $0.01 fit a $0.05 limit despite floating point. */
const EPS = 1e-9;

export interface BudgetOptions {
  limits: () => BudgetLimits;
  now?: () => Date;
  /** A reservation not settled within this time belongs to a process that died; it stops holding budget. */
  reservationTtlMs?: number;
}

/**
 * The output a chat call is expected to produce, which is what its reservation prices (the prompt is counted exactly
 * by the caller). Reserving the maximum (max output tokens at full price: 8192 tokens at medium effort) held ~19x
 * what calls really cost and refused calls with budget left. The rule:
 * - with at least OUTPUT_HISTORY_MIN recent settled calls of the model: twice the 90th percentile of their output
 *   tokens (reasoning included), at least OUTPUT_FLOOR;
 * - without that history: OUTPUT_COLD tokens;
 * - never more than the call's max output tokens (a call cannot produce more).
 * Safety: a call that produces more than expected is still settled at its real cost, so the limit can be passed by at
 * most one call's excess, and the next call is refused.
 */
export const OUTPUT_FLOOR = 512;
export const OUTPUT_COLD = 1024;
export const OUTPUT_HISTORY_MIN = 3;
export const OUTPUT_HISTORY = 50;

export function expectedOutputTokens(maxOut: number, recentOut: readonly number[]): number {
  if (recentOut.length < OUTPUT_HISTORY_MIN) return Math.min(maxOut, OUTPUT_COLD);
  const sorted = [...recentOut].sort((x, y) => x - y);
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!;
  return Math.min(maxOut, Math.max(OUTPUT_FLOOR, 2 * p90));
}

export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function monthKey(d: Date): string {
  return dayKey(d).slice(0, 7);
}

export function usd(n: number): string {
  if (n === 0) return '$0.00';
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}

export class BudgetLedger {
  private readonly now: () => Date;
  private readonly ttl: number;
  private readonly q;

  constructor(private readonly db: Db, private readonly opts: BudgetOptions) {
    this.now = opts.now ?? (() => new Date());
    this.ttl = opts.reservationTtlMs ?? 30 * 60_000;
    this.q = {
      settledDay: db.prepare(`SELECT ifnull(sum(cost_usd), 0) AS v FROM budget_summary WHERE day = ?`),
      settledMonth: db.prepare(`SELECT ifnull(sum(cost_usd), 0) AS v FROM budget_summary WHERE month = ?`),
      heldDay: db.prepare(`SELECT ifnull(sum(reserved_usd), 0) AS v FROM budget_tracking WHERE status = 'reserved' AND expires_at_ms > ? AND day = ?`),
      heldMonth: db.prepare(`SELECT ifnull(sum(reserved_usd), 0) AS v FROM budget_tracking WHERE status = 'reserved' AND expires_at_ms > ? AND month = ?`),
      insert: db.prepare(`INSERT INTO budget_tracking (day, month, kind, purpose, model, effort, status, reserved_usd, project_id, expires_at_ms, from_cache, saved_usd,
          tokens_in, tokens_out, settled_at)
        VALUES (@day, @month, @kind, @purpose, @model, @effort, @status, @reserved_usd, @project_id, @expires_at_ms, @from_cache, @saved_usd, @tokens_in, @tokens_out, @settled_at)`),
      byId: db.prepare(`SELECT id, day, month, status FROM budget_tracking WHERE id = ?`),
      settle: db.prepare(`UPDATE budget_tracking SET status = 'settled', cost_usd = @cost_usd, tokens_in = @tokens_in, tokens_out = @tokens_out,
          tokens_cached = @tokens_cached, tokens_reasoning = @tokens_reasoning, usage_estimated = @usage_estimated, took_ms = @took_ms,
          model = ifnull(@model, model), settled_at = @settled_at WHERE id = @id`),
      release: db.prepare(`UPDATE budget_tracking SET status = 'released', error = ?, took_ms = ?, settled_at = ? WHERE id = ? AND status IN ('reserved', 'abandoned')`),
      addDay: db.prepare(`INSERT INTO budget_summary (day, month, calls, cache_hits, failures, cost_usd, saved_usd, tokens_in, tokens_out, tokens_cached, tokens_reasoning)
        VALUES (@day, @month, @calls, @cache_hits, @failures, @cost_usd, @saved_usd, @tokens_in, @tokens_out, @tokens_cached, @tokens_reasoning)
        ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls, cache_hits = cache_hits + excluded.cache_hits, failures = failures + excluded.failures,
          cost_usd = cost_usd + excluded.cost_usd, saved_usd = saved_usd + excluded.saved_usd, tokens_in = tokens_in + excluded.tokens_in,
          tokens_out = tokens_out + excluded.tokens_out, tokens_cached = tokens_cached + excluded.tokens_cached, tokens_reasoning = tokens_reasoning + excluded.tokens_reasoning`),
      sweep: db.prepare(`UPDATE budget_tracking SET status = 'abandoned' WHERE status = 'reserved' AND expires_at_ms <= ?`),
    };
  }

  /** Output tokens of the model's last settled chat calls (real usage only), newest first. */
  recentOutputTokens(model: string, n = OUTPUT_HISTORY): number[] {
    const rows = this.db
      .prepare(`SELECT tokens_out AS t FROM budget_tracking WHERE kind = 'chat' AND status = 'settled' AND model = ? AND tokens_out > 0 ORDER BY id DESC LIMIT ?`)
      .all(model, n) as { t: number }[];
    return rows.map((r) => r.t);
  }

  /** See expectedOutputTokens: the output a call of `model` allowed `maxOut` tokens is expected to produce. */
  expectedOutput(model: string, maxOut: number): number {
    return expectedOutputTokens(maxOut, this.recentOutputTokens(model));
  }

  limits(): BudgetLimits {
    return this.opts.limits();
  }

  /** Settled spend today and this month, and what in-flight calls hold on top of it. */
  spend(): SpendNow {
    const now = this.now();
    const day = dayKey(now);
    const month = monthKey(now);
    const ms = now.getTime();
    return {
      dayUsd: this.v(this.q.settledDay, day),
      monthUsd: this.v(this.q.settledMonth, month),
      reservedDayUsd: this.v(this.q.heldDay, ms, day),
      reservedMonthUsd: this.v(this.q.heldMonth, ms, month),
    };
  }

  /** How much of the tighter limit is used (0..1, held money included): lets context assembly get leaner as money runs out. */
  spentFraction(): number {
    const s = this.spend();
    const l = this.opts.limits();
    const frac = (spent: number, limit: number) => (limit > 0 ? spent / limit : spent > 0 ? 1 : 0);
    return Math.min(1, Math.max(frac(s.dayUsd + s.reservedDayUsd, l.dailyUsd), frac(s.monthUsd + s.reservedMonthUsd, l.monthlyUsd)));
  }

  /**
   * Holds `estimateUsd` against both limits, or refuses with `budget_exceeded`. BEGIN IMMEDIATE takes SQLite's write
   * lock before reading the spend, so two calls (in this process or another on the same database) can never both see
   * room for one more.
   */
  reserve(input: ReserveInput): Reservation {
    const estimate = Math.max(0, input.estimateUsd);
    const tx = this.db.transaction((): Reservation => {
      const now = this.now();
      const day = dayKey(now);
      const month = monthKey(now);
      const ms = now.getTime();
      const limits = this.opts.limits();
      if (estimate > 0) {
        const spentDay = this.v(this.q.settledDay, day) + this.v(this.q.heldDay, ms, day);
        if (spentDay + estimate > limits.dailyUsd + EPS) throw exceeded('daily', limits.dailyUsd, spentDay, estimate, input.model);
        const spentMonth = this.v(this.q.settledMonth, month) + this.v(this.q.heldMonth, ms, month);
        if (spentMonth + estimate > limits.monthlyUsd + EPS) throw exceeded('monthly', limits.monthlyUsd, spentMonth, estimate, input.model);
      }
      const r = this.q.insert.run({
        day,
        month,
        kind: input.kind,
        purpose: input.purpose ?? null,
        model: input.model,
        effort: input.effort ?? null,
        status: 'reserved',
        reserved_usd: estimate,
        project_id: input.projectId ?? null,
        expires_at_ms: ms + this.ttl,
        from_cache: 0,
        saved_usd: 0,
        tokens_in: 0,
        tokens_out: 0,
        settled_at: null,
      });
      return { id: Number(r.lastInsertRowid), estimateUsd: estimate, day, month };
    });
    return tx.immediate();
  }

  /** Replaces the hold with what the call really cost. Settling twice is a no-op. */
  settle(id: number, s: SettleInput): void {
    this.db
      .transaction(() => {
        const row = this.q.byId.get(id) as { id: number; day: string; month: string; status: string } | undefined;
        if (!row || (row.status !== 'reserved' && row.status !== 'abandoned')) return;
        this.q.settle.run({
          id,
          cost_usd: s.costUsd,
          tokens_in: s.tokensIn,
          tokens_out: s.tokensOut,
          tokens_cached: s.tokensCached ?? 0,
          tokens_reasoning: s.tokensReasoning ?? 0,
          usage_estimated: s.estimated ? 1 : 0,
          took_ms: s.tookMs ?? null,
          model: s.model ?? null,
          settled_at: this.now().toISOString(),
        });
        this.q.addDay.run({
          day: row.day,
          month: row.month,
          calls: 1,
          cache_hits: 0,
          failures: 0,
          cost_usd: s.costUsd,
          saved_usd: 0,
          tokens_in: s.tokensIn,
          tokens_out: s.tokensOut,
          tokens_cached: s.tokensCached ?? 0,
          tokens_reasoning: s.tokensReasoning ?? 0,
        });
      })
      .immediate();
  }

  /** A call that failed before costing anything gives its hold back. */
  release(id: number, error?: string, tookMs?: number): void {
    this.db
      .transaction(() => {
        const row = this.q.byId.get(id) as { day: string; month: string; status: string } | undefined;
        if (!row) return;
        const changed = this.q.release.run(error ? scrub(error).slice(0, 500) : null, tookMs ?? null, this.now().toISOString(), id).changes;
        if (changed) this.q.addDay.run({ day: row.day, month: row.month, calls: 0, cache_hits: 0, failures: 1, cost_usd: 0, saved_usd: 0, tokens_in: 0, tokens_out: 0, tokens_cached: 0, tokens_reasoning: 0 });
      })
      .immediate();
  }

  /** A call answered from the cache: it cost nothing and saved what the original call cost. */
  recordCached(input: { kind: CallKind; model: string; effort?: string | null; purpose?: string; savedUsd: number; tokensIn?: number; tokensOut?: number; projectId?: number | null }): void {
    const now = this.now();
    const day = dayKey(now);
    const month = monthKey(now);
    this.db
      .transaction(() => {
        this.q.insert.run({
          day,
          month,
          kind: input.kind,
          purpose: input.purpose ?? null,
          model: input.model,
          effort: input.effort ?? null,
          status: 'cached',
          reserved_usd: 0,
          project_id: input.projectId ?? null,
          expires_at_ms: null,
          from_cache: 1,
          saved_usd: input.savedUsd,
          tokens_in: input.tokensIn ?? 0,
          tokens_out: input.tokensOut ?? 0,
          settled_at: now.toISOString(),
        });
        this.q.addDay.run({ day, month, calls: 1, cache_hits: 1, failures: 0, cost_usd: 0, saved_usd: input.savedUsd, tokens_in: 0, tokens_out: 0, tokens_cached: 0, tokens_reasoning: 0 });
      })
      .immediate();
  }

  /** Marks the holds of dead processes as abandoned; they already stopped counting once expired. */
  sweep(): number {
    return this.q.sweep.run(this.now().getTime()).changes;
  }

  report(days = 30): BudgetReport {
    const now = this.now();
    const today = dayKey(now);
    const month = monthKey(now);
    const limits = this.opts.limits();
    const spend = this.spend();
    const m = this.db
      .prepare(
        `SELECT ifnull(sum(calls),0) AS calls, ifnull(sum(cache_hits),0) AS cache_hits, ifnull(sum(failures),0) AS failures, ifnull(sum(saved_usd),0) AS saved,
          ifnull(sum(tokens_in),0) AS tin, ifnull(sum(tokens_out),0) AS tout FROM budget_summary WHERE month = ?`,
      )
      .get(month) as { calls: number; cache_hits: number; failures: number; saved: number; tin: number; tout: number };
    const t = this.db.prepare(`SELECT calls FROM budget_summary WHERE day = ?`).get(today) as { calls: number } | undefined;
    const savedTotal = (this.db.prepare(`SELECT ifnull(sum(saved_usd),0) AS v FROM budget_summary`).get() as { v: number }).v;
    const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
    const rows = this.db
      .prepare(`SELECT day, cost_usd, calls, cache_hits, saved_usd FROM budget_summary WHERE day >= ? ORDER BY day`)
      .all(dayKey(first)) as DaySpend[];
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const series: DaySpend[] = [];
    for (let i = 0; i < days; i++) {
      const d = dayKey(new Date(first.getFullYear(), first.getMonth(), first.getDate() + i));
      series.push(byDay.get(d) ?? { day: d, cost_usd: 0, calls: 0, cache_hits: 0, saved_usd: 0 });
    }
    const byModel = this.db
      .prepare(
        `SELECT model, count(*) AS calls, ifnull(sum(cost_usd),0) AS cost_usd, ifnull(sum(tokens_in),0) AS tokens_in, ifnull(sum(tokens_out),0) AS tokens_out
         FROM budget_tracking WHERE month = ? AND status IN ('settled', 'cached') GROUP BY model ORDER BY cost_usd DESC, calls DESC`,
      )
      .all(month) as BudgetReport['by_model'];
    return {
      daily_spend_usd: round6(spend.dayUsd),
      daily_limit_usd: limits.dailyUsd,
      monthly_spend_usd: round6(spend.monthUsd),
      monthly_limit_usd: limits.monthlyUsd,
      daily_remaining_usd: round6(Math.max(0, limits.dailyUsd - spend.dayUsd - spend.reservedDayUsd)),
      monthly_remaining_usd: round6(Math.max(0, limits.monthlyUsd - spend.monthUsd - spend.reservedMonthUsd)),
      reserved_usd: round6(spend.reservedMonthUsd),
      calls: m.calls,
      calls_today: t?.calls ?? 0,
      cache_hits: m.cache_hits,
      failures: m.failures,
      saved_usd: round6(m.saved),
      saved_usd_total: round6(savedTotal),
      tokens_in: m.tin,
      tokens_out: m.tout,
      days: series.map((d) => ({ ...d, cost_usd: round6(d.cost_usd), saved_usd: round6(d.saved_usd) })),
      by_model: byModel.map((r) => ({ ...r, cost_usd: round6(r.cost_usd) })),
    };
  }

  private v(stmt: { get: (...a: unknown[]) => unknown }, ...args: unknown[]): number {
    return (stmt.get(...args) as { v: number }).v;
  }
}

function exceeded(which: 'daily' | 'monthly', limit: number, spent: number, estimate: number, model: string): MiraError {
  const period = which === 'daily' ? 'today' : 'this month';
  return new MiraError(
    'budget_exceeded',
    `this ${model} call (estimated ${usd(estimate)}) would pass the ${which} limit of ${usd(limit)}: ${usd(spent)} spent ${period}`,
    which === 'daily'
      ? 'raise it with `mira budget set --daily N` (or MIRA_DAILY_LIMIT_USD), or wait until tomorrow'
      : 'raise it with `mira budget set --monthly N` (or MIRA_MONTHLY_LIMIT_USD), or wait until next month',
  );
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
