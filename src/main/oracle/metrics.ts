// Ranking metrics used by every evaluation: hit@k, recall@k and mean reciprocal rank.
export type RankingMetrics = Record<string, number> & { mrr: number };

export function rankingMetrics(ranked: string[][], golds: string[][], ks: number[] = [1, 3, 5, 10]): RankingMetrics {
  const n = golds.length || 1;
  const out: Record<string, number> = {};
  for (const k of ks) {
    let recall = 0;
    let hit = 0;
    ranked.forEach((r, i) => {
      const gold = new Set(golds[i]);
      if (!gold.size) return;
      const found = r.slice(0, k).filter((p) => gold.has(p)).length;
      recall += found / gold.size;
      hit += found > 0 ? 1 : 0;
    });
    out[`recall@${k}`] = round(recall / n);
    out[`hit@${k}`] = round(hit / n);
  }
  let mrr = 0;
  ranked.forEach((r, i) => {
    const gold = new Set(golds[i]);
    const at = r.findIndex((p) => gold.has(p));
    if (at >= 0) mrr += 1 / (at + 1);
  });
  out.mrr = round(mrr / n);
  return out as RankingMetrics;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
