//! Which binding each import of a composed component gets.
//!
//! The composition merges the unwired imports of all nodes by name, so in
//! composed mode one import stands for the same import of several nodes. Its
//! binding is theirs; nodes that bind one import differently cannot share it.

use patchbay_compose::Workspace;
use patchbay_project::{Binding, Fake};

/// The binding of one import of the composed component.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// Import name (`wasi:cli/environment@0.2.6`).
    pub name: String,
    /// The nodes that leave it unwired.
    pub nodes: Vec<String>,
    /// Their binding (`None` for types-only imports, which need none).
    pub binding: Option<Binding>,
}

/// Why a project cannot be prepared to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// Two nodes leave the same import unwired with different bindings.
    #[error("nodes `{first}` and `{second}` both leave `{import}` unwired but bind it differently ({first_mode} and {second_mode}); a composed run has one `{import}`, so give them the same binding")]
    ConflictingBindings {
        /// The import.
        import: String,
        /// One node.
        first: String,
        /// Its binding mode.
        first_mode: &'static str,
        /// The other node.
        second: String,
        /// Its binding mode.
        second_mode: &'static str,
    },
    /// Imports bound `leave` that this host cannot provide.
    #[error("the composition leaves {} open that this host cannot provide: {}; wire, mock or deny them to run it here", if .imports.len() == 1 { "an import" } else { "imports" }, .imports.join(", "))]
    Unsatisfiable {
        /// The imports.
        imports: Vec<String>,
    },
    /// A grant of something that is not a host capability.
    #[error("`{import}` is granted, but only WASI interfaces are host capabilities; wire it, mock it or deny it")]
    NotACapability {
        /// The import.
        import: String,
    },
    /// A fake that does not fit the interface it mocks.
    #[error("the `{fake}` fake cannot stand in for `{import}`: {reason}")]
    FakeMismatch {
        /// The import.
        import: String,
        /// The fake's name.
        fake: &'static str,
        /// Why.
        reason: String,
    },
}

/// WASI packages this host implements (through wasmtime-wasi and
/// wasmtime-wasi-http).
const HOST_PACKAGES: &[&str] = &[
    "wasi:io/",
    "wasi:clocks/",
    "wasi:random/",
    "wasi:filesystem/",
    "wasi:sockets/",
    "wasi:cli/",
    "wasi:http/",
];

/// The WASI version the host implements; imports of any `0.2.x` resolve to it.
pub const HOST_WASI_VERSION: &str = "0.2.12";

/// The name under which the host's WASI defines an interface
/// (`wasi:http/outgoing-handler@0.2.4` → `…@0.2.12`). Mocks and denials of
/// WASI interfaces replace functions there, keeping WASI's resource types,
/// which other granted interfaces share.
pub fn host_instance_name(import: &str) -> String {
    match import.split_once('@') {
        Some((base, version)) if host_provides(import) && version.starts_with("0.2.") => {
            format!("{base}@{HOST_WASI_VERSION}")
        }
        _ => import.to_string(),
    }
}

/// Whether the host's WASI implementation provides this interface.
pub fn host_provides(import: &str) -> bool {
    HOST_PACKAGES.iter().any(|p| import.starts_with(p))
}

/// Computes the binding of every import of the composed component.
pub fn plan_imports(ws: &Workspace, imports: &[String]) -> Result<Vec<ImportPlan>, PlanError> {
    let project = ws.project();
    let mut plans = Vec::new();
    for name in imports {
        let mut nodes = Vec::new();
        let mut binding: Option<(String, Binding)> = None;
        let mut types_only = true;
        for node in project.nodes.keys() {
            let Some(part) = ws.node_part(node) else {
                continue;
            };
            let Some(port) = part.import(name) else {
                continue;
            };
            if project.wire_into(node, name).is_some() {
                continue;
            }
            nodes.push(node.clone());
            types_only &= port.types_only;
            if port.types_only {
                continue;
            }
            let this = project
                .binding_for(node, name)
                .map(|(_, b)| b.clone())
                .unwrap_or(Binding::Leave);
            match &binding {
                Some((first, b)) if *b != this => {
                    return Err(PlanError::ConflictingBindings {
                        import: name.clone(),
                        first: first.clone(),
                        first_mode: b.mode(),
                        second: node.clone(),
                        second_mode: this.mode(),
                    })
                }
                Some(_) => {}
                None => binding = Some((node.clone(), this)),
            }
        }
        let binding = if types_only {
            None
        } else {
            binding.map(|(_, b)| b)
        };
        if let Some(Binding::Grant(_)) = &binding {
            if !host_provides(name) {
                return Err(PlanError::NotACapability {
                    import: name.clone(),
                });
            }
        }
        if let Some(Binding::Mock(mock)) = &binding {
            check_fake(name, mock.fake)?;
        }
        plans.push(ImportPlan {
            name: name.clone(),
            nodes,
            binding,
        });
    }
    let missing: Vec<String> = plans
        .iter()
        .filter(|p| matches!(p.binding, Some(Binding::Leave)) && !host_provides(&p.name))
        .map(|p| p.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(PlanError::Unsatisfiable { imports: missing });
    }
    Ok(plans)
}

