// Runs inside the "device" namespace: resolves names through the router's dnsmasq, then tries TCP connections.
// Prints one JSON result per target: open, refused (RST or ICMP), timeout, or a DNS failure.
import { connect } from 'node:net';
import { promises as dns } from 'node:dns';

const [server, ...targets] = process.argv.slice(2);
const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
resolver.setServers([server]);

function tryConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.on('connect', () => { socket.destroy(); resolve('open'); });
    socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
    socket.on('error', (e) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : e.code));
  });
}

const results = [];
for (const target of targets) {
  const [host, port] = target.split(':');
  let address = host;
  if (!/^[0-9.]+$/.test(host)) {
    try { [address] = await resolver.resolve4(host); } catch (e) { results.push({ target, result: `dns:${e.code}` }); continue; }
  }
  results.push({ target, address, result: await tryConnect(address, Number(port)) });
}
process.stdout.write(JSON.stringify(results) + '\n');
