// The detection pipeline without storage: mine the history, find shapes, synthesize and validate one tool per shape.
import { mineCommits, type ObjectReader, type MinedCommit, type RepoRef } from './history';
import { findShapes, type Shape, type ShapeOptions } from './shapes';
import { toolNameFor, type FileChoice } from './synthesize';
import { loadMaterial, newCaches, passes, Siblings, synthesizeAndValidate, type Validation } from './validate';
import type { ToolSpec } from './runtime';
import type { Score } from './metrics';

export interface SynthesizedShape {
  spec: ToolSpec;
  choices: Record<string, FileChoice>;
  validation: Validation;
  perCase: { sha: string; name: string; score: Score }[];
  validated: boolean;
}

export interface DetectedTool extends Partial<SynthesizedShape> {
  /** The shape's identity across runs: its sorted templates. */
  signature: string;
  name: string;
  shape: Shape;
  /** True when the stored tool still fits and nothing was synthesized. */
  reused: boolean;
}

/** A detected tool that was synthesized in this run. */
export type FreshTool = DetectedTool & SynthesizedShape;

export function isFresh(t: DetectedTool): t is FreshTool {
  return !t.reused && !!t.spec;
}

export function signatureOf(templates: string[]): string {
  return [...templates].sort().join('\n');
}

/** All commits of `range` that added files, newest first. */
export async function mineHistory(repo: RepoRef, range: string[]): Promise<MinedCommit[]> {
  const out: MinedCommit[] = [];
  for await (const c of mineCommits(repo, range)) out.push(c);
  return out;
}

export interface DetectOptions extends ShapeOptions {
  /** Names already given to shapes (signature -> name), so a tool keeps its name across detections. */
  names?: Map<string, string>;
  /** Skip synthesis for a shape whose examples did not change since the stored tool was made. */
  reuse?: (shape: Shape, signature: string) => boolean;
  onProgress?: (done: number, total: number) => void;
  /** Learn from the current files of each template too (default true). */
  siblings?: boolean;
}

/** Shapes -> validated tools. `commits` newest first. */
export async function detectTools(commits: MinedCommit[], reader: ObjectReader, opts: DetectOptions = {}): Promise<DetectedTool[]> {
  const shapes = findShapes(commits, opts);
  const taken = new Set<string>(opts.names?.values() ?? []);
  const out: DetectedTool[] = [];
  let done = 0;
  const caches = newCaches();
  const sib = new Siblings(reader, caches);
  for (const shape of shapes) {
    const signature = signatureOf(shape.templates);
    let name = opts.names?.get(signature);
    if (!name) {
      name = toolNameFor(shape.templates, taken);
      taken.add(name);
    }
    if (opts.reuse?.(shape, signature)) {
      out.push({ signature, name, shape, reused: true });
      opts.onProgress?.(++done, shapes.length);
      continue;
    }
    const material = await loadMaterial(reader, shape, caches);
    const r = await synthesizeAndValidate(shape, material, reader, name, caches, opts.siblings === false ? null : sib);
    out.push({ signature, name, shape, reused: false, spec: r.spec, choices: r.choices, validation: r.validation, perCase: r.perCase, validated: passes(r.validation) });
    opts.onProgress?.(++done, shapes.length);
  }
  return out;
}