/// Whether `fake` can serve an import with these callable functions, and if
/// not, why. The editor offers a fake node only for imports it can serve.
pub fn fake_serves(fake: Fake, import: &str, functions: &[String]) -> Result<(), String> {
    check_fake(import, Some(fake)).map_err(|e| match e {
        PlanError::FakeMismatch { reason, .. } => reason,
        other => other.to_string(),
    })?;
    let allowed: &[&str] = match fake {
        Fake::KeyValue => &["get", "set", "delete", "exists"],
        Fake::Config => &["get"],
        // The log fake records any call that returns nothing; the WASI
        // fakes replace whole WASI interfaces.
        Fake::Log | Fake::Clock | Fake::Random | Fake::Http => return Ok(()),
    };
    let extra: Vec<&str> = functions
        .iter()
        .map(String::as_str)
        .filter(|f| !allowed.contains(f))
        .collect();
    if functions.is_empty() {
        return Err(format!("`{import}` has no functions to fake"));
    }
    if !extra.is_empty() {
        return Err(format!(
            "the `{}` fake implements {}; `{import}` also has {}",
            fake.name(),
            allowed.join(", "),
            extra.join(", ")
        ));
    }
    Ok(())
}

/// Fakes implemented through WASI need a WASI interface of their kind.
fn check_fake(import: &str, fake: Option<Fake>) -> Result<(), PlanError> {
    let Some(fake) = fake else { return Ok(()) };
    let needs = match fake {
        Fake::Clock => Some("wasi:clocks/"),
        Fake::Random => Some("wasi:random/"),
        Fake::Http => Some("wasi:http/"),
        Fake::KeyValue | Fake::Log | Fake::Config => None,
    };
    match needs {
        Some(prefix) if !import.starts_with(prefix) => Err(PlanError::FakeMismatch {
            import: import.to_string(),
            fake: fake.name(),
            reason: format!("it fakes `{prefix}*` interfaces"),
        }),
        _ => Ok(()),
    }
}

/// The binding of every unwired import of one node, for runs that
/// instantiate nodes on their own (traced mode): no merging across nodes.
pub fn plan_node_imports(ws: &Workspace, node: &str) -> Result<Vec<ImportPlan>, PlanError> {
    let project = ws.project();
    let Some(part) = ws.node_part(node) else {
        return Ok(Vec::new());
    };
    let mut plans = Vec::new();
    let mut missing = Vec::new();
    for port in &part.imports {
        if project.wire_into(node, &port.name).is_some() {
            continue;
        }
        let binding = if port.types_only {
            None
        } else {
            Some(
                project
                    .binding_for(node, &port.name)
                    .map(|(_, b)| b.clone())
                    .unwrap_or(Binding::Leave),
            )
        };
        match &binding {
            Some(Binding::Grant(_)) if !host_provides(&port.name) => {
                return Err(PlanError::NotACapability {
                    import: port.name.clone(),
                })
            }
            Some(Binding::Mock(m)) => check_fake(&port.name, m.fake)?,
            Some(Binding::Leave) if !host_provides(&port.name) => missing.push(port.name.clone()),
            _ => {}
        }
        plans.push(ImportPlan {
            name: port.name.clone(),
            nodes: vec![node.to_string()],
            binding,
        });
    }
    if !missing.is_empty() {
        return Err(PlanError::Unsatisfiable { imports: missing });
    }
    Ok(plans)
}
