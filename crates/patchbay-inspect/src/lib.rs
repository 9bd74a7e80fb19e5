//! Reads WebAssembly components and describes their typed WIT ports.
//!
//! Accepted inputs are binary components, components or modules in `.wat`
//! text, and WASI preview1 core modules, which are turned into components
//! with the WASI adapter (and say so in [`SourceKind`]). Anything else is an
//! [`InspectError`] naming the file and what is wrong with it.
//!
//! ```no_run
//! let inspection = patchbay_inspect::inspect_file("kv-service.wasm".as_ref()).unwrap();
//! for port in &inspection.info.imports {
//!     println!("import {} ({} functions)", port.name, port.functions.len());
//! }
//! print!("{}", inspection.info.wit);
//! ```

mod describe;
mod kinds;

pub use describe::*;
pub use kinds::{FunctionKind, TypeKind};

use std::path::{Path, PathBuf};
use wasi_preview1_component_adapter_provider as adapters;

/// How the inspected file was turned into a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A binary component.
    Component,
    /// A component in WebAssembly text format.
    ComponentText,
    /// A WASI preview1 core module (binary or text) wrapped with the WASI
    /// command or reactor adapter.
    Preview1Module {
        /// `"command"` when the module exports `_start`, else `"reactor"`.
        adapter: &'static str,
    },
}

impl SourceKind {
    /// A sentence for people: what the file was.
    pub fn describe(&self) -> String {
        match self {
            SourceKind::Component => "binary component".into(),
            SourceKind::ComponentText => "component in WebAssembly text".into(),
            SourceKind::Preview1Module { adapter } => format!(
                "WASI preview1 core module, converted to a component with the wasi_snapshot_preview1 {adapter} adapter"
            ),
        }
    }
}

/// A component ready to be described or composed.
#[derive(Debug, Clone)]
pub struct LoadedComponent {
    /// What the input was.
    pub kind: SourceKind,
    /// The component binary (converted if the input was text or a module).
    pub bytes: Vec<u8>,
    /// Content hash of the input as read from disk (`sha256:<hex>`).
    pub hash: String,
    /// Size of the input in bytes.
    pub input_size: usize,
}

/// A component and the description of its ports.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The component.
    pub component: LoadedComponent,
    /// Its world.
    pub info: ComponentInfo,
}

/// Why a file could not be read as a component.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// The file could not be read.
    #[error("{}: cannot read file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path names a FIFO, a socket or a device, not a file.
    #[error("{}: is {kind}, not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: patchbay_project::FileKind,
    },
    /// The file is larger than [`patchbay_project::MAX_COMPONENT_BYTES`].
    #[error(
        "{}: is {}, more than the {} a component file may have",
        path.display(),
        patchbay_project::size_text(*size),
        patchbay_project::size_text(*limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least).
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// A folder was given where a file was expected.
    #[error("{}: is a folder, not a component file", path.display())]
    IsDirectory {
        /// The folder.
        path: PathBuf,
    },
    /// The file has no bytes.
    #[error("{}: file is empty; expected a WebAssembly component", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is neither WebAssembly binary nor text.
    #[error("{}: not WebAssembly: {detail}", path.display())]
    NotWasm {
        /// The file.
        path: PathBuf,
        /// What the file looks like instead.
        detail: String,
    },
    /// The file looks like WebAssembly text but does not parse.
    #[error("{}: invalid WebAssembly text: {message}", path.display())]
    Text {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The binary is malformed or fails validation (for example truncated).
    #[error("{}: invalid WebAssembly {what}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// `component` or `module`.
        what: &'static str,
        /// The validator's message.
        message: String,
    },
    /// A core module that is not a WASI preview1 program.
    #[error("{}: core module is not a WASI preview1 module: {reason}; Patchbay converts only WASI preview1 modules to components", path.display())]
    NotWasi {
        /// The file.
        path: PathBuf,
        /// Why (its foreign imports, or no WASI imports at all).
        reason: String,
    },
    /// The WASI adapter could not turn the module into a component.
    #[error("{}: cannot convert WASI preview1 module to a component: {message}", path.display())]
    Adapt {
        /// The file.
        path: PathBuf,
        /// The encoder's message.
        message: String,
    },
    /// The component's types could not be decoded as WIT.
    #[error("{}: cannot read the component's WIT: {message}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        message: String,
    },
}

/// Reads `path` and turns it into a component.
pub fn load_file(path: &Path) -> Result<LoadedComponent, InspectError> {
    load(&read(path)?, path, true)
}

/// Reads `path` and turns it into a component like [`load_file`], but leaves
/// a binary component unvalidated. For callers that parse the bytes with a
/// validating parser next (wac-graph's package parser and the WIT decoder
/// both validate), so that a component is not validated three times.
pub fn load_file_unvalidated(path: &Path) -> Result<LoadedComponent, InspectError> {
    load(&read(path)?, path, false)
}

