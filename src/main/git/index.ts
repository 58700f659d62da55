// The git capability's public surface for other capabilities (build integration, oracle, code map).
export { GitService, type CommitSummary, type GitStatus } from './service';
export { recordFix, linkFixCommit, type RecordFixInput, type FixResult } from './fixes';
export { writeConceptExpertise, degreeOfAuthorship, type ExpertResult, type TruckFactor } from './expertise';
export type { CochangeResult, CochangeAnswer } from './cochange';
export type { SyncReport, SyncOptions } from './ingest';
export { gitServiceFor } from './stages';
