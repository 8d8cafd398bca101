import { h } from 'hastscript';
import type { Dataset } from '../scripts/build/types.js';
import { evidenceList, externalLink, paragraphs } from './components.js';
import { endpointTable } from './device-page.js';
import { deviceTable, devicePath } from './index-page.js';
import { page, rel } from './layout.js';

/** `devices`: the vendor's devices, when the caller has them grouped already. */
export function vendorPage(ds: Dataset, vendorId: string, devices = ds.devices.filter((d) => d.vendor === vendorId)): string {
  const v = ds.vendors.find((x) => x.id === vendorId)!;
  const numbers = new Map(v.evidence.map((e, i) => [e.id, i + 1]));
  const usersOf = (groupId: string) => devices.filter((d) => d.endpoints.some((e) => e.group === `${v.id}/${groupId}`));
  return page({
    title: v.name, depth: 2, meta: ds.meta, section: 'vendors', path: `vendors/${v.id}/`,
    description: `What ${v.name} devices need on the network versus what they merely want.`,
    body: [
      h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, [h('a', { href: rel(2, 'vendors/') }, 'Vendors')]),
      h('h1', v.name),
      ...(v.website ? [h('p', ['Website: ', externalLink(v.website, v.website)])] : []),
      ...(v.notes ? [h('div.notes', paragraphs(v.notes))] : []),
      h('h2', `Devices (${devices.length})`),
      devices.length ? deviceTable(ds, devices, 2, `${v.name} devices`) : h('p', 'No devices yet.'),
      h('h2', 'Shared endpoint groups'),
      ...(v.groups.length
        ? v.groups.flatMap((g) => {
          const users = usersOf(g.id);
          return [
            h('h3', { id: `group-${g.id}` }, g.name),
            ...(g.description ? paragraphs(g.description) : []),
            h('p.sub', users.length
              ? ['Used by ', ...users.flatMap((d, i) => [...(i ? [', '] : []), h('a', { href: rel(2, devicePath(d.id)) }, d.name)]), '.']
              : 'No device uses this group yet.'),
            ...endpointTable(g.endpoints, numbers, g.name),
          ];
        })
        : [h('p', 'This vendor has no shared endpoint groups: every device lists its own destinations.')]),
      ...(v.evidence.length ? [h('h2', 'Evidence'), evidenceList(v.evidence)] : []),
    ],
  });
}

export function vendorsPage(ds: Dataset): string {
  return page({
    title: 'Vendors', depth: 1, meta: ds.meta, section: 'vendors', path: 'vendors/',
    body: [
      h('h1', 'Vendors'),
      h('ul.vendor-list', ds.vendors.map((v) => h('li', [
        h('a', { href: `${v.id}/` }, v.name),
        h('span.sub', `${v.devices.length} device${v.devices.length === 1 ? '' : 's'}${v.groups.length ? `, ${v.groups.length} shared group${v.groups.length === 1 ? '' : 's'}` : ''}`),
      ]))),
    ],
  });
}
