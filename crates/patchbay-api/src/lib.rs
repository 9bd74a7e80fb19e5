//! The operation surface of the Patchbay editor.
//!
//! Every command the editor can call is declared once, in
//! [`for_each_command!`], as `(name, Request, Response)`. The Tauri shell
//! turns the list into `#[tauri::command]` functions, the development
//! server `patchbay-api-http` into HTTP routes, and [`typescript`] into the
//! committed `ui/src/bindings/` files (a test fails when they drift). Each
//! command is a method of [`Session`] with the same name.
//!
//! Nothing here knows about Tauri: dialogs, the event channel and the window
//! are traits the shell implements.
//!
//! ```no_run
//! use patchbay_api::{Session, SessionOptions, OpenProjectRequest};
//! # async fn demo(dialogs: std::sync::Arc<dyn patchbay_api::Dialogs>,
//! #   events: std::sync::Arc<dyn patchbay_api::EventSink>,
//! #   window: std::sync::Arc<dyn patchbay_api::WindowControl>) -> Result<(), patchbay_api::ApiError> {
//! let session = Session::new(SessionOptions::default(), dialogs, events, window)?;
//! session.allow_path("samples/kv-service/patchbay.toml".as_ref());
//! let opened = session
//!     .open_project(OpenProjectRequest { path: Some("samples/kv-service".into()) })
//!     .await?;
//! assert!(opened.analysis.composed.is_some());
//! # Ok(()) }
//! ```

mod dto;
mod error;
mod paths;
mod session;
mod shell;
mod views;

pub use dto::*;
pub use error::{ApiError, ErrorCode};
pub use paths::{normalize, relative_to, PathGate};
pub use session::{create_project, Session, SessionOptions};
pub use shell::{Dialogs, EventSink, WindowControl};

/// The name of the event channel the shell emits [`AppEvent`]s on.
pub const EVENT_CHANNEL: &str = "patchbay://event";

/// Calls `$callback!` with every command as `(name, Request, Response)`.
/// The single declaration of the editor's operation surface.
#[macro_export]
macro_rules! for_each_command {
    ($callback:ident) => {
        $callback! {
            (startup, $crate::Empty, Option<$crate::OpenedProject>),
            (open_project, $crate::OpenProjectRequest, $crate::OpenedProject),
            (samples, $crate::Empty, Vec<$crate::SampleView>),
            (open_sample, $crate::OpenSampleRequest, $crate::OpenedProject),
            (new_project, $crate::NewProjectRequest, $crate::OpenedProject),
            (import_plan, $crate::ImportPlanRequest, $crate::ImportPlan),
            (import_pick, $crate::ImportPickRequest, String),
            (import_project, $crate::ImportProjectRequest, $crate::OpenedProject),
            (sample_components, $crate::Empty, Vec<$crate::SampleComponentView>),
            (add_components, $crate::AddComponentsRequest, Vec<$crate::ComponentView>),
            (analyze, $crate::DocRequest, $crate::Analysis),
            (candidates, $crate::CandidatesRequest, $crate::Candidates),
            (check_wire, $crate::CheckWireRequest, $crate::Verdict),
            (check_mock_value, $crate::CheckMockValueRequest, $crate::Verdict),
            (fakes, $crate::Empty, Vec<$crate::FakeView>),
            (fake_targets, $crate::FakeTargetsRequest, Vec<$crate::PortAddr>),
            (import_fakes, $crate::ImportFakesRequest, Vec<$crate::FakeName>),
            (check_fake, $crate::CheckFakeRequest, $crate::Verdict),
            (check_grant_entry, $crate::CheckGrantEntryRequest, $crate::Verdict),
            (run, $crate::RunRequest, $crate::RunReport),
            (session_call, $crate::SessionCallRequest, $crate::SessionCalled),
            (session_status, $crate::SessionRequest, $crate::SessionInfo),
            (composition_key, $crate::SessionRequest, String),
            (check_preset, $crate::PresetEntry, $crate::Verdict),
            (session_reset, $crate::Empty, $crate::SessionInfo),
            (session_clear, $crate::Empty, $crate::SessionInfo),
            (session_trace, $crate::Empty, $crate::SessionTrace),
            (serve_start, $crate::ServeRequest, $crate::ServeInfo),
            (serve_stop, $crate::Empty, ()),
            (save, $crate::SaveRequest, $crate::Saved),
            (save_recovery, $crate::DocRequest, ()),
            (discard_recovery, $crate::Empty, ()),
            (set_dirty, $crate::SetDirtyRequest, ()),
            (close_window, $crate::Empty, ()),
            (export_preview, $crate::DocRequest, $crate::ExportPreview),
            (export_artifacts, $crate::ExportRequest, $crate::Exported),
            (show_export_folder, $crate::ShowFolderRequest, ()),
            (group_nodes, $crate::GroupNodesRequest, $crate::Grouped),
            (ungroup_node, $crate::UngroupNodeRequest, $crate::Ungrouped),
            (export_composite, $crate::ExportCompositeRequest, $crate::ExportedComposite),
            (save_composite_to_library, $crate::SaveCompositeRequest, $crate::SavedComposite),
        }
    };
}

