//! Replacing a file so that readers see the old content or the new, never a
//! mix, and so that saves at the same time never share a temporary file.
//!
//! One save of `dir/name`:
//!
//! 1. takes the target's lock: an in-process lock keyed by the canonical
//!    path (threads of one process), then an advisory OS lock
//!    ([`File::lock`]) on the sibling `dir/.name.lock` (other processes);
//! 2. removes stale temporaries of the target, `dir/.name.tmp-*`, left by
//!    saves that were killed: all of them when the OS lock is held (every
//!    save of the target holds it, so none is in progress), otherwise those
//!    whose process is gone or that are older than [`STALE_TEMP_AGE`];
//! 3. writes the bytes to a new temporary file
//!    `dir/.name.tmp-<pid>-<counter>-<random>`, created with `create_new`
//!    so it is never a file someone else has open;
//! 4. for a durable save, syncs the file, renames it over the target and
//!    syncs the folder (on Unix), so the rename itself survives a crash;
//! 5. removes the lock file (on Unix, while still holding it; a waiter that
//!    then gets the lock sees the file is gone and locks the new one) and
//!    releases the lock.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A temporary file of a save that is older than this is removed by the
/// next save or load of its target even if its process still seems alive
/// (its process id may have been reused, or belong to another machine).
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// Writes `bytes` over `path` through a temporary file and a rename, under
/// the target's lock. `durable` adds the syncs.
pub(crate) fn replace(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let target = Target::of(path)?;
    let lock = TargetLock::acquire(&target)?;
    remove_stale_temps(&target, lock.excludes_other_processes());
    let (temp, file) = create_temp(&target)?;
    let result = (|| {
        let mut file = file;
        keep_permissions(&target.path, &file);
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&temp, &target.path)?;
        if durable {
            sync_dir(&target.dir)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    drop(lock);
    result
}

/// Removes the stale temporaries of `path` without taking its lock: those
/// whose process is gone and those older than [`STALE_TEMP_AGE`]. For
/// loading, which must neither wait for a save nor create a lock file.
pub(crate) fn remove_abandoned_temps(path: &Path) {
    if let Ok(target) = Target::of(path) {
        remove_stale_temps(&target, false);
    }
}

/// The file being replaced, split into its folder and name.
struct Target {
    path: PathBuf,
    dir: PathBuf,
    name: OsString,
}

impl Target {
    fn of(path: &Path) -> io::Result<Self> {
        let name = path.file_name().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} does not name a file", path.display()),
            )
        })?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Ok(Self {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            name: name.to_owned(),
        })
    }

    /// `.name<suffix>`, the name of a sibling file.
    fn sibling_name(&self, suffix: &str) -> OsString {
        let mut name = OsString::from(".");
        name.push(&self.name);
        name.push(suffix);
        name
    }

    /// What every temporary file of this target starts with.
    fn temp_prefix(&self) -> OsString {
        self.sibling_name(".tmp-")
    }
}

/// Numbers the temporary files of this process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn create_temp(target: &Target) -> io::Result<(PathBuf, File)> {
    let mut attempts = 0;
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut name = target.temp_prefix();
        name.push(format!("{}-{n}-{:016x}", std::process::id(), random(n)));
        let path = target.dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 16 => attempts += 1,
            Err(e) => return Err(e),
        }
    }
}

/// 64 unpredictable bits from std's randomly keyed SipHash.
fn random(n: u64) -> u64 {
    use std::hash::BuildHasher;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::collections::hash_map::RandomState::new().hash_one((n, now))
}

/// A replaced file keeps its permissions (a `patchbay.toml` made private
/// stays private).
fn keep_permissions(target: &Path, temp: &File) {
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(target) {
        let _ = temp.set_permissions(meta.permissions());
    }
    #[cfg(not(unix))]
    let _ = (target, temp);
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // Some file systems cannot sync a folder; the rename stands.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

fn remove_stale_temps(target: &Target, every_one: bool) {
    let Ok(entries) = fs::read_dir(&target.dir) else {
        return;
    };
    let prefix = target.temp_prefix();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
        else {
            continue;
        };
        if every_one || is_abandoned(rest, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a temporary file (`rest` is its name after `.name.tmp-`) belongs
/// to no save in progress: its process is gone, or it is old.
fn is_abandoned(rest: &[u8], entry: &fs::DirEntry) -> bool {
    let old = entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age >= STALE_TEMP_AGE);
    // `<pid>-<counter>-<random>`, or `<pid>` from Patchbay before 2027.
    let owner = std::str::from_utf8(rest)
        .ok()
        .and_then(|r| r.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok());
    old || owner.is_some_and(|pid| !process_alive(pid))
}

/// Whether process `pid` exists; `true` when that cannot be told.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    true
}

/// Canonical paths of the targets a thread of this process is saving.
static SAVING: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
/// Signalled when a path leaves [`SAVING`].
static SAVED: Condvar = Condvar::new();

/// The lock of one target, held for the whole save.
struct TargetLock {
    key: PathBuf,
    /// The locked lock file, unless the file system has no advisory locks.
    file: Option<File>,
    lock_path: PathBuf,
}

impl TargetLock {
    fn acquire(target: &Target) -> io::Result<Self> {
        let key = fs::canonicalize(&target.dir)?.join(&target.name);
        {
            let mut saving = SAVING.lock().unwrap_or_else(PoisonError::into_inner);
            while saving.contains(&key) {
                saving = SAVED.wait(saving).unwrap_or_else(PoisonError::into_inner);
            }
            saving.insert(key.clone());
        }
        // From here on, dropping `lock` releases the in-process lock.
        let mut lock = Self {
            key,
            file: None,
            lock_path: target.dir.join(target.sibling_name(".lock")),
        };
        lock.file = lock_file(&lock.lock_path)?;
        Ok(lock)
    }

    /// Whether saves from other processes are kept out too.
    fn excludes_other_processes(&self) -> bool {
        self.file.is_some()
    }
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Removed while still locked: see `lock_file`.
            #[cfg(unix)]
            let _ = fs::remove_file(&self.lock_path);
            let _ = file.unlock();
        }
        let mut saving = SAVING.lock().unwrap_or_else(PoisonError::into_inner);
        saving.remove(&self.key);
        SAVED.notify_all();
    }
}

/// Opens and locks the lock file. The holder before us may have removed it
/// after its save (while still holding it), so after getting the lock we
/// check that the file we locked is still the one at `path`, and start
/// over if not. `None` when the file system has no advisory locks, or the
/// lock file belongs to someone who does not let us write it.
fn lock_file(path: &Path) -> io::Result<Option<File>> {
    for _ in 0..1000 {
        let file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied && path.exists() => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        match file.lock() {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Unsupported => return Ok(None),
            Err(e) => return Err(e),
        }
        if still_at(&file, path) {
            return Ok(Some(file));
        }
    }
    Err(io::Error::other(format!(
        "cannot lock {}: it keeps being replaced",
        path.display()
    )))
}

#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(locked), Ok(there)) => locked.dev() == there.dev() && locked.ino() == there.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> bool {
    // The lock file is never removed where it cannot be removed while open.
    true
}
