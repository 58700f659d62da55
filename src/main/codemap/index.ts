// The code map's public surface for other capabilities (the oracle's hotspot note, the UI's data) and the composition root.
export { CodemapService, codemapOf, registerCodemapStages, hotspotNote } from './service';
export type { HotspotResult, HotspotSymbol } from './hotspots';
export type { QualityRow, QualitySort } from './quality';
export type { DomainResult, DomainEdge } from './domains';
export type { TreemapNode } from './treemap';
export type { Trend, TrendPoint } from './trend';
export { HotspotPrior } from './prior';
