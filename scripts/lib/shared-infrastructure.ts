// Names that serve many products at once. A DNS blocklist applies to every client of the resolver, so blocking one
// of these (or a domain above it) for a device that does not need it breaks phones, browsers and TVs in the same
// house. No generated blocklist ever holds them; the firewall rules still refuse them per device.
// Maintained by hand: add a name with the source that shows it is shared. Kept in sorted order within each group.

export interface SharedGroup {
  what: string;
  source: string;
  /** Names that are shared themselves (blocking a name below them is fine, e.g. one bucket or distribution). */
  exact?: string[];
  /** Names whose every subdomain is shared too (YouTube's video caches, Netflix's hosts). */
  subtree?: string[];
  /** Shared endpoints that follow a pattern (S3's regional endpoints). */
  patterns?: RegExp[];
  /** Domains under which the provider hands out names to every customer: a wildcard on them means everyone. */
  tenants?: string[];
}

export const SHARED_INFRASTRUCTURE: readonly SharedGroup[] = [
  {
    what: 'Firebase Cloud Messaging: push notifications for every Android phone and many apps',
    source: 'https://firebase.google.com/docs/cloud-messaging/http-server-ref',
    exact: ['fcm.googleapis.com', 'mtalk.google.com'],
  },
  {
    what: 'Android connectivity and captive-portal checks: phones mark Wi-Fi as having no internet without them',
    source: 'https://android.googlesource.com/platform/packages/modules/NetworkStack/+/refs/heads/main/res/values/config.xml',
    exact: ['clients1.google.com', 'clients3.google.com', 'connectivitycheck.gstatic.com', 'www.google.com'],
  },
  {
    what: 'Chrome and Google services: updates, variations, sign-in, fonts and scripts of most websites',
    source: 'https://support.google.com/chrome/a/answer/6334001',
    exact: [
      'ajax.googleapis.com', 'android.clients.google.com', 'clients2.google.com', 'clients4.google.com', 'clientservices.googleapis.com',
      'fonts.googleapis.com', 'fonts.gstatic.com', 'ssl.gstatic.com', 'tools.google.com', 'www.googleapis.com', 'www.gstatic.com',
    ],
  },
  {
    what: 'Google Cloud Storage: the shared endpoint of every bucket',
    source: 'https://cloud.google.com/storage/docs/request-endpoints',
    exact: ['storage.googleapis.com'],
    tenants: ['googleapis.com'],
  },
  {
    what: 'YouTube: the site, its API, images and video caches, for every browser, phone and TV',
    source: 'https://support.google.com/a/answer/6214622',
    exact: ['youtubei.googleapis.com'],
    subtree: ['googlevideo.com', 'youtube-nocookie.com', 'youtube.com', 'ytimg.com'],
  },
  {
    what: 'Amazon S3: the shared (path-style and regional) endpoints of every bucket',
    source: 'https://docs.aws.amazon.com/general/latest/gr/s3.html',
    exact: ['s3.amazonaws.com'],
    tenants: ['amazonaws.com'],
    patterns: [/^s3[.-][a-z0-9-]+\.amazonaws\.com$/, /^s3\.dualstack\.[a-z0-9-]+\.amazonaws\.com$/],
  },
  {
    what: 'Amazon CloudFront: one domain for the distributions of every customer',
    source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Introduction.html',
    exact: ['cloudfront.net'],
    tenants: ['cloudfront.net'],
  },
  {
    what: 'Netflix: API and video hosts every Netflix client uses (listed by TVs and sticks of several makers in this dataset)',
    source: 'devices/roku/roku-tv.yaml, devices/humax/dtr-t2100.yaml, devices/amazon/fire-tv.yaml',
    subtree: ['netflix.com', 'nflxext.com', 'nflximg.net', 'nflxso.net', 'nflxvideo.net'],
  },
  {
    what: 'Apple: captive-portal check and time for every iPhone, iPad and Mac',
    source: 'https://support.apple.com/en-us/101555',
    exact: ['captive.apple.com', 'time-ios.apple.com', 'time.apple.com'],
  },
  {
    what: 'Public time servers many devices share',
    source: 'https://developers.google.com/time/guides',
    exact: ['time.google.com', 'time1.google.com', 'time2.google.com', 'time3.google.com', 'time4.google.com'],
  },
];

const exact = new Set(SHARED_INFRASTRUCTURE.flatMap((g) => g.exact ?? []));
const subtree = new Set(SHARED_INFRASTRUCTURE.flatMap((g) => g.subtree ?? []));
const patterns = SHARED_INFRASTRUCTURE.flatMap((g) => g.patterns ?? []);
/** Every shared name and every name above one: blocking any of these as a domain would take a shared name along. */
const protectedAbove = new Set<string>();
for (const name of [...exact, ...subtree]) {
  protectedAbove.add(name);
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) protectedAbove.add(name.slice(i + 1));
}

/** The group that makes a name shared, when blocking it (as a host) would hit shared infrastructure. */
export function sharedHost(name: string): SharedGroup | undefined {
  const hit = (g: SharedGroup) => g.exact?.includes(name) || g.patterns?.some((p) => p.test(name)) ||
    g.subtree?.some((s) => name === s || name.endsWith(`.${s}`));
  if (!exact.has(name) && !patterns.some((p) => p.test(name)) && !inSubtree(name)) return undefined;
  return SHARED_INFRASTRUCTURE.find(hit);
}

function inSubtree(name: string): boolean {
  if (subtree.has(name)) return true;
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) if (subtree.has(name.slice(i + 1))) return true;
  return false;
}

/** True when blocking the name, or (as a domain) every name below it, would hit shared infrastructure. */
export function isShared(name: string, asDomain: boolean): boolean {
  if (sharedHost(name)) return true;
  return asDomain && protectedAbove.has(name);
}

const tenants = SHARED_INFRASTRUCTURE.flatMap((g) => g.tenants ?? []);

/** The shared cloud a wildcard base covers (it is a tenant domain or above one), if any. */
export function sharedCloud(base: string): SharedGroup | undefined {
  const t = tenants.find((x) => x === base || x.endsWith(`.${base}`));
  return t ? SHARED_INFRASTRUCTURE.find((g) => g.tenants?.includes(t)) : undefined;
}
