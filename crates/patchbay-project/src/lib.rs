//! The Patchbay project: a folder with a `patchbay.toml` that names component
//! files, the nodes instantiating them, the wires between nodes, a binding
//! for every unwired import, and the exports of the composition.
//!
//! The file is versioned (`version = 2`). Older versions are upgraded on
//! load; newer or broken files give an error with line and column.
//!
//! # What saving guarantees
//!
//! [`save`] (and [`write_atomic`], [`write_output`]) replace a file so that
//! anyone reading it sees the old content or the new, never a mix, even
//! when saves run at the same time or a save is killed:
//!
//! - every save writes its own temporary file in the target's folder
//!   (`.name.tmp-<pid>-<counter>-<random>`, created with `create_new`) and
//!   renames it over the target;
//! - saves of one target take turns: an in-process lock keyed by the
//!   canonical path, and an advisory OS lock on `.name.lock` beside it for
//!   other processes (the lock file is removed when the save ends);
//! - [`save`] and [`write_atomic`] sync the file before the rename and the
//!   folder after it (on Unix), so after a crash or power cut the target is
//!   the old or the new content; [`write_output`] skips the syncs (build
//!   outputs can be made again);
//! - temporaries left by killed saves are removed by the next save of the
//!   target, and by [`load`] once their process is gone or they are older
//!   than [`STALE_TEMP_AGE`].
//!
//! Reading is as careful: [`load`] (and every crate reading a file a person
//! named, through [`read_regular`]) reads only regular files, up to a cap
//! ([`MAX_MANIFEST_BYTES`], [`MAX_COMPONENT_BYTES`]); a FIFO or a device is
//! an error naming the file and what it is, never a hang.
//!
//! ```
//! use patchbay_project::{parse, to_toml, PortRef};
//! let text = r#"
//! version = 1
//! name = "demo"
//! [components.kv-memory]
//! path = "kv-memory.wasm"
//! [nodes.memory]
//! component = "kv-memory"
//! "#;
//! let (project, upgraded_from) = parse(text, "patchbay.toml".as_ref()).unwrap();
//! assert_eq!(upgraded_from, None);
//! assert_eq!(project.nodes["memory"].component, "kv-memory");
//! assert_eq!(parse(&to_toml(&project), "x".as_ref()).unwrap().0, project);
//! assert_eq!(PortRef::parse("memory.patchbay:kv/store").unwrap().node, "memory");
//! ```

mod error;
mod file;
mod from_file;
mod id;
mod load;
mod lookup;
mod model;
mod parse;
mod paths;
mod place;
pub mod preset;
mod read;
mod save;
mod validate;
mod write;

pub use error::{FileProblem, ProjectError};
pub use id::{check_id, fresh_id, ComponentId, NodeId};
pub use load::{load, LoadedProject};
pub use model::*;
pub use parse::{parse, CURRENT_VERSION};
pub use paths::{manifest_path, MANIFEST_NAME};
pub use preset::{check_preset, Presets, MAX_PRESET_NAME};
pub use read::{
    read_regular, size_text, FileKind, ReadError, MAX_COMPONENT_BYTES, MAX_MANIFEST_BYTES,
};
pub use save::{save, to_toml, to_toml_checked, write_atomic, write_output};
pub use validate::{check_bucket_name, check_dir_grant, check_env_name, Invalid, Place};
pub use write::STALE_TEMP_AGE;

use sha2::{Digest, Sha256};

/// The content hash Patchbay records for component files: `sha256:<hex>`.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests;
