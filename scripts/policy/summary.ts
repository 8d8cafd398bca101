// What a policy keeps and refuses, device by device, as the policy command prints it: every refusal that may
// matter, with its evidence, so that nothing breaks silently.
import { usesController, usesHomeAssistant, type Policy } from './plan.js';

/** What the policy keeps and refuses, device by device: every refusal that may matter, with its evidence. */
export function summary(policy: Policy): string {
  const out: string[] = [];
  // Terminal output: strip control characters from data-borne text (URLs, names).
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  for (const d of policy.devices) {
    const c = d.counts;
    out.push(`${d.id} (${d.tag}): ${c.required} required, ${c.setupOnly} setup-only, ${c.unknownAllowed} unknown allowed, ${c.unknownDenied} unknown refused, ${c.wants} not required; refuse with ${d.refuse}`);
    if (!d.sources.v4.length && !d.sources.v6.length && !d.sources.macs.length) out.push(`  note: no address given for ${d.id}: the rules apply once you add it (see the file header)`);
    if (d.ipv6 === 'closed') out.push(`  IPv6: closed in both directions (${d.id} was given by IPv4 only); to open it to the policy, give its IPv6 addresses, its prefix (--lan and ${d.id}=<prefix>) or its MAC`);
    if (d.services.includes('ntp')) out.push('  NTP: allowed to any time server (UDP 123)');
    for (const l of d.local.filter((x) => x.peer === 'home-assistant')) out.push(`  Home Assistant: ${l.initiator === 'peer' ? 'may reach the device on' : 'reachable from the device on'} ${l.service.protocol}${l.service.ports.length ? ` ${l.service.ports.map((r) => (r.from === r.to ? r.from : `${r.from}-${r.to}`)).join(',')}` : ''} (${l.name})`);
    if (d.refuse === 'drop' && d.device.derived.refuseWith === 'reject') out.push(`  warning: the data says dropping breaks ${d.id}; consider --refuse reject`);
    const wildcards = d.allow.reduce((n, a) => n + a.to.domains.length, 0);
    if (wildcards) out.push(`  note: ${wildcards} wildcard destination(s) cannot be expressed in MUD, OPNsense and MikroTik lists and are refused there`);
    if (d.refused.length) out.push(`  ${policy.mode === 'log' ? 'would refuse' : 'refused'}:`);
    for (const r of d.refused) {
      out.push(`    ${r.kind === 'needed' ? 'NEEDED ' : ''}${clean(r.what)}: ${clean(r.why)}`);
      for (const e of r.evidence) out.push(`      evidence ${clean(e.id)} (${clean(e.type)}): ${clean(e.source)}`);
    }
  }
  if (policy.devices.some(usesHomeAssistant) && !policy.homeAssistant.v4.length && !policy.homeAssistant.v6.length) {
    out.push('  note: the devices talk to Home Assistant on the LAN: add --home-assistant <address>');
  }
  if (policy.devices.some(usesController) && !policy.controllers.v4.length && !policy.controllers.v6.length) {
    out.push('  note: a MUD profile names its controller (my-controller): add --controller <address> if you run one; nothing is assumed');
  }
  if (policy.mode === 'log') out.push('log-only mode: nothing is refused. Collect the kernel log lines with "netneeds dN refused:", run netneeds draft on them, then generate again without --mode log.');
  return out.map((l) => l + '\n').join('');
}
