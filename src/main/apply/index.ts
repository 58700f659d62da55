// Public surface of the apply engine: pure applyEdit, the line diff, the atomic file writer, and the evaluation.

export { applyEdit, type ApplyResult, type ApplyOptions, type ApplyError, type EditFormat } from './apply';
export { diffSeq, unifiedDiff, type DiffOp, type UnifiedDiffOptions } from './diff';
export { atomicWriteFile, applyToFile, sha256, type ApplyToFileOptions, type ApplyToFileResult } from './write';
export { evaluateApply, metrics as applyMetrics, type ApplyCase, type ApplyMetrics } from './eval';
