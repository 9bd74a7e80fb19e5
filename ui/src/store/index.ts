export * from './store';
export * from './selectors';
export type { FakeNode, Clipboard } from './doc';
export {
  wireId,
  fakeEdgeId,
  fakeNodeId,
  isFakeNodeId,
  fakeOfNodeId,
  selectorOf,
  parseExactSelector,
  portKey,
  FAKE_PORT,
  baseName,
} from './doc';
export * from './backend';
