//! Which file events count: notify events that mean new content, the
//! batches coalesced during a quiet period, what a project asks to watch,
//! the paths ignored, and file fingerprints.

use super::*;

/// What the watcher thread is told.
pub(super) enum Control {
    /// The file watcher saw these paths change.
    Changed(Vec<PathBuf>),
    /// The file watcher reported an error.
    WatchError(String),
    /// Reload without a file change.
    ReloadNow,
    /// Watch these component files too: `(id, file, its content when the
    /// front end read it)`.
    AddComponents(Vec<(String, PathBuf, Option<Fingerprint>)>),
    /// Stop watching.
    Stop,
}

/// Whether a file event can mean new content: opening or reading a file
/// (which builds and reloads themselves do) does not.
pub(super) fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Changes collected during one quiet period.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) paths: BTreeSet<PathBuf>,
    pub(super) forced: bool,
    pub(super) notes: Vec<String>,
}

impl Batch {
    /// Adds a message; false if it says to stop.
    pub(super) fn add(&mut self, control: Control) -> bool {
        match control {
            Control::Changed(paths) => self.paths.extend(paths),
            Control::WatchError(e) => {
                self.notes.push(format!("file watcher: {e}"));
                self.forced = true;
            }
            Control::ReloadNow => self.forced = true,
            // The worker takes these at once, never in a batch.
            Control::AddComponents(_) => {}
            Control::Stop => return false,
        }
        true
    }
}

/// What a project asks to watch.
#[derive(Default)]
pub(super) struct Targets {
    /// Component files (absolute) and the ids of the components they are
    /// the file of.
    pub(super) components: BTreeMap<PathBuf, Vec<String>>,
    /// Source roots of components with a build command.
    pub(super) sources: Vec<SourceRoot>,
    /// Folders to register with the file watcher.
    pub(super) folders: BTreeMap<PathBuf, RecursiveMode>,
    /// Watch paths that could not be watched.
    pub(super) notes: Vec<String>,
}

pub(super) struct SourceRoot {
    pub(super) component: String,
    pub(super) root: PathBuf,
}

impl Targets {
    /// What `doc` asks to watch, plus the component files in `extra`
    /// (`file → id`, absolute) that a front end added.
    pub(super) fn of(
        doc: &LoadedProject,
        manifest: &Path,
        extra: &BTreeMap<PathBuf, String>,
    ) -> Self {
        let mut t = Targets::default();
        let mut folders: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        if let Some(dir) = manifest.parent() {
            folders.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
        let named = doc
            .project
            .components
            .iter()
            .map(|(id, c)| (id.as_str(), normalize_file(&doc.resolve(&c.path))));
        let added = extra.iter().map(|(file, id)| (id.as_str(), file.clone()));
        for (id, file) in named.chain(added) {
            let ids = t.components.entry(file.clone()).or_default();
            if ids.iter().any(|known| known == id) {
                continue;
            }
            ids.push(id.to_string());
            match file.parent() {
                Some(parent) if parent.is_dir() => {
                    folders.push((parent.to_path_buf(), RecursiveMode::NonRecursive))
                }
                Some(parent) => t.notes.push(format!(
                    "component `{id}`: folder {} does not exist; its file is not watched",
                    parent.display()
                )),
                None => {}
            }
        }
        for (id, component) in &doc.project.components {
            if component.build.is_none() {
                continue;
            }
            for watch in &component.watch {
                let root = normalize(&doc.resolve(watch));
                if root.is_dir() {
                    folders.push((root.clone(), RecursiveMode::Recursive));
                } else if root.exists() {
                    if let Some(parent) = root.parent() {
                        folders.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
                    }
                } else {
                    t.notes.push(format!(
                        "component `{id}`: watch path {} does not exist; it is not watched",
                        watch.display()
                    ));
                    continue;
                }
                t.sources.push(SourceRoot {
                    component: id.to_string(),
                    root,
                });
            }
        }
        // One registration per folder; a recursive watch covers everything
        // below it.
        let recursive: Vec<PathBuf> = folders
            .iter()
            .filter(|(_, m)| *m == RecursiveMode::Recursive)
            .map(|(p, _)| p.clone())
            .collect();
        for (path, mode) in folders {
            let covered = recursive.iter().any(|r| {
                path.starts_with(r) && (path != *r || mode == RecursiveMode::NonRecursive)
            });
            if covered {
                continue;
            }
            let entry = t.folders.entry(path).or_insert(mode);
            if mode == RecursiveMode::Recursive {
                *entry = mode;
            }
        }
        t
    }

    /// The components whose sources include `path`.
    pub(super) fn sources_of<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a str> + 'a {
        self.sources
            .iter()
            .filter(move |s| {
                path.strip_prefix(&s.root)
                    .is_ok_and(|rest| !is_ignored(rest) && !is_temp_file(path))
            })
            .map(|s| s.component.as_str())
    }
}

