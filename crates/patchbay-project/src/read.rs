//! Reading files a person named: only regular files, and only up to a size.
//!
//! A FIFO named as a component would block every verb forever, and
//! `/dev/zero` would be read until memory runs out, so [`read_regular`]
//! opens the file without blocking, looks at what the opened handle is
//! (not at the path, which could change in between), and reads at most a
//! cap.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest `patchbay.toml` Patchbay reads: 16 MiB (real projects are a
/// few KiB; a 500-node graph is under 200 KiB).
pub const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// The largest component file (binary or `.wat`) Patchbay reads: 512 MiB.
pub const MAX_COMPONENT_BYTES: u64 = 512 << 20;

/// What a path names when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A directory.
    Folder,
    /// A named pipe.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// Anything else the platform has.
    Other,
}

impl FileKind {
    fn of(file_type: &std::fs::FileType) -> Self {
        if file_type.is_dir() {
            return FileKind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return FileKind::Fifo;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
            if file_type.is_char_device() {
                return FileKind::CharDevice;
            }
            if file_type.is_block_device() {
                return FileKind::BlockDevice;
            }
        }
        FileKind::Other
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Folder => "a folder",
            FileKind::Fifo => "a FIFO",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Other => "a special file",
        })
    }
}

/// Why [`read_regular`] refused or failed. Callers put the file's name in
/// front: `x.wasm: is a FIFO, not a regular file`.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed (missing file, no permission …).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The path names a folder, FIFO, socket or device.
    #[error("is {0}, not a regular file")]
    NotRegular(FileKind),
    /// The file is larger than the cap for its kind.
    #[error("is {}, more than the {} limit", size_text(*size), size_text(*limit))]
    TooLarge {
        /// The size found (at least this much, for a file that grew while
        /// it was read).
        size: u64,
        /// The cap.
        limit: u64,
    },
}

/// Reads a file a person named, refusing anything that is not a regular
/// file and anything longer than `max_bytes`.
///
/// The file is opened first (on Unix with `O_NONBLOCK`, so opening a FIFO
/// returns at once instead of waiting for a writer) and the opened handle's
/// metadata decides; nothing is read from a handle that is not a regular
/// file. `O_NONBLOCK` has no effect on reads of regular files (open(2)), so
/// it is left set. At most `max_bytes + 1` bytes are read, so a file that
/// grows while it is read is refused too.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) => {
            // A socket cannot be opened at all (ENXIO); say what it is
            // rather than "no such device or address".
            return Err(match std::fs::metadata(path) {
                Ok(meta) if !meta.file_type().is_file() => {
                    ReadError::NotRegular(FileKind::of(&meta.file_type()))
                }
                _ => ReadError::Io(e),
            });
        }
    };
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(FileKind::of(&meta.file_type())));
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

/// A size as messages say it: `16 MiB`, `1.5 KiB`, `12 bytes`.
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    let scaled = |unit: u64, name: &str| {
        if bytes.is_multiple_of(unit) {
            format!("{} {name}", bytes / unit)
        } else {
            format!("{:.1} {name}", bytes as f64 / unit as f64)
        }
    };
    match bytes {
        b if b >= GIB => scaled(GIB, "GiB"),
        b if b >= MIB => scaled(MIB, "MiB"),
        b if b >= KIB => scaled(KIB, "KiB"),
        1 => "1 byte".into(),
        b => format!("{b} bytes"),
    }
}
