// Policy scale: one policy over every synthetic device (10,000 by default), each with an IPv4 and an IPv6 address,
// rendered in every format. The dataset loads once, untimed; the figure is planning plus rendering.
import { FORMATS, generate, loadDataset } from '../policy/index.js';

interface Row { name: string; value: number; unit: string; budget?: number; note?: string }

const RUNS = Number(process.env.BENCH_POLICY_RUNS ?? 3);
/** Issue 10: a 10,000-device policy in every format generates in at most this many seconds. */
const BUDGET_S = 10;

export async function policyScale(devicesDir: string): Promise<Row[]> {
  const dataset = await loadDataset(devicesDir);
  if ('errors' in dataset) throw new Error(`synthetic dataset does not validate:\n${dataset.errors.slice(0, 5).join('\n')}`);
  const devices = dataset.devices.map((d, i) => ({ id: d.id, addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `fd00::${(i + 1).toString(16)}`] }));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const out = generate(dataset, { devices, homeAssistant: ['192.168.1.10'], profile: 'both', unknown: 'allow' }, FORMATS);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1e6);
    files = out.files.length;
    bytes = out.files.reduce((n, f) => n + f.file.content.length, 0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`  policy, ${devices.length} devices, every format   ${median(times).toFixed(2)} s   (runs: ${times.map((t) => t.toFixed(2)).join(', ')}; CPU ${median(cpuTimes).toFixed(2)} s; ${files} files, ${(bytes / 1e6).toFixed(1)} MB)`);
  return [
    { name: `policy: ${devices.length} devices, every format`, value: median(times), unit: 's', budget: BUDGET_S, note: `${files} files, ${(bytes / 1e6).toFixed(1)} MB` },
    { name: `policy: ${devices.length} devices, CPU time`, value: median(cpuTimes), unit: 's', note: 'user + system of this process; the wall figure includes waiting for a shared machine' },
  ];
}
