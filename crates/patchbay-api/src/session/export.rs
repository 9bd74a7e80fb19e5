//! Exporting: what an export would write, sealed and open (each
//! variant's attack surface decoded from its bytes, its stubs, what it
//! cannot seal), and writing the chosen one through
//! [`patchbay_compose::write_export`], as `patchbay export` does.

use super::*;
use crate::dto::*;
use crate::error::chain;
use crate::paths::normalize;
use crate::ApiError;
use patchbay_compose::{Composed, SealError, Sealed, Workspace};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The refusal for a project that does not compose, listing its errors.
fn does_not_compose(problems: &[patchbay_compose::Problem]) -> ApiError {
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
}

/// One variant composed: the component and, sealed, what was sealed.
struct Artifact {
    composed: Composed,
    sealed: Option<Sealed>,
}

impl Artifact {
    fn stubs(&self) -> &[patchbay_compose::Stub] {
        self.sealed.as_ref().map_or(&[][..], |s| &s.stubs[..])
    }
}

fn compose_variant(ws: &Workspace, variant: ExportVariant) -> Result<Artifact, ApiError> {
    match variant {
        ExportVariant::Open => Ok(Artifact {
            composed: ws.compose().map_err(|p| does_not_compose(&p))?,
            sealed: None,
        }),
        ExportVariant::Sealed => match ws.compose_sealed() {
            Ok(sealed) => Ok(Artifact {
                composed: sealed.composed.clone(),
                sealed: Some(sealed),
            }),
            Err(SealError::Problems(p)) => Err(does_not_compose(&p)),
            Err(e) => Err(ApiError::compose_failed(format!(
                "cannot export sealed: {e}"
            ))),
        },
    }
}

/// The preview of one composed variant. The surface is what the bytes
/// import ([`patchbay_compose::describe_artifact`], the same list the
/// written file declares), each with the nodes that reach the host
/// through it: those whose import no stub seals, or whose stub passes on
/// part of what the host gives (a scope stub that `reads_host`, as the
/// environment filter does).
fn variant_preview(
    open_imports: &patchbay_compose::OpenImports,
    variant: ExportVariant,
    artifact: &Artifact,
) -> Result<VariantPreview, ApiError> {
    let described = artifact.composed.describe().map_err(|e| {
        ApiError::compose_failed("cannot describe the composed component").with_detail(chain(&e))
    })?;
    let stubs = artifact.stubs();
    let sealed: HashSet<(&str, &str)> = stubs
        .iter()
        .filter(|s| !s.reads_host)
        .map(|s| (s.node.as_ref(), s.import.as_ref()))
        .collect();
    let surface = described
        .imports
        .iter()
        .map(|port| (&port.name, port.types_only))
        .map(|(name, types_only)| SurfaceItem {
            name: name.clone(),
            meaning: if types_only {
                TYPES_ONLY.to_string()
            } else {
                surface_meaning(name)
            },
            types_only,
            nodes: open_imports
                .imports
                .get(name)
                .into_iter()
                .flatten()
                .filter(|m| !sealed.contains(&(m.node.as_ref(), m.name.as_ref())))
                .map(|m| m.node.to_string())
                .fold(Vec::new(), |mut nodes, n| {
                    if !nodes.contains(&n) {
                        nodes.push(n);
                    }
                    nodes
                }),
        })
        .collect();
    Ok(VariantPreview {
        variant,
        surface,
        stubs: stubs
            .iter()
            .map(|s| StubItem {
                kind: match s.kind {
                    patchbay_compose::StubKind::Deny => StubKind::Deny,
                    patchbay_compose::StubKind::Mock => StubKind::Mock,
                    patchbay_compose::StubKind::Fake => StubKind::Fake,
                    patchbay_compose::StubKind::Scope => StubKind::Scope,
                },
                node: s.node.to_string(),
                import: s.import.clone(),
                functions: s.functions.clone(),
                file: patchbay_compose::stub_file(s),
            })
            .collect(),
        not_sealed: artifact
            .sealed
            .iter()
            .flat_map(|s| &s.not_sealed)
            .map(|n| NotSealedItem {
                node: n.node.to_string(),
                import: n.import.clone(),
                reason: n.reason.clone(),
            })
            .collect(),
        size: artifact.composed.bytes.len() as u64,
        wit_text: described.wit,
        wac_text: artifact.composed.wac.clone(),
    })
}

impl Session {
    fn default_export_dir(&self) -> Result<PathBuf, ApiError> {
        let manifest = self.manifest()?;
        Ok(manifest.parent().unwrap_or(Path::new(".")).join("out"))
    }

