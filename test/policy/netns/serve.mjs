// A tiny TCP server for the namespace test: accepts on every port given (IPv4 and IPv6), writes "ok", closes.
// Says "listening" once every port is bound, so the test waits for real readiness.
import { createServer } from 'node:net';

const ports = process.argv.slice(2).map(Number);
await Promise.all(ports.map((port) => new Promise((resolve, reject) => {
  const server = createServer((socket) => { socket.on('error', () => {}); socket.end('ok\n'); });
  server.on('error', reject);
  server.listen({ port, host: '::', ipv6Only: false }, resolve);
})));
process.stdout.write(`listening on ${ports.join(' ')}\n`);
