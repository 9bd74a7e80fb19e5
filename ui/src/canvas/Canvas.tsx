// The graph: React Flow showing the store's nodes and edges. Wiring asks the
// Rust checker (candidates while dragging, checkWire on drop); nothing here
// knows WIT typing. A node dropped on a wire is spliced into it (when the
// backend finds ports that fit); double-click or Tab opens the node search,
// right-click Patchbay's own context menu. Double-click on a composite node
// enters it (the breadcrumb leads back out).

import { useCallback, useEffect, useRef, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
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
import { registerMeasurer, registerViewport, useStore, type FlowEdge, type FlowNode } from '../store';
import { InsideBar } from './Breadcrumb';
import { ContextMenu } from './ContextMenu';
import { GroupPrompt } from './GroupPrompt';
import { NodeSearch } from './NodeSearch';
import { registerSearchOpener } from './popup';
import { wireUnderNode, type DrawnWire } from './splice';
import { fitRoute } from './route';
import { ComponentNode } from './ComponentNode';
import { FakeNode } from './FakeNode';
import { WireEdge } from './WireEdge';
import { dropTarget, endConnection, isCandidateConnection } from './connection';
import { LIBRARY_MIME, parseLibraryItem } from './dnd';

// Defined once, at module scope, so React Flow never re-creates node views.
const nodeTypes = { component: ComponentNode, fake: FakeNode };
const edgeTypes = { wire: WireEdge };
const MANY_NODES = 150;
/** Fitting the whole graph leaves room for the status line (top) and the
 *  mini map (bottom right). */
// Fit view never zooms past 100%: a small graph stays at its readable size.
const FIT_ALL = { padding: { top: '56px', bottom: '24px', left: '48px', right: '180px' }, maxZoom: 1 } as const;

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
  const inside = useStore((s) => s.inside.length > 0);
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const initialized = useNodesInitialized();
  const handledFocus = useRef(0);
  const boxRef = useRef<HTMLDivElement>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);

  // New nodes go near what is on screen (store/placement.ts).
  useEffect(() => {
    registerViewport(() => {
      const box = boxRef.current;
      if (!box || !box.clientWidth) return null;
      const { x, y, zoom } = rf.getViewport();
      return { x: -x / zoom, y: -y / zoom, width: box.clientWidth / zoom, height: box.clientHeight / zoom };
    });
    return () => registerViewport(null);
  }, [rf]);

  // Tab opens the node search at the pointer (or the middle of the canvas).
  useEffect(() => {
    registerSearchOpener(() => {
      const box = boxRef.current?.getBoundingClientRect();
      if (!box) return;
      const screen = pointer.current ?? { x: box.left + box.width / 2, y: box.top + box.height / 3 };
      useStore.getState().setNodeSearch({ at: rf.screenToFlowPosition(screen), screen });
    });
    return () => registerSearchOpener(null);
  }, [rf]);

  // Centre what the store asks for, once the nodes have sizes.
  useEffect(() => {
    if (!focus || !initialized || handledFocus.current === focus.seq) return;
    handledFocus.current = focus.seq;
    if (focus.nodes.length === 0) void rf.fitView({ ...FIT_ALL, duration: 250 });
    else void rf.fitView({ nodes: focus.nodes.map((id) => ({ id })), duration: 300, padding: 0.4, maxZoom: 1 });
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
    endConnection(useStore.getState(), state);
  }, []);

  // A node dropped on a wire: splice it in, if it fits (the store asks).
  const onNodeDragStop = useCallback(
    (_: unknown, node: FlowNode, dragged: FlowNode[]) => {
      if (dragged.length > 1 || node.type !== 'component') return;
      const own = rf.getInternalNode(node.id);
      const width = own?.measured.width;
      const height = own?.measured.height;
      if (!own || !width || !height) return;
      const handle = (id: string, handleId: string | null | undefined, side: 'source' | 'target') => {
        const n = rf.getInternalNode(id);
        const h = n?.internals.handleBounds?.[side]?.find((b) => b.id === handleId);
        if (!n || !h) return null;
        const at = n.internals.positionAbsolute;
        return { x: at.x + h.x + (side === 'source' ? h.width : 0), y: at.y + h.y + h.height / 2 };
      };
      const wires: DrawnWire[] = [];
      for (const e of useStore.getState().flowEdges) {
        if (e.data?.fake) continue;
        const source = handle(e.source, e.sourceHandle, 'source');
        const target = handle(e.target, e.targetHandle, 'target');
        if (!source || !target) continue;
        const stored = useStore.getState().wireRoutes[e.id];
        const route = stored ? fitRoute(stored, source, target) : null;
        wires.push({ id: e.id, source, target, ends: [e.source, e.target], route });
      }
      const box = { ...own.internals.positionAbsolute, width, height };
      const wire = wireUnderNode(node.id, box, wires);
      if (wire) void useStore.getState().spliceNode(node.id, wire);
    },
    [rf],
  );

  const menuAt = useCallback(
    (e: MouseEvent | ReactMouseEvent) => {
      e.preventDefault();
      const screen = { x: e.clientX, y: e.clientY };
      return { screen, at: rf.screenToFlowPosition(screen) };
    },
    [rf],
  );

  const onDoubleClick = useCallback(
    (e: ReactMouseEvent) => {
      if (!(e.target instanceof Element) || !e.target.classList.contains('react-flow__pane')) return;
      if (!useStore.getState().doc) return;
      useStore.getState().setNodeSearch(menuAt(e));
    },
    [menuAt],
  );

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

  // Inside a composite, the bar (the way out, the composite's ports) sits
  // above the graph's box, not over it: the graph is the box below.
  return (
    <div
      className={`pb-canvas ${dragging ? 'is-wiring' : ''} ${inside ? 'is-inside' : ''}`}
      data-testid="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
      onMouseMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
      onMouseLeave={() => (pointer.current = null)}
    >
      <InsideBar />
      <div ref={boxRef} className="pb-canvas__flow" data-testid="canvas-flow">
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
          onNodeDragStop={onNodeDragStop}
          onNodeDoubleClick={(_, n) => void (n.type === 'component' && useStore.getState().enterComposite(n.id))}
          onPaneContextMenu={(e) => useStore.getState().setContextMenu({ kind: 'pane', ...menuAt(e) })}
          onNodeContextMenu={(e, n) => useStore.getState().setContextMenu({ kind: 'node', node: n.id, ...menuAt(e) })}
          onEdgeContextMenu={(e, edge) => useStore.getState().setContextMenu({ kind: 'edge', edge: edge.id, ...menuAt(e) })}
          zoomOnDoubleClick={false}
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
      <ContextMenu fitView={() => void rf.fitView({ ...FIT_ALL, duration: 250 })} />
      <NodeSearch />
      <GroupPrompt />
    </div>
  );
}
