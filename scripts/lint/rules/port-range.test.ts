import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const withPorts = (ports: unknown[]) => ({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), service: 'tuya', ports }] }); // an unknown service, so port-service stays quiet

describe('port-range', () => {
  it('stays silent on ports and ranges in 1-65535 that do not overlap', () => {
    expect(lintDevice(withPorts([1, 443, '16500-65000', 65535])).problems).toEqual([]);
  });

  it('leaves single ports outside 1-65535 to the schema (which editors see too), at the item', () => {
    for (const [ports, index] of [[[0], 0], [[443, 65536], 1]] as const) {
      const { text, problems } = lintDevice(withPorts([...ports]));
      expect(brief(problems), String(ports)).toEqual([err('schema', lineOf(text, 'ports:'))]);
      expect(problems[0]!.message).toBe(`port ${ports[index]} is outside 1–65535`);
      const line = text.split('\n')[problems[0]!.line - 1]!;
      expect(line.slice(problems[0]!.col - 1).startsWith(String(ports[index]))).toBe(true);
    }
  });

  it('catches each bad port at its own position in a flow list', () => {
    const cases: [unknown[], number, RegExp][] = [
      [['1000-70000'], 0, /outside/],
      [['2000-1000'], 0, /runs high to low/],
      [[443, '443-443'], 1, /is a single port/],
      [['1000-2000', 1500], 1, /port 1500 overlaps 1000-2000/],
      [[80, '8000-9000', '8500-8600'], 2, /overlaps 8000-9000/],
    ];
    for (const [ports, index, message] of cases) {
      const { text, problems } = lintDevice(withPorts(ports));
      expect(brief(problems), String(ports)).toEqual([err('port-range', lineOf(text, 'ports:'))]);
      expect(problems[0]!.message, String(ports)).toMatch(message);
      const line = text.split('\n')[problems[0]!.line - 1]!;
      const item = ports[index]!;
      expect(line.slice(problems[0]!.col - 1).replace(/^"/, '').startsWith(String(item)), String(ports)).toBe(true);
    }
  });

  it('hints the repaired range', () => {
    expect(lintDevice(withPorts(['2000-1000'])).problems[0]!.hint).toBe('write "1000-2000"');
    expect(lintDevice(withPorts(['443-443'])).problems[0]!.hint).toBe('write 443');
  });

  it('checks source ports as it checks ports', () => {
    const device = { ...baseDevice(), endpoints: [{ ...baseEndpoint(), service: 'tuya', ports: [443], 'source-ports': ['2000-1000'] }] };
    const { text, problems } = lintDevice(device);
    expect(brief(problems)).toEqual([err('port-range', lineOf(text, 'source-ports:'))]);
    expect(problems[0]!.message).toBe('port range "2000-1000" runs high to low');
  });
});
