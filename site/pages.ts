// Every page of the site; each renders a hast tree, so device strings are escaped by the serializer.
export { devicePage } from './device-page.js';
export { devicePath, indexPage, listPage, listPath, pageCount, SEARCH_DATA } from './index-page.js';
export { contributePage, downloadsPage, notFoundPage, verdictsPage } from './info-pages.js';
export { atomFeed, robotsTxt, sitemaps } from './feed.js';
export { builderScript, policyPage } from './policy-page.js';
export { searchData } from './search-data.js';
export { vendorPage, vendorsPage } from './vendor-pages.js';