/// Whether a path below a watched source folder is build output or version
/// control data.
pub(super) fn is_ignored(relative: &Path) -> bool {
    relative.components().any(|c| match c {
        Component::Normal(name) => name == "target" || name == ".git",
        _ => false,
    })
}

/// Whether a file name is an editor's (or an atomic writer's) temporary
/// file.
pub(super) fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
        || name.contains(".tmp-")
        // `sed -i` writes `sedXXXXXX` next to the file it edits.
        || (name.len() == 9
            && name.starts_with("sed")
            && name[3..].bytes().all(|b| b.is_ascii_alphanumeric()))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swpx",
            ".tmp",
            ".bak",
            ".crswap",
            ".kate-swp",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// What a file looked like when it was last read: enough to tell a real
/// change from a notification about nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fingerprint {
    pub(super) len: u64,
    pub(super) modified: Option<SystemTime>,
    pub(super) content: u64,
}

pub(super) fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    // Watched paths are the user's (components, sources, the manifest): a
    // FIFO or device among them must not block the watcher.
    let bytes = patchbay_project::read_regular(path, patchbay_project::MAX_COMPONENT_BYTES).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(Fingerprint {
        len: meta.len(),
        modified: meta.modified().ok(),
        content: hasher.finish(),
    })
}

/// An absolute path with symbolic links and `..` resolved as far as the
/// path exists, so it compares equal to the paths file events carry.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Like [`normalize`], but keeps the file name as written: a component file
/// that is a symbolic link is watched as the link, in its folder.
pub(super) fn normalize_file(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => normalize(parent).join(name),
        _ => normalize(&absolute),
    }
}

/// `path` relative to `base`, with `..` where needed; the path itself if
/// they share nothing.
pub(super) fn relative_to(path: &Path, base: &Path) -> String {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Only the root in common: an absolute path reads better.
    if common <= 1 {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_read_well() {
        let base = Path::new("/p/samples/kv-service");
        assert_eq!(
            relative_to(Path::new("/p/samples/kv-service/patchbay.toml"), base),
            "patchbay.toml"
        );
        assert_eq!(
            relative_to(Path::new("/p/samples/wasm/kv-memory.wasm"), base),
            "../wasm/kv-memory.wasm"
        );
        assert_eq!(relative_to(Path::new("/q/x.wasm"), base), "/q/x.wasm");
    }

    #[test]
    fn temp_files_and_build_output_are_ignored() {
        for name in [
            "a.rs~",
            ".#a.rs",
            "#a.rs#",
            "4913",
            "a.rs.swp",
            ".x.wasm.tmp-12",
        ] {
            assert!(is_temp_file(Path::new(name)), "{name}");
        }
        for name in ["lib.rs", "world.wit", "Cargo.toml"] {
            assert!(!is_temp_file(Path::new(name)), "{name}");
        }
        assert!(is_ignored(Path::new("target/debug/x")));
        assert!(is_ignored(Path::new("sub/target/x")));
        assert!(!is_ignored(Path::new("src/lib.rs")));
    }

    #[test]
    fn opening_a_file_is_not_a_change() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn normalize_resolves_missing_tails() {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        let p = normalize(&dir.join("does-not-exist/../x/y"));
        assert_eq!(p, dir.join("x/y"));
    }
}
