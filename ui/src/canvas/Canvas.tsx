// The graph: React Flow showing the store's nodes and edges. Wiring asks the
// Rust checker (candidates while dragging, checkWire on drop); nothing here
// knows WIT typing.

import { useCallback, useEffect, useRef, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type FinalConnectionState,
  type OnConnectStartParams,
} from '@xyflow/react';
import { registerMeasurer, useStore, type FlowEdge, type FlowNode, type PortAddr } from '../store';
import { ComponentNode } from './ComponentNode';
import { FakeNode } from './FakeNode';
import { WireEdge } from './WireEdge';
import { dropTarget, groupDropOf, isCandidateConnection } from './connection';
import { LIBRARY_MIME, parseLibraryItem } from './dnd';

// Defined once, at module scope, so React Flow never re-creates node views.
const nodeTypes = { component: ComponentNode, fake: FakeNode };
const edgeTypes = { wire: WireEdge };
const MANY_NODES = 150;
/** Fitting the whole graph leaves room for the status line (top) and the
 *  mini map (bottom right). */
const FIT_ALL = { padding: { top: '56px', bottom: '24px', left: '48px', right: '180px' }, maxZoom: 1.1 } as const;

function minimapColor(n: FlowNode): string {
  return n.type === 'fake' ? 'var(--mock)' : 'var(--node-border-strong)';
}

export function Canvas() {
  const nodes = useStore((s) => s.flowNodes);
  const edges = useStore((s) => s.flowEdges);
  const onNodesChange = useStore((s) => s.onNodesChange);
  const onEdgesChange = useStore((s) => s.onEdgesChange);
  const dragging = useStore((s) => s.drag !== null && !s.drag.pending);
  const theme = useStore((s) => s.theme);
  const focus = useStore((s) => s.focus);
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const initialized = useNodesInitialized();
  const handledFocus = useRef(0);

  // Centre what the store asks for, once the nodes have sizes.
  useEffect(() => {
    if (!focus || !initialized || handledFocus.current === focus.seq) return;
    handledFocus.current = focus.seq;
    if (focus.nodes.length === 0) void rf.fitView({ ...FIT_ALL, duration: 250 });
    else void rf.fitView({ nodes: focus.nodes.map((id) => ({ id })), duration: 300, padding: 0.4, maxZoom: 1.1 });
  }, [focus, initialized, rf]);

  // Let the automatic layout use measured sizes and handle positions.
  useEffect(() => {
    registerMeasurer((id) => {
      const n = rf.getInternalNode(id);
      const width = n?.measured.width;
      const height = n?.measured.height;
      if (!n || !width || !height) return null;
      const bounds = n.internals.handleBounds;
      return {
        width,
        height,
        inPorts: (bounds?.target ?? []).map((h) => ({ id: h.id ?? '', y: h.y + h.height / 2 })),
        outPorts: (bounds?.source ?? []).map((h) => ({ id: h.id ?? '', y: h.y + h.height / 2 })),
      };
    });
    return () => registerMeasurer(null);
  }, [rf]);

  const onConnectStart = useCallback((_: unknown, p: OnConnectStartParams) => {
    if (!p.nodeId || !p.handleId) return;
    void useStore.getState().beginDrag({ node: p.nodeId, port: p.handleId }, p.handleType === 'source' ? 'export' : 'import');
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle || !c.targetHandle) return;
    const store = useStore.getState();
    // A drop on a collapsed group means its one candidate.
    void store.connect({ node: c.source, port: c.sourceHandle }, dropTarget(store, { node: c.target, port: c.targetHandle }));
  }, []);

  const onConnectEnd = useCallback((_: unknown, state: FinalConnectionState) => {
    const store = useStore.getState();
    const from = state.fromHandle;
    const to = state.toHandle;
    const onGroup = !state.isValid && to?.id && to.type === 'target' ? groupDropOf(store, { node: to.nodeId, port: to.id }) : null;
    store.endDrag();
    if (onGroup && onGroup.candidates.length > 1) {
      // Several ports of the group fit: open it, and let the person choose.
      const { group, candidates } = onGroup;
      store.setGroupExpanded(to!.nodeId, group.package, true);
      store.setStatus({
        text: `${candidates.length} imports of ${group.package} on ${to!.nodeId} can take this wire: drop it on one of them`,
        kind: 'info',
      });
      return;
    }
    if (state.isValid || !from || !to || !from.id || !to.id) return;
    if (from.nodeId === to.nodeId && from.id === to.id && from.type === to.type) return;
    if (from.type === to.type) {
      const what = from.type === 'source' ? 'exports' : 'imports';
      store.toast(`Both ends are ${what}: a wire runs from an export to an import.`, 'error');
      store.setStatus({ text: `Wire refused: both ends are ${what}`, kind: 'error' });
      return;
    }
    // Dropped on a port the checker did not offer: ask it why, and say so.
    const a: PortAddr = { node: from.nodeId, port: from.id };
    // On a collapsed group that nothing in fits, ask about the port it shows first.
    const b: PortAddr = { node: to.nodeId, port: onGroup ? onGroup.group.ports[0].name : to.id };
    void (from.type === 'source' ? store.connect(a, b) : store.connect(b, a));
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(LIBRARY_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const item = parseLibraryItem(e.dataTransfer.getData(LIBRARY_MIME));
      if (!item) return;
      e.preventDefault();
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const store = useStore.getState();
      if (item.kind === 'component') store.addNode(item.id, at);
      else store.addFakeNode(item.fake, at);
    },
    [rf],
  );

  return (
    <div
      className={`pb-canvas ${dragging ? 'is-wiring' : ''}`}
      data-testid="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnectStart={onConnectStart}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isCandidateConnection}
        connectionMode={ConnectionMode.Strict}
        connectionRadius={24}
        connectOnClick={false}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        onlyRenderVisibleElements={nodes.length > MANY_NODES}
        colorMode={theme}
        minZoom={0.05}
        maxZoom={2}
        fitView
        fitViewOptions={FIT_ALL}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <MiniMap<FlowNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          ariaLabel="Mini map"
          style={{ width: 150, height: 100 }}
        />
        <Controls showInteractive={false} aria-label="Zoom controls" />
      </ReactFlow>
    </div>
  );
}
