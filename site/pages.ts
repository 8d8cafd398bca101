// Every page of the site; each renders a hast tree, so device strings are escaped by the serializer.
export { collectDeviceDownloads } from './device-downloads.js';
export { devicePage } from './device-page.js';
export { devicePath, indexPage, SEARCH_DATA } from './index-page.js';
export { contributePage, downloadsPage } from './info-pages.js';
export { searchData } from './search-data.js';
export { vendorPage, vendorsPage } from './vendor-pages.js';
