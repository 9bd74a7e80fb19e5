// Builds one JavaScript component with componentize-js's JS API (its
// `jco componentize` CLI fails on paths here; see FIELD-NOTES).
//
// Usage: node build-js.mjs SOURCE WIT_DIR WORLD OUT
import { componentize } from '@bytecodealliance/componentize-js';
import { writeFile } from 'node:fs/promises';

const [sourcePath, witPath, worldName, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node build-js.mjs SOURCE WIT_DIR WORLD OUT');
  process.exit(2);
}
// The samples print nothing, read no clock and draw no random numbers:
// leaving those features out keeps WASI imports off the component, so that
// its ports are the world's own.
const { component } = await componentize({
  sourcePath,
  witPath,
  worldName,
  disableFeatures: ['random', 'stdio', 'clocks', 'http', 'fetch-event'],
});
await writeFile(out, component);