/// The TypeScript bindings: `(file name, contents)` for `ui/src/bindings/`.
pub fn typescript() -> Vec<(&'static str, String)> {
    use ts_rs::{Config, TS};
    let cfg = Config::new().with_large_int("number");
    let mut types = String::from(HEADER);
    macro_rules! decl {
        ($($t:ty),* $(,)?) => {
            $(
                types.push_str("export ");
                types.push_str(&<$t as TS>::decl(&cfg));
                types.push_str("\n\n");
            )*
        };
    }
    // Problem codes: the union of the core's list (see `dto::ProblemCode`).
    types.push_str("/**\n * What kind of problem checking found: a code of `patchbay-compose`, or\n * `invalid-document` for the document's own rules.\n */\nexport type ProblemCode = ");
    types.push_str(
        &ProblemCode::all()
            .map(|c| format!("\"{}\"", c.as_str()))
            .collect::<Vec<_>>()
            .join(" | "),
    );
    types.push_str(";\n\n");
    decl!(
        ApiError,
        ErrorCode,
        FailureKind,
        LimitName,
        RunMode,
        FunctionKind,
        TypeKind,
        GrantScope,
        PortAddr,
        ProjectDoc,
        ComponentEntry,
        NodeEntry,
        CompositeEntry,
        FakeNodeEntry,
        PresetEntry,
        WireEntry,
        ExportEntry,
        BindingEntry,
        Binding,
        Grant,
        DirGrant,
        ClockSetting,
        RandomSetting,
        Mock,
        KeyValue,
        MockFunction,
        MockBehavior,
        MockCase,
        FakeName,
        ComponentView,
        InspectedFile,
        ComponentInfo,
        PortKind,
        PortInfo,
        FunctionInfo,
        ParamInfo,
        TypeInfo,
        MemberInfo,
        TypeShape,
        FieldShape,
        CaseShape,
        Severity,
        Problem,
        FilePosition,
        CheckReport,
        Location,
        ImportMode,
        ImportState,
        InsideImports,
        RunTarget,
        ComposedSummary,
        Analysis,
        RunLimits,
        RunFailure,
        MockCall,
        Denial,
        TraceEntry,
        LogLevel,
        LogLine,
        SessionTrace,
        CallTrace,
        ScopeLine,
        RunReport,
        BuildReport,
        ReloadReport,
        Empty,
        OpenProjectRequest,
        OpenedProject,
        OpenSampleRequest,
        SampleView,
        NewProjectRequest,
        PackageFile,
        ImportPlanRequest,
        ImportKind,
        ImportPlan,
        ImportPickRequest,
        ImportProjectRequest,
        SampleComponentView,
        Recovery,
        AddComponentsRequest,
        DocRequest,
        CandidatesRequest,
        Direction,
        Candidates,
        CheckWireRequest,
        Verdict,
        CheckMockValueRequest,
        FakeView,
        FakeTargetsRequest,
        ImportFakesRequest,
        CheckFakeRequest,
        GrantEntry,
        CheckGrantEntryRequest,
        RunRequest,
        SessionCallRequest,
        SessionRequest,
        SessionCalled,
        SessionState,
        SessionEndCause,
        SessionEnd,
        SessionInfo,
        ServeRequest,
        ServeInfo,
        SaveRequest,
        Saved,
        SetDirtyRequest,
        ExportVariant,
        ExportPreview,
        VariantPreview,
        StubKind,
        StubItem,
        NotSealedItem,
        SurfaceItem,
        ExportRequest,
        ShowFolderRequest,
        GroupNodesRequest,
        Grouped,
        UngroupNodeRequest,
        Ungrouped,
        ExportCompositeRequest,
        ExportedComposite,
        SaveCompositeRequest,
        SavedComposite,
        DeployTargets,
        OciTarget,
        DeployTarget,
        TargetOutcome,
        TargetResult,
        Exported,
        AppEvent,
    );
    let types = types.trim_end().to_string() + "\n";

    let mut commands = String::from(HEADER);
    let mut names = Vec::new();
    let mut body = String::new();
    macro_rules! commands {
        ($(($name:ident, $req:ty, $resp:ty)),* $(,)?) => {
            $(
                let snake = stringify!($name);
                names.push(snake);
                body.push_str(&format!(
                    "  {}: (request: {}) => call<{}>(\"{}\", request),\n",
                    camel(snake),
                    <$req as TS>::name(&cfg),
                    <$resp as TS>::name(&cfg),
                    snake,
                ));
            )*
        };
    }
    for_each_command!(commands);
    let mut imported: Vec<&str> = Vec::new();
    for word in body
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
    {
        if word != "Array" && !imported.contains(&word) {
            imported.push(word);
        }
    }
    imported.sort_unstable();
    commands.push_str(&format!(
        "import type {{ {} }} from \"./types\";\nimport {{ call }} from \"../ipc/transport\";\n\n",
        imported.join(", ")
    ));
    commands.push_str(&format!(
        "/** The channel the backend emits `AppEvent`s on. */\nexport const EVENT_CHANNEL = \"{EVENT_CHANNEL}\";\n\n"
    ));
    commands.push_str("/** Every backend command, typed. Each rejects with an `ApiError`. */\nexport const commands = {\n");
    commands.push_str(&body);
    commands.push_str("};\n\n");
    commands.push_str(&format!(
        "/** The backend's command names, as the shell registers them. */\nexport const COMMAND_NAMES = [{}] as const;\n",
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    vec![("types.ts", types), ("commands.ts", commands)]
}

const HEADER: &str = "// Generated from crates/patchbay-api by `BLESS=1 cargo test -p patchbay-api --test bindings`.\n// Do not edit: change the Rust types and regenerate.\n\n";

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
