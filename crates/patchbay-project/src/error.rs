//! Why a project could not be loaded or saved: [`ProjectError`], and the
//! [`FileProblem`]s it lists, printed `path:line:col: message` as compilers
//! print them.

use crate::read::{size_text, FileKind};
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a project file, with the place it was found when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// 1-based line, if the place is known.
    pub line: Option<usize>,
    /// 1-based column, if the place is known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{l}:{c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a project could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The project file could not be read (missing, a folder without a
    /// manifest, no permission …).
    #[error("cannot read project file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The project path names a folder inside the project folder, a FIFO, a
    /// socket or a device instead of a file.
    #[error("{}: is {kind}, not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: FileKind,
    },
    /// The project file is larger than [`MAX_MANIFEST_BYTES`](crate::MAX_MANIFEST_BYTES).
    #[error(
        "{}: is {}, more than the {} a project file may have",
        path.display(),
        size_text(*size),
        size_text(*limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least).
        size: u64,
        /// The cap, [`MAX_MANIFEST_BYTES`](crate::MAX_MANIFEST_BYTES).
        limit: u64,
    },
    /// The project file could not be written; the old file is untouched.
    #[error("cannot save project file {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or does not have the shape of a project.
    #[error("{}:{}:{}: {message}", path.display(), line, column)]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// The file was written by a newer Patchbay.
    #[error(
        "{}: project file version {found} is newer than this Patchbay understands (up to {supported}); update Patchbay to open it",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The file parses, but some entries are malformed.
    #[error("{}", display_problems(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every malformed entry.
        problems: Vec<FileProblem>,
    },
}

/// `path:line:col: message`, one line per problem, as compilers print them.
fn display_problems(path: &Path, problems: &[FileProblem]) -> String {
    let line = |p: &FileProblem| match (p.line, p.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", path.display(), p.message),
        _ => format!("{}: {}", path.display(), p.message),
    };
    if problems.len() == 1 {
        return line(&problems[0]);
    }
    let mut out = format!("{}: {} problems:", path.display(), problems.len());
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&line(p));
    }
    out
}
