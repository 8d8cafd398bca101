import type { Emitter } from './emit/emitter.js';
import { bundleEmitter } from './emit/bundle.js';
import { apiEmitter } from './emit/api.js';
import { csvEmitter } from './emit/csv.js';
import { schemasEmitter } from './emit/schemas.js';
import { markdownEmitter } from './emit/markdown.js';
import { mudEmitter } from './emit/mud.js';
import { blocklistsEmitter } from './emit/blocklists.js';
import { siteEmitter } from './emit/site.js';

/** Every output of a build. The site's downloads page, written last, lists what the others wrote. */
export const EMITTERS: readonly Emitter[] = [bundleEmitter, apiEmitter, csvEmitter, schemasEmitter, markdownEmitter, mudEmitter, blocklistsEmitter, siteEmitter];
