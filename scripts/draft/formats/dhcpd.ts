// ISC dhcpd syslog lines: `dhcpd[812]: DHCPACK on 192.168.1.50 to 02:00:00:00:00:50 (plug) via eth0`, and the
// INFORM form `DHCPACK to 192.168.1.50 (02:00:00:00:00:50) via eth0`. They map a MAC to the address it was given,
// so `--device <mac>` finds the device in the other inputs; they name no destination themselves.
import { normalizeIp, normalizeMac, type Format } from '../events.js';
import { lineShare, readLines } from './text.js';

const ACK_ON = /DHCPACK on (\S+) to ([0-9a-fA-F:]{17})/;
const ACK_TO = /DHCPACK to (\S+) \(([0-9a-fA-F:]{17})\)/;

export const dhcpd: Format = {
  name: 'dhcpd',
  // A lease log names no destination: it ranks with DNS logs, below firewall logs and captures.
  evidenceType: 'dns-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => /dhcpd(\[\d+\])?: /.test(l)),
  read: (path, sink, options) => readLines(path, options, false, (clock) => (line) => {
    if (!/dhcpd(\[\d+\])?: /.test(line)) return 'other';
    const m = ACK_ON.exec(line) ?? ACK_TO.exec(line);
    if (!m) return line.includes('DHCPACK') ? 'DHCPACK without address and MAC' : 'other';
    const ip = normalizeIp(m[1]!);
    const mac = normalizeMac(m[2]!);
    if (!ip || !mac) return 'DHCPACK address or MAC is not valid';
    sink.emit({ kind: 'lease', time: clock.syslog(line), ip, mac });
    return 'ok';
  }),
};
