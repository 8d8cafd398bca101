import type { FileKind, LoadedFile, PathSegment } from '../lib/load.js';
import type { Severity } from '../lib/problems.js';
import type { Rec } from '../lib/walk.js';

export interface ReportOptions { hint?: string; severity?: Severity; at?: 'key' | 'value'; /** Overrides the location found from the path. */ line?: number }
export type Report = (path: PathSegment[], message: string, options?: ReportOptions) => void;

/** What a rule may know of the other files: built once per run by the linter. */
export interface DatasetIndex {
  /** Every device id and alias, with the files that claim it. */
  claims: Map<string, { file: LoadedFile; path: PathSegment[] }[]>;
  /** Vendor files by vendor folder. */
  vendors: Map<string, LoadedFile>;
  /** `<vendor>/<group>` → the group's data. */
  groups: Map<string, Rec>;
  /** Evaluation date for "not in the future" checks (YYYY-MM-DD). */
  today: string;
}

export interface RuleContext {
  file: LoadedFile;
  data: Rec;
  dataset: DatasetIndex;
  report: Report;
}

export interface Rule {
  name: string;
  description: string;
  appliesTo: readonly FileKind[];
  check(ctx: RuleContext): void;
}
