//! `patchbay`: the headless Patchbay command line. Every verb calls the same
//! core functions as the desktop app.
//!
//! Two binaries share this library. `patchbay` runs the composition verbs
//! (`new`, `import`, `inspect`, `check`, `compose`, `export`, `candidates`) and hands the run verbs
//! (`call`, `serve`, `watch`) over to `patchbay-run`, installed beside it,
//! which links the Wasmtime host. Composition verbs then start without
//! loading Wasmtime: a 4× smaller binary, and no time spent relocating it.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use patchbay_host::{LimitError, LimitRange, LimitUnits, Limits};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod call;
mod deploy;
mod errors;
mod export;
mod import;
mod new;
mod oci;
mod output;
pub mod serve;
pub mod watch;

/// The command line.
#[derive(Parser)]
#[command(
    name = "patchbay",
    version,
    about = "Compose WebAssembly components: inspect their WIT, check wires, compose with wac-graph."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// Whether the verb runs components (and so needs the Wasmtime host).
    pub fn runs_components(&self) -> bool {
        matches!(
            self.command,
            Command::Call { .. } | Command::Serve(_) | Command::Watch(_)
        )
    }
}

#[derive(Subcommand)]
enum Command {
    /// Start a project: write an empty `patchbay.toml` into a folder.
    ///
    /// Refuses a folder that already holds one. `check` accepts the new
    /// project with a note that there is nothing to compose yet.
    New(new::NewArgs),
    /// Open a `.wac` file or a composed binary as a project.
    ///
    /// A `.wac` file is resolved as `wac compose` resolves it: its `let`s
    /// become nodes, its arguments wires, its exports exports. A binary
    /// (told apart by content) is decomposed: its embedded components are
    /// extracted to `DIR/components/`, its instances become nodes, its
    /// instantiation arguments wires, its exports exports. A construct a
    /// project cannot express is refused with its line or item.
    Import(import::ImportArgs),
    /// Print a component's world as WIT (or its typed ports as JSON).
    ///
    /// Accepts binary components, `.wat` text, and WASI preview1 core modules
    /// (converted with the WASI adapter).
    Inspect {
        /// The component file.
        file: PathBuf,
        /// Print a structured description of the ports as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every problem in a project, each with the node or wire it belongs to.
    ///
    /// Exits with status 1 if there are errors (warnings alone exit 0).
    Check {
        /// The project folder or its patchbay.toml.
        project: PathBuf,
        /// Print the problems as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compose a project into one validated component.
    Compose {
        /// The project folder or its patchbay.toml.
        project: PathBuf,
        /// Where to write the composed component.
        #[arg(short, long)]
        output: PathBuf,
        /// Also write the `.wac` source that rebuilds the composition.
        #[arg(long)]
        wac: Option<PathBuf>,
        /// Also write the WIT of the composed component.
        #[arg(long)]
        wit: Option<PathBuf>,
        /// Compose only this composite of the project, alone, into a
        /// component (its unwired imports are the component's imports).
        #[arg(long, value_name = "NAME")]
        composite: Option<String>,
    },
    /// Export a project for deployment: the composed component, its `.wac`
    /// recipe and its WIT, written to a folder.
    ///
    /// Sealed by default: every import a node binds `deny` is composed in
    /// as a deny stub whose functions trap naming the node, interface and
    /// function, and every `mock` as a mock stub answering the mock's
    /// values, so the artifact no longer imports them (the stubs are also
    /// written to `stubs/`, for the recipe). Fakes, and mocks that cannot be
    /// baked, stay imports; the verb lists them with the reason before
    /// writing.
    Export {
        /// The project folder or its patchbay.toml.
        project: PathBuf,
        /// The folder to write to (created if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// Compose without sealing, as `compose` does: every binding is left
        /// to whoever runs the artifact.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        oci: oci::OciArgs,
        #[command(flatten)]
        deploy: deploy::DeployArgs,
    },
    /// Run exports of the composition in the embedded Wasmtime host.
    ///
    /// Each call is WAVE: `handle-request("get a")`, or for an interface
    /// export `patchbay:sandbox/probe#run-all()` (or `probe#run-all()`, or
    /// just `run-all()` when unique). Several calls run in order on one
    /// instance (`--fresh`: one each). Unwired imports are granted, mocked,
    /// denied or left open as the project's bindings say.
    Call(call::CallArgs),
    /// Serve the composition's `wasi:http/incoming-handler` export over HTTP,
    /// with a fresh instance per request (as Spin does).
    Serve(serve::ServeArgs),
    /// Watch the project's components (and the sources of those with a build
    /// command); on a change rebuild, re-check, recompose and re-run a call.
    Watch(watch::WatchArgs),
    /// List the ports a wire could connect to a given port.
    Candidates {
        /// The project folder or its patchbay.toml.
        project: PathBuf,
        /// The port, as `node.port` (an import or an export of that node).
        port: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Per-run limits, shared by `call`, `serve` and `watch`. Each flag is
/// checked against its range ([`patchbay_host::Limits`]'s `LimitRange`s)
/// when it is parsed, so an out-of-range value is an error naming the
/// range, never a wrapped number.
#[derive(clap::Args)]
pub struct LimitArgs {
    /// Wall-clock budget of a run, in milliseconds.
    #[arg(long, default_value_t = 10_000, value_parser = in_range(Limits::TIMEOUT_MS))]
    timeout_ms: u64,
    /// Memory cap per instance, in MiB.
    #[arg(long, default_value_t = 256, value_parser = in_range(Limits::MAX_MEMORY_MIB))]
    max_memory_mib: u64,
    /// Fuel budget (instructions, roughly); unlimited if absent.
    #[arg(long, value_parser = in_range(Limits::FUEL))]
    fuel: Option<u64>,
    /// Most output kept per stream, in KiB.
    #[arg(long, default_value_t = 1024, value_parser = in_range(Limits::MAX_OUTPUT_KIB))]
    max_output_kib: u64,
    /// Largest wasm stack, in KiB.
    #[arg(long, default_value_t = 512, value_parser = in_range(Limits::MAX_STACK_KIB))]
    max_stack_kib: u64,
}

/// A clap value parser for a whole number in `range`: clap prints its
/// error as "invalid value 'X' for '--flag <V>': must be between … (unit)".
fn in_range(range: LimitRange) -> impl clap::builder::TypedValueParser<Value = u64> {
    move |text: &str| {
        range
            .parse(text)
            .map_err(|e| format!("must be {}", e.limit.describe()))
    }
}

impl LimitArgs {
    /// The limits of one run.
    pub fn limits(&self) -> Result<Limits, LimitError> {
        Limits::from_units(LimitUnits {
            timeout_ms: self.timeout_ms,
            max_memory_mib: self.max_memory_mib,
            fuel: self.fuel,
            max_output_kib: self.max_output_kib,
        })
    }

    /// The largest wasm stack, in bytes.
    pub fn max_stack(&self) -> Result<usize, LimitError> {
        Limits::stack_bytes(self.max_stack_kib)
    }
}

/// Prints an error the way every verb does and turns it into an exit code.
pub fn finish(result: Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", errors::error_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// Runs a composition verb (`inspect`, `check`, `compose`, `export`,
/// `candidates`).
/// The run verbs are [`run`]'s; this refuses them, so that a binary calling
/// only this function does not link the Wasmtime host.
pub fn run_composition_verb(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::New(args) => new::run(args),
        Command::Import(args) => import::run(args),
        Command::Inspect { file, json } => inspect(&file, json),
        Command::Check { project, json } => check(&project, json),
        Command::Compose {
            project,
            output,
            wac,
            wit,
            composite,
        } => compose(
            &project,
            composite.as_deref(),
            &output,
            wac.as_deref(),
            wit.as_deref(),
        ),
        Command::Export {
            project,
            output,
            open,
            oci,
            deploy,
        } => {
            oci::check_reference(&oci)?;
            let (code, manifests) =
                export::run(&project, &output, open, &deploy, oci.oci.as_deref())?;
            oci::push_exported(&oci, &project, &output)?;
            deploy::write(&output, &manifests)?;
            Ok(code)
        }
        Command::Candidates {
            project,
            port,
            json,
        } => candidates(&project, &port, json),
        Command::Call { .. } | Command::Serve(_) | Command::Watch(_) => {
            anyhow::bail!("this verb runs components; it is served by `patchbay-run`")
        }
    }
}

/// Runs any verb.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Call(args) => call::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Watch(args) => watch::run(args),
        _ => run_composition_verb(cli),
    }
}

fn inspect(file: &Path, json: bool) -> Result<ExitCode> {
    let inspection = patchbay_inspect::inspect_file(file)?;
    if json {
        output::print_json(&patchbay_api::InspectedFile::new(file, &inspection))?;
    } else {
        if inspection.component.kind != patchbay_inspect::SourceKind::Component {
            println!(
                "// {}: {}",
                file.display(),
                inspection.component.kind.describe()
            );
        }
        print!("{}", inspection.info.wit);
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn load(project: &Path) -> Result<patchbay_compose::Workspace> {
    let doc = patchbay_project::load(project)?;
    if let Some(v) = doc.upgraded_from {
        eprintln!(
            "note: {} is project file version {v}; it was upgraded in memory (save to write version {})",
            doc.path.display(),
            patchbay_project::CURRENT_VERSION
        );
    }
    Ok(patchbay_compose::Workspace::open(doc))
}

fn check(project: &Path, json: bool) -> Result<ExitCode> {
    let ws = load(project)?;
    let mut problems = ws.check();
    output::locate(&ws, &mut problems);
    if json {
        output::print_json(&patchbay_api::CheckReport::new(&ws.doc().path, &problems))?;
    } else {
        output::print_problems(&ws, &problems);
    }
    Ok(if problems.iter().any(|p| p.is_error()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn compose(
    project: &Path,
    composite: Option<&str>,
    out: &Path,
    wac: Option<&Path>,
    wit: Option<&Path>,
) -> Result<ExitCode> {
    let ws = load(project)?;
    let composed = match composite {
        Some(name) => ws.compose_composite(name),
        None => ws.compose(),
    };
    let composed = match composed {
        Ok(c) => c,
        Err(mut problems) => {
            output::locate(&ws, &mut problems);
            output::print_problems(&ws, &problems);
            match composite {
                Some(name) => anyhow::bail!(
                    "cannot compose composite `{name}` of {}: fix the errors above",
                    ws.doc().path.display()
                ),
                None => anyhow::bail!(
                    "cannot compose {}: fix the errors above",
                    ws.doc().path.display()
                ),
            }
        }
    };
    let mut warnings = composed.warnings.clone();
    output::locate(&ws, &mut warnings);
    for p in &warnings {
        eprintln!("{}", output::problem_line(&ws, p));
    }
    patchbay_project::write_output(out, &composed.bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes, {} imports left open)",
        out.display(),
        composed.bytes.len(),
        composed.imports.len()
    );
    if let Some(path) = wac {
        let (recipe, beside) = composed.recipe_at(path);
        patchbay_project::write_output(path, recipe.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
        // Components given as WAT text or core modules, as binaries `wac`
        // can read, where the recipe names them.
        let dir = path.parent().unwrap_or(Path::new(""));
        for (file, bytes) in beside {
            let file = dir.join(file);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            patchbay_project::write_output(&file, &bytes)
                .with_context(|| format!("cannot write {}", file.display()))?;
            eprintln!("wrote {}", file.display());
        }
    }
    if let Some(path) = wit {
        let info = composed.describe()?;
        patchbay_project::write_output(path, info.wit.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn candidates(project: &Path, port: &str, json: bool) -> Result<ExitCode> {
    let ws = load(project)?;
    let port = patchbay_project::PortRef::parse(port).map_err(anyhow::Error::msg)?;
    if json {
        let found =
            patchbay_api::Candidates::find(&ws, &port).map_err(|e| anyhow::anyhow!(e.message))?;
        output::print_json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    let found = ws.candidates(&port)?;
    if found.is_empty() {
        println!("no port in the project can be wired to {port}");
    } else {
        for c in &found {
            println!("{}", c.port);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A host for one-shot commands (`call`, `watch`): a few runs at a time, so
/// the pools it maps at start stay small.
pub(crate) fn host(max_stack: usize) -> Result<patchbay_host::Host> {
    started(patchbay_host::Host::new(patchbay_host::HostOptions {
        max_wasm_stack: max_stack,
        max_instances: 64,
        max_concurrent_runs: 4,
        ..Default::default()
    })?)
}

/// Says so on stderr when the host could not reserve its instance pool and
/// allocates on demand (a process under `ulimit -v`).
pub(crate) fn started(host: patchbay_host::Host) -> Result<patchbay_host::Host> {
    if let Some(note) = host.allocator().note() {
        eprintln!("note: {note}");
    }
    Ok(host)
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    // One run at a time: no worker threads to start.
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
