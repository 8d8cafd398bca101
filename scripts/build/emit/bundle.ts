import type { Emitter } from './emitter.js';

/** dist/netneeds.json, exactly JSON.stringify(dataset) plus a newline, written device by device. */
export const bundleEmitter: Emitter = {
  name: 'bundle',
  dataset(dataset, out) {
    const { meta, vendors, devices } = dataset;
    out.writeChunks('netneeds.json', (function* () {
      yield `{"meta":${JSON.stringify(meta)},"vendors":${JSON.stringify(vendors)},"devices":[`;
      for (let i = 0; i < devices.length; i++) yield (i ? ',' : '') + JSON.stringify(devices[i]);
      yield ']}\n';
    })());
  },
};
