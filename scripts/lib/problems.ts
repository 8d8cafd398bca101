export type Severity = 'error' | 'warning';

export interface Problem {
  file: string;
  line: number;
  col: number;
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}

/** File names and messages come from pull requests: a raw newline or escape code could forge output lines or workflow commands. */
const visible = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function formatProblem(p: Problem): string {
  const head = visible(`${p.file}:${p.line}:${p.col}: ${p.rule}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
  return p.hint ? `${head}\n    hint: ${visible(p.hint)}` : head;
}

/** GitHub Actions workflow command; properties and message are escaped as the runner documents. */
export function formatAnnotation(p: Problem): string {
  const prop = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const text = p.hint ? `${p.rule}: ${p.message} (hint: ${p.hint})` : `${p.rule}: ${p.message}`;
  return `::${p.severity} file=${prop(p.file)},line=${p.line},col=${p.col},title=${prop(p.rule)}::${data(text)}`;
}

export function compareProblems(a: Problem, b: Problem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
