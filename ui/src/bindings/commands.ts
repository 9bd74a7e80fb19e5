// Generated from crates/patchbay-api by `BLESS=1 cargo test -p patchbay-api --test bindings`.
// Do not edit: change the Rust types and regenerate.

import type { AddComponentsRequest, Analysis, Candidates, CandidatesRequest, CheckFakeRequest, CheckGrantEntryRequest, CheckMockValueRequest, CheckWireRequest, ComponentView, DocRequest, Empty, ExportCompositeRequest, ExportPreview, ExportRequest, Exported, ExportedComposite, FakeName, FakeTargetsRequest, FakeView, GroupNodesRequest, Grouped, ImportFakesRequest, ImportPickRequest, ImportPlan, ImportPlanRequest, ImportProjectRequest, NewProjectRequest, OpenProjectRequest, OpenSampleRequest, OpenedProject, PortAddr, PresetEntry, RunReport, RunRequest, SampleComponentView, SampleView, SaveCompositeRequest, SaveRequest, Saved, SavedComposite, ServeInfo, ServeRequest, SessionCallRequest, SessionCalled, SessionInfo, SessionRequest, SessionTrace, SetDirtyRequest, ShowFolderRequest, UngroupNodeRequest, Ungrouped, Verdict } from "./types";
import { call } from "../ipc/transport";

/** The channel the backend emits `AppEvent`s on. */
export const EVENT_CHANNEL = "patchbay://event";

/** Every backend command, typed. Each rejects with an `ApiError`. */
export const commands = {
  startup: (request: Empty) => call<OpenedProject | null>("startup", request),
  openProject: (request: OpenProjectRequest) => call<OpenedProject>("open_project", request),
  samples: (request: Empty) => call<Array<SampleView>>("samples", request),
  openSample: (request: OpenSampleRequest) => call<OpenedProject>("open_sample", request),
  newProject: (request: NewProjectRequest) => call<OpenedProject>("new_project", request),
  importPlan: (request: ImportPlanRequest) => call<ImportPlan>("import_plan", request),
  importPick: (request: ImportPickRequest) => call<string>("import_pick", request),
  importProject: (request: ImportProjectRequest) => call<OpenedProject>("import_project", request),
  sampleComponents: (request: Empty) => call<Array<SampleComponentView>>("sample_components", request),
  addComponents: (request: AddComponentsRequest) => call<Array<ComponentView>>("add_components", request),
  analyze: (request: DocRequest) => call<Analysis>("analyze", request),
  candidates: (request: CandidatesRequest) => call<Candidates>("candidates", request),
  checkWire: (request: CheckWireRequest) => call<Verdict>("check_wire", request),
  checkMockValue: (request: CheckMockValueRequest) => call<Verdict>("check_mock_value", request),
  fakes: (request: Empty) => call<Array<FakeView>>("fakes", request),
  fakeTargets: (request: FakeTargetsRequest) => call<Array<PortAddr>>("fake_targets", request),
  importFakes: (request: ImportFakesRequest) => call<Array<FakeName>>("import_fakes", request),
  checkFake: (request: CheckFakeRequest) => call<Verdict>("check_fake", request),
  checkGrantEntry: (request: CheckGrantEntryRequest) => call<Verdict>("check_grant_entry", request),
  run: (request: RunRequest) => call<RunReport>("run", request),
  sessionCall: (request: SessionCallRequest) => call<SessionCalled>("session_call", request),
  sessionStatus: (request: SessionRequest) => call<SessionInfo>("session_status", request),
  compositionKey: (request: SessionRequest) => call<string>("composition_key", request),
  checkPreset: (request: PresetEntry) => call<Verdict>("check_preset", request),
  sessionReset: (request: Empty) => call<SessionInfo>("session_reset", request),
  sessionClear: (request: Empty) => call<SessionInfo>("session_clear", request),
  sessionTrace: (request: Empty) => call<SessionTrace>("session_trace", request),
  serveStart: (request: ServeRequest) => call<ServeInfo>("serve_start", request),
  serveStop: (request: Empty) => call<null>("serve_stop", request),
  save: (request: SaveRequest) => call<Saved>("save", request),
  saveRecovery: (request: DocRequest) => call<null>("save_recovery", request),
  discardRecovery: (request: Empty) => call<null>("discard_recovery", request),
  setDirty: (request: SetDirtyRequest) => call<null>("set_dirty", request),
  closeWindow: (request: Empty) => call<null>("close_window", request),
  exportPreview: (request: DocRequest) => call<ExportPreview>("export_preview", request),
  exportArtifacts: (request: ExportRequest) => call<Exported>("export_artifacts", request),
  showExportFolder: (request: ShowFolderRequest) => call<null>("show_export_folder", request),
  groupNodes: (request: GroupNodesRequest) => call<Grouped>("group_nodes", request),
  ungroupNode: (request: UngroupNodeRequest) => call<Ungrouped>("ungroup_node", request),
  exportComposite: (request: ExportCompositeRequest) => call<ExportedComposite>("export_composite", request),
  saveCompositeToLibrary: (request: SaveCompositeRequest) => call<SavedComposite>("save_composite_to_library", request),
};

/** The backend's command names, as the shell registers them. */
export const COMMAND_NAMES = ["startup", "open_project", "samples", "open_sample", "new_project", "import_plan", "import_pick", "import_project", "sample_components", "add_components", "analyze", "candidates", "check_wire", "check_mock_value", "fakes", "fake_targets", "import_fakes", "check_fake", "check_grant_entry", "run", "session_call", "session_status", "composition_key", "check_preset", "session_reset", "session_clear", "session_trace", "serve_start", "serve_stop", "save", "save_recovery", "discard_recovery", "set_dirty", "close_window", "export_preview", "export_artifacts", "show_export_folder", "group_nodes", "ungroup_node", "export_composite", "save_composite_to_library"] as const;
