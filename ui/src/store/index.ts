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
  samePort as samePortAddr,
  FAKE_PORT,
  baseName,
} from './doc';
export * from './backend';
export type { ComponentNodeData, FakeNodeData, ComponentFlowNode, FakeFlowNode, FlowNode, FlowEdge, WireEdgeData } from './flow';
export * from './metrics';
export * from './portGroups';
export { viewDoc, viewAnalysis, currentComposite, compositeOf } from './inside';
export type { InsideStep } from './inside';
export { suggestGroupName } from './compositeSlice';
