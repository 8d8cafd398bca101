// AdGuard Home querylog.json: one JSON object per line; the answer is the DNS response in base64 wire format.
// Old logs (2018) carry "Question"/"Answer"/"Time"/"IP"; current ones "T"/"QH"/"Answer"/"IP".
import { normalizeIp, type Format } from '../events.js';
import { parseDnsMessage } from '../dns-wire.js';
import { lineShare, readLines } from './text.js';

export const adguard: Format = {
  name: 'adguard',
  evidenceType: 'dns-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.startsWith('{') && l.includes('"IP"') && (l.includes('"QH"') || l.includes('"Question"'))),
  read: (path, sink, options) => readLines(path, options, true, () => (line) => {
    if (!line.startsWith('{')) return line.trim() === '' ? 'other' : 'not a JSON object';
    let rec: Record<string, unknown>;
    try { rec = JSON.parse(line) as Record<string, unknown>; } catch { return 'not valid JSON'; }
    const client = normalizeIp(String(rec.IP ?? ''));
    const time = Date.parse(String(rec.T ?? rec.Time ?? ''));
    if (!client) return 'no client IP';
    const answer = typeof rec.Answer === 'string' ? parseDnsMessage(Buffer.from(rec.Answer, 'base64')) : null;
    const question = typeof rec.Question === 'string' ? parseDnsMessage(Buffer.from(rec.Question, 'base64')) : null;
    const name = (typeof rec.QH === 'string' ? rec.QH.toLowerCase() : null) ?? answer?.question ?? question?.question;
    if (!name) return 'no question name';
    sink.emit({ kind: 'query', time, client, name });
    // A filtered answer (Result.IsFiltered) is AdGuard's own, not the name's.
    const filtered = typeof rec.Result === 'object' && rec.Result !== null && (rec.Result as Record<string, unknown>).IsFiltered === true;
    if (answer && !filtered) {
      for (const text of answer.addresses) {
        const address = normalizeIp(text);
        if (address) sink.emit({ kind: 'dns', time, client, name, address });
      }
    }
    return 'ok';
  }),
};
