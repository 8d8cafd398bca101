// Runs inside a test namespace: resolves names through a DNS server, then tries TCP connections.
// Targets: host:port, [ipv6]:port, or dns@<server>:<name> (which address the server gives for the name).
// Prints one JSON result per target: open, refused (RST or ICMP), timeout, or a DNS failure.
import { connect } from 'node:net';
import { promises as dns } from 'node:dns';

const [server, ...targets] = process.argv.slice(2);
const resolverFor = (s) => { const r = new dns.Resolver({ timeout: 2000, tries: 1 }); r.setServers([s]); return r; };
const resolver = resolverFor(server);

function tryConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.on('connect', () => { socket.destroy(); resolve('open'); });
    socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
    socket.on('error', (e) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'EACCES' ? 'refused' : e.code));
  });
}

const results = [];
for (const target of targets) {
  if (target.startsWith('dns@')) {
    const [at, name] = target.slice(4).split(':');
    try { const [address] = await resolverFor(at).resolve4(name); results.push({ target, address, result: 'answered' }); }
    catch (e) { results.push({ target, result: `dns:${e.code}` }); }
    continue;
  }
  const v6 = /^\[(.+)\]:(\d+)$/.exec(target);
  const [host, port] = v6 ? [v6[1], v6[2]] : target.split(':');
  let address = host;
  if (!v6 && !/^[0-9.]+$/.test(host)) {
    try { [address] = await resolver.resolve4(host); } catch (e) { results.push({ target, result: `dns:${e.code}` }); continue; }
  }
  results.push({ target, address, result: await tryConnect(address, Number(port)) });
}
process.stdout.write(JSON.stringify(results) + '\n');
