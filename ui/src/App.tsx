import { useEffect } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas';
import { ExportDialog } from './panels';
import {
  BottomPanel,
  ConfirmDialog,
  DiskChangeDialog,
  ImportDialog,
  LibraryPanel,
  NewProjectDialog,
  NoNodes,
  NoProject,
  Palette,
  RecoveryPrompt,
  RightPanel,
  StatusLine,
  Toasts,
  Toolbar,
  useApplyTheme,
  useOwnContextMenu,
  useShortcuts,
} from './shell';
import { useStore } from './store';

function Workspace() {
  const empty = useStore((s) => (s.doc ? s.doc.nodes.length === 0 && s.fakeNodes.length === 0 : false));
  return (
    <main className="pb-center" aria-label="Graph">
      <div className="pb-canvas-wrap">
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
        {empty && <NoNodes />}
        <StatusLine />
      </div>
      <BottomPanel />
    </main>
  );
}

export function App() {
  useApplyTheme();
  useShortcuts();
  useOwnContextMenu();
  const hasDoc = useStore((s) => s.doc !== null);
  const exportOpen = useStore((s) => s.exportOpen);
  const setExportOpen = useStore((s) => s.setExportOpen);

  useEffect(() => {
    void useStore.getState().startup();
  }, []);

  // Files dropped on the window reach the store as `filesDropped` events from
  // the desktop shell (with their paths). Keep the webview from navigating to
  // a dropped file instead.
  useEffect(() => {
    const keep = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  const title = useStore((s) => (s.doc ? `${s.dirty ? '● ' : ''}${s.doc.name} — Patchbay` : 'Patchbay'));
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div className={`pb-app ${hasDoc ? '' : 'pb-app--empty'}`}>
      <Toolbar />
      <LibraryPanel />
      {hasDoc ? <Workspace /> : <NoProject />}
      {hasDoc && <RightPanel />}
      <Palette />
      <RecoveryPrompt />
      <ConfirmDialog />
      <DiskChangeDialog />
      <NewProjectDialog />
      <ImportDialog />
      <ExportDialog open={exportOpen && hasDoc} onClose={() => setExportOpen(false)} />
      <Toasts />
    </div>
  );
}
