// The operations capability's public face: the engine (start, review, apply, verify, undo, resume), its host contract, hunks and the store.
export { DEFAULT_MAX_ROUNDS, DEFAULT_MAX_STEPS, OpsService, type OpsHost, type OpsProject, type StartInput } from './engine';
export { computeHunks, diffStats, partialContent, type Hunk } from './hunks';
export { ACTIVE, OpsStore, TERMINAL, type ArtifactRow, type OperationOptions, type OperationRow, type OpStatus } from './store';
export { artifactInfo, operationSummary, operationView, stepInfo, type OperationSummaryData, type OperationViewData } from './view';
