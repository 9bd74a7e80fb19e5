// The editor's side and bottom panels. The shell mounts them; they read and
// change the project through the store only.
import './panels.css';

export { InspectorPanel } from './InspectorPanel';
export { CapabilityPanel } from './CapabilityPanel';
export { RunPanel } from './RunPanel';
export { TraceTimeline } from './TraceTimeline';
export { ProblemsPanel } from './ProblemsPanel';
export { ExportDialog } from './ExportDialog';
export { OutputPanel } from './OutputPanel';
