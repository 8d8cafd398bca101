// The one progress line of every long command (draft, validate, fix, build): on stderr, only when stderr is a
// terminal, so CI logs and pipes never see it. It redraws in place, at most four times a second, and is wiped
// when the work ends or is interrupted, so that messages after it start on a clean line.

export interface StatusLine {
  /** Draws `text` over the line, unless it was drawn less than 250 ms ago (`force` draws anyway). */
  show(text: string, force?: boolean): void;
  /** Wipes the line, if anything was drawn. */
  done(): void;
}

const INTERVAL_MS = 250;
let active: StatusLine | null = null;

/** A status line on stderr, or null when stderr is not a terminal. */
export function statusLine(stream: NodeJS.WriteStream = process.stderr): StatusLine | null {
  if (!stream.isTTY) return null;
  active?.done();
  let shown = 0;
  let drawn = false;
  const line: StatusLine = {
    show(text, force = false) {
      const now = Date.now();
      if (!force && now - shown < INTERVAL_MS) return;
      shown = now;
      drawn = true;
      // A line longer than the terminal wraps, and \r would then wipe only its last row.
      const width = Math.max(10, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[K${text.length > width ? text.slice(0, width - 1) + '…' : text}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
      if (active === line) active = null;
    },
  };
  active = line;
  return line;
}

/** Wipes the line being shown, if any, before an error message or on Ctrl+C; true when there was one. */
export function clearStatusLine(): boolean {
  if (!active) return false;
  active.done();
  return true;
}