/// Reads a component file: only a regular file, of at most
/// [`patchbay_project::MAX_COMPONENT_BYTES`].
fn read(path: &Path) -> Result<Vec<u8>, InspectError> {
    use patchbay_project::{FileKind, ReadError};
    let path_buf = || path.to_path_buf();
    patchbay_project::read_regular(path, patchbay_project::MAX_COMPONENT_BYTES).map_err(|e| match e
    {
        ReadError::Io(source) => InspectError::Read {
            path: path_buf(),
            source,
        },
        ReadError::NotRegular(FileKind::Folder) => InspectError::IsDirectory { path: path_buf() },
        ReadError::NotRegular(kind) => InspectError::NotRegular {
            path: path_buf(),
            kind,
        },
        ReadError::TooLarge { size, limit } => InspectError::TooLarge {
            path: path_buf(),
            size,
            limit,
        },
    })
}

/// Turns file contents into a component; `path` names the input in errors.
pub fn load_bytes(input: &[u8], path: &Path) -> Result<LoadedComponent, InspectError> {
    load(input, path, true)
}

fn load(input: &[u8], path: &Path, validate: bool) -> Result<LoadedComponent, InspectError> {
    let hash = patchbay_project::content_hash(input);
    let input_size = input.len();
    if input.is_empty() {
        return Err(InspectError::Empty {
            path: path.to_path_buf(),
        });
    }
    let (binary, from_text) = if input.starts_with(b"\0asm") {
        (input.to_vec(), false)
    } else {
        (parse_text(input, path)?, true)
    };
    let invalid = |what, e: wasmparser::BinaryReaderError| {
        let mut message = e.to_string();
        if message.starts_with("unexpected end-of-file") {
            message.push_str("; the file looks truncated");
        }
        InspectError::Invalid {
            path: path.to_path_buf(),
            what,
            message,
        }
    };
    let mut validator = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    if wasmparser::Parser::is_component(&binary) {
        if validate {
            validator
                .validate_all(&binary)
                .map_err(|e| invalid("component", e))?;
        }
        Ok(LoadedComponent {
            kind: if from_text {
                SourceKind::ComponentText
            } else {
                SourceKind::Component
            },
            bytes: binary,
            hash,
            input_size,
        })
    } else {
        validator
            .validate_all(&binary)
            .map_err(|e| invalid("module", e))?;
        let (bytes, adapter) = adapt_preview1(&binary, path)?;
        Ok(LoadedComponent {
            kind: SourceKind::Preview1Module { adapter },
            bytes,
            hash,
            input_size,
        })
    }
}

/// Reads a file and describes its world.
pub fn inspect_file(path: &Path) -> Result<Inspection, InspectError> {
    let component = load_file(path)?;
    let info = describe_component(&component.bytes, path)?;
    Ok(Inspection { component, info })
}

fn parse_text(input: &[u8], path: &Path) -> Result<Vec<u8>, InspectError> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Err(InspectError::NotWasm {
            path: path.to_path_buf(),
            detail: format!(
                "starts with bytes {} instead of the `\\0asm` magic, and is not UTF-8 text",
                hex_prefix(input)
            ),
        });
    };
    let start = text.trim_start();
    if !(start.starts_with('(') || start.starts_with(";;") || start.starts_with("(;")) {
        return Err(InspectError::NotWasm {
            path: path.to_path_buf(),
            detail: format!(
                "text that does not start with `(` as WebAssembly text does (starts with {:?})",
                start.chars().take(16).collect::<String>()
            ),
        });
    }
    wat::parse_str(text).map_err(|mut e| {
        e.set_path(path);
        InspectError::Text {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    })
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Wraps a WASI preview1 core module with the matching adapter.
fn adapt_preview1(module: &[u8], path: &Path) -> Result<(Vec<u8>, &'static str), InspectError> {
    let mut wasi_imports = 0;
    let mut foreign = Vec::new();
    let mut has_start = false;
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        let payload = payload.map_err(|e| InspectError::Invalid {
            path: path.to_path_buf(),
            what: "module",
            message: e.to_string(),
        })?;
        match payload {
            wasmparser::Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| InspectError::Invalid {
                        path: path.to_path_buf(),
                        what: "module",
                        message: e.to_string(),
                    })?;
                    if import.module == adapters::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME {
                        wasi_imports += 1;
                    } else {
                        foreign.push(format!("{}::{}", import.module, import.name));
                    }
                }
            }
            wasmparser::Payload::ExportSection(reader) => {
                for export in reader.into_iter().flatten() {
                    has_start |= export.name == "_start";
                }
            }
            _ => {}
        }
    }
    if !foreign.is_empty() {
        let shown: Vec<_> = foreign.iter().take(3).cloned().collect();
        let more = foreign.len().saturating_sub(3);
        return Err(InspectError::NotWasi {
            path: path.to_path_buf(),
            reason: format!(
                "it imports {}{} from outside `wasi_snapshot_preview1`",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        });
    }
    if wasi_imports == 0 {
        return Err(InspectError::NotWasi {
            path: path.to_path_buf(),
            reason: "it imports nothing from `wasi_snapshot_preview1`".into(),
        });
    }
    let (adapter, name) = if has_start {
        (adapters::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER, "command")
    } else {
        (adapters::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER, "reactor")
    };
    let adapt = |e: anyhow::Error| InspectError::Adapt {
        path: path.to_path_buf(),
        message: format!("{e:#}"),
    };
    let bytes = wit_component::ComponentEncoder::default()
        .module(module)
        .map_err(adapt)?
        .adapter(adapters::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, adapter)
        .map_err(adapt)?
        .validate(true)
        .encode()
        .map_err(adapt)?;
    Ok((bytes, name))
}