    /// What an export would write, sealed and open, and the attack
    /// surface of each, before anything is written.
    pub async fn export_preview(&self, request: DocRequest) -> Result<ExportPreview, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let open = compose_variant(&ws, ExportVariant::Open)?;
        let open_imports = ws.open_imports();
        let (sealed, sealed_error) = match compose_variant(&ws, ExportVariant::Sealed) {
            Ok(a) => (
                Some(variant_preview(&open_imports, ExportVariant::Sealed, &a)?),
                None,
            ),
            Err(e) => (None, Some(e.message)),
        };
        let name = &request.doc.name;
        let dir = self.default_export_dir()?;
        let spin_refused = super::deploy::spin_refused(&ws, &open.composed, &dir);
        Ok(ExportPreview {
            sealed,
            sealed_error,
            open: variant_preview(&open_imports, ExportVariant::Open, &open)?,
            dir: dir.display().to_string(),
            wasm: format!("{name}.wasm"),
            wac: format!("{name}.wac"),
            wit: format!("{name}.wit"),
            spin_refused,
        })
    }

    /// Shows an export's folder in the system's file manager: the default
    /// export folder or one chosen in the export dialog, the folders an
    /// export may write to, and no other.
    pub async fn show_export_folder(&self, request: ShowFolderRequest) -> Result<(), ApiError> {
        let dir = normalize(Path::new(&request.dir));
        let default = normalize(&self.default_export_dir()?);
        let chosen = self
            .export_dirs
            .lock()
            .map(|s| s.contains(&dir))
            .unwrap_or(false);
        if dir != default && !chosen {
            return Err(ApiError::not_permitted(format!(
                "{} is not a folder the export dialog wrote to",
                dir.display()
            )));
        }
        if !dir.is_dir() {
            return Err(ApiError::io(format!(
                "{} does not exist (yet): export first",
                dir.display()
            )));
        }
        let dialogs = self.dialogs.clone();
        let shown = dir.clone();
        Self::blocking(move || dialogs.show_folder(&shown))
            .await?
            .map_err(|e| ApiError::io(format!("cannot show {}: {e}", dir.display())))
    }

    /// The folder an export writes to: the default (`out/` beside the
    /// project), a folder chosen in the export dialog this session, or (with
    /// `choose`) one the dialog picks now. Any other folder is refused.
    pub(crate) async fn export_target_dir(
        &self,
        dir: Option<String>,
        choose: bool,
    ) -> Result<PathBuf, ApiError> {
        let default = self.default_export_dir()?;
        Ok(if choose {
            let dialogs = self.dialogs.clone();
            let start = default.clone();
            let picked = Self::blocking(move || dialogs.pick_folder(&start)).await?;
            let picked = normalize(&picked.ok_or_else(ApiError::cancelled)?);
            if let Ok(mut dirs) = self.export_dirs.lock() {
                dirs.insert(picked.clone());
            }
            picked
        } else {
            match dir {
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
        })
    }

    /// Writes the chosen variant: the composed `.wasm`, the `.wac` recipe,
    /// the WIT and, sealed, the stubs the recipe names; then goes to the
    /// deployment targets asked for (a push, then `spin.toml` and
    /// `wadm.yaml` beside the artifact), each with its own outcome.
    pub async fn export_artifacts(&self, request: ExportRequest) -> Result<Exported, ApiError> {
        let dir = self
            .export_target_dir(request.dir, request.choose_dir)
            .await?;
        // The workspace is not kept across the push's await.
        let (mut exported, planned, bytes) = {
            let ws = self.workspace(&request.doc)?;
            let artifact = self.busy("composing", || compose_variant(&ws, request.variant))?;
            let planned = super::deploy::plan(
                &ws,
                &artifact.composed,
                artifact.sealed.as_ref(),
                &dir,
                &request.targets,
            );
            let files = patchbay_compose::write_export(
                &dir,
                &request.doc.name,
                &artifact.composed,
                artifact.stubs(),
            )
            .map_err(|e| match e {
                patchbay_compose::ExportError::Describe(_) => {
                    ApiError::compose_failed(e.to_string()).with_detail(chain(&e))
                }
                _ => ApiError::io(chain(&e)),
            })?;
            let shown = |p: &Path| p.display().to_string();
            let exported = Exported {
                variant: request.variant,
                dir: shown(&files.dir),
                wasm: shown(&files.wasm),
                wac: shown(&files.wac),
                wit: shown(&files.wit),
                stubs: files.stubs.iter().map(|p| shown(p)).collect(),
                size: artifact.composed.bytes.len() as u64,
                imports: files.artifact.imports,
                targets: Vec::new(),
            };
            (exported, planned, artifact.composed.bytes)
        };
        exported.targets = super::deploy::finish(planned, &dir, &bytes, &*self.events).await;
        Ok(exported)
    }
}

/// What a types-only import of an artifact means for whoever runs it.
const TYPES_ONLY: &str = "only names types (no functions): gives the component nothing to call";

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
