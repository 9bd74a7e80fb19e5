//! What the app starts with: the command line and the folders it uses.

use patchbay_api::SessionOptions;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The parsed command line: `patchbay-app [PROJECT]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    /// The project named on the command line, absolute (canonical when it
    /// exists). A path that does not exist is kept so that the editor's
    /// `startup` reports it, naming the path.
    pub project: Option<PathBuf>,
}

impl Launch {
    /// The `--help` text.
    pub const USAGE: &'static str = "\
usage: patchbay-app [PROJECT]

  PROJECT  a patchbay.toml, or a folder holding one (default: the last
           project, or the kv-service sample on first start)

environment:
  PATCHBAY_STATE_DIR  recovery files and the last project
                      (default: ~/.local/share/patchbay)
  PATCHBAY_SAMPLES    the samples folder whose kv-service opens on first start";

    /// Parses the arguments after the program name. `Ok(None)` means help or
    /// the version was printed and the app should not start.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Option<Self>, String> {
        let mut project = None;
        let mut only_paths = false;
        for arg in args {
            if !only_paths {
                match arg.to_str() {
                    Some("-h" | "--help") => {
                        println!("{}", Self::USAGE);
                        return Ok(None);
                    }
                    Some("-V" | "--version") => {
                        println!("patchbay-app {}", env!("CARGO_PKG_VERSION"));
                        return Ok(None);
                    }
                    Some("--") => {
                        only_paths = true;
                        continue;
                    }
                    Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
                        return Err(format!("unknown option `{flag}`"));
                    }
                    _ => {}
                }
            }
            if project.is_some() {
                return Err(format!(
                    "only one project can be opened; `{}` is one too many",
                    Path::new(&arg).display()
                ));
            }
            project = Some(absolute(Path::new(&arg)));
        }
        Ok(Some(Self { project }))
    }

    /// The session's options: the project, the state folder and the samples.
    pub fn session_options(&self) -> SessionOptions {
        SessionOptions {
            state_dir: state_dir(),
            samples_dir: samples_dir(),
            startup_project: self.project.clone(),
            ..SessionOptions::default()
        }
    }
}

/// Canonical when the path exists, otherwise absolute as written.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Where the session keeps its state: `$PATCHBAY_STATE_DIR`, else
/// `patchbay` in the user's data folder (`~/.local/share/patchbay` on Linux).
pub fn state_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PATCHBAY_STATE_DIR").filter(|d| !d.is_empty()) {
        return absolute(Path::new(&dir));
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("patchbay")
}

/// The samples folder: `$PATCHBAY_SAMPLES`, else the repository's `samples/`
/// this binary was built from, else a `samples/` folder next to the
/// executable. `None` when none exists.
pub fn samples_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PATCHBAY_SAMPLES").filter(|d| !d.is_empty()) {
        return Some(absolute(Path::new(&dir)));
    }
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("samples")));
    [Some(repository), beside_exe]
        .into_iter()
        .flatten()
        .find(|dir| dir.is_dir())
        .map(|dir| absolute(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Launch>, String> {
        Launch::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_argument_opens_no_named_project() {
        assert_eq!(parse(&[]), Ok(Some(Launch { project: None })));
    }

    #[test]
    fn an_existing_project_is_made_canonical() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
        let launch = parse(&[samples.to_str().unwrap()]).unwrap().unwrap();
        assert_eq!(
            launch.project,
            Some(std::fs::canonicalize(&samples).unwrap())
        );
    }

    #[test]
    fn a_missing_project_is_kept_for_startup_to_report() {
        let launch = parse(&["no/such/project"]).unwrap().unwrap();
        let project = launch.project.unwrap();
        assert!(project.is_absolute());
        assert!(project.ends_with("no/such/project"));
    }

    #[test]
    fn bad_command_lines_are_refused() {
        assert!(parse(&["--frobnicate"])
            .unwrap_err()
            .contains("--frobnicate"));
        assert!(parse(&["a", "b"]).unwrap_err().contains("`b`"));
        assert!(parse(&["--", "-odd-name"]).unwrap().is_some());
    }
}
