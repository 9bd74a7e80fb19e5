//! Exporting: what an export would write (the composed component and its
//! remaining imports) and writing it.

use super::*;
use crate::dto::*;
use crate::error::chain;
use crate::paths::normalize;
use crate::ApiError;
use patchbay_compose::Workspace;
use patchbay_project as model;
use std::path::{Path, PathBuf};

impl Session {
    fn compose_for_export(
        &self,
        doc: &ProjectDoc,
    ) -> Result<(Workspace, patchbay_compose::Composed), ApiError> {
        let ws = self.workspace(doc)?;
        let composed = ws.compose().map_err(|problems| {
            let errors: Vec<String> = problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| format!("{}: {}", p.location, p.message))
                .collect();
            ApiError::compose_failed(format!(
                "the graph does not compose ({} problem{})",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ))
            .with_detail(errors.join("\n"))
        })?;
        Ok((ws, composed))
    }

    fn default_export_dir(&self) -> Result<PathBuf, ApiError> {
        let manifest = self.manifest()?;
        Ok(manifest.parent().unwrap_or(Path::new(".")).join("out"))
    }

    /// What an export would write, and the attack surface of the result.
    pub async fn export_preview(&self, request: DocRequest) -> Result<ExportPreview, ApiError> {
        let (_, composed) = self.compose_for_export(&request.doc)?;
        let wit = composed.describe().map(|i| i.wit).map_err(|e| {
            ApiError::compose_failed("cannot describe the composed component")
                .with_detail(chain(&e))
        })?;
        let name = &request.doc.name;
        Ok(ExportPreview {
            surface: composed
                .imports
                .iter()
                .map(|i| SurfaceItem {
                    name: i.clone(),
                    meaning: surface_meaning(i),
                })
                .collect(),
            dir: self.default_export_dir()?.display().to_string(),
            wasm: format!("{name}.wasm"),
            wac: format!("{name}.wac"),
            wit: format!("{name}.wit"),
            size: composed.bytes.len() as u64,
            wit_text: wit,
            wac_text: composed.wac.clone(),
        })
    }

    /// Writes the composed `.wasm`, the `.wac` recipe and the WIT.
    pub async fn export_artifacts(&self, request: ExportRequest) -> Result<Exported, ApiError> {
        let default = self.default_export_dir()?;
        let dir = if request.choose_dir {
            let dialogs = self.dialogs.clone();
            let start = default.clone();
            let picked = Self::blocking(move || dialogs.pick_folder(&start)).await?;
            let picked = normalize(&picked.ok_or_else(ApiError::cancelled)?);
            if let Ok(mut dirs) = self.export_dirs.lock() {
                dirs.insert(picked.clone());
            }
            picked
        } else {
            match request.dir {
                None => default.clone(),
                Some(d) => {
                    let d = normalize(Path::new(&d));
                    let chosen = self
                        .export_dirs
                        .lock()
                        .map(|s| s.contains(&d))
                        .unwrap_or(false);
                    if d != normalize(&default) && !chosen {
                        return Err(ApiError::not_permitted(format!(
                            "{} was not chosen in the export dialog",
                            d.display()
                        )));
                    }
                    d
                }
            }
        };
        let (_, composed) = self.busy("composing", || self.compose_for_export(&request.doc))?;
        let wit = composed.describe().map(|i| i.wit).map_err(|e| {
            ApiError::compose_failed("cannot describe the composed component")
                .with_detail(chain(&e))
        })?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| ApiError::io(format!("cannot create {}: {e}", dir.display())))?;
        let name = &request.doc.name;
        let wasm = dir.join(format!("{name}.wasm"));
        let wac = dir.join(format!("{name}.wac"));
        let wit_path = dir.join(format!("{name}.wit"));
        for (path, bytes) in [
            (&wasm, composed.bytes.as_slice()),
            (&wac, composed.wac.as_bytes()),
            (&wit_path, wit.as_bytes()),
        ] {
            model::write_output(path, bytes)
                .map_err(|e| ApiError::io(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(Exported {
            dir: dir.display().to_string(),
            wasm: wasm.display().to_string(),
            wac: wac.display().to_string(),
            wit: wit_path.display().to_string(),
            size: composed.bytes.len() as u64,
        })
    }
}

/// What an import of the composed component lets it do, for the export
/// dialog's attack-surface list.
pub(crate) fn surface_meaning(import: &str) -> String {
    let base = import.split('@').next().unwrap_or(import);
    let text = match base {
        b if b.starts_with("wasi:filesystem/") => {
            "reads or writes files in folders the host preopens"
        }
        b if b.starts_with("wasi:sockets/") => "opens network connections",
        "wasi:http/outgoing-handler" => "sends HTTP requests",
        b if b.starts_with("wasi:http/") => "HTTP types and bodies",
        "wasi:cli/environment" => "reads environment variables and arguments",
        b if b.starts_with("wasi:cli/std") || b.starts_with("wasi:cli/terminal") => {
            "writes to or reads from the console"
        }
        "wasi:cli/exit" => "ends the process",
        b if b.starts_with("wasi:clocks/") => "reads the time",
        b if b.starts_with("wasi:random/") => "reads random numbers",
        b if b.starts_with("wasi:io/") => "streams and polling (needed by other WASI interfaces)",
        b if b.starts_with("wasi:keyvalue/") => "reads and writes a key-value store",
        b if b.starts_with("wasi:config/") => "reads runtime configuration",
        b if b.starts_with("wasi:logging/") => "writes log messages",
        _ => "provided by whoever hosts the component",
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_meanings_name_the_capability() {
        assert_eq!(
            surface_meaning("wasi:filesystem/preopens@0.2.6"),
            "reads or writes files in folders the host preopens"
        );
        assert_eq!(
            surface_meaning("wasi:http/outgoing-handler@0.2.6"),
            "sends HTTP requests"
        );
        assert_eq!(
            surface_meaning("acme:thing/x"),
            "provided by whoever hosts the component"
        );
    }
}
