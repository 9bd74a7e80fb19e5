//! Which binding each import of a composed component gets.
//!
//! The composition merges the unwired imports of all nodes by name (and
//! semver-compatible versions under the highest), so in composed mode one
//! import stands for the same import of several nodes
//! ([`Workspace::open_imports`] says which). Its binding is theirs; nodes
//! that bind one import differently cannot share it, and run traced.
//!
//! Whether a binding can serve an import is decided by
//! [`patchbay_compose::check_binding`], the rule `check` reports with, so a
//! project `check` passes is one these plans accept.

use patchbay_compose::{check_binding, BindingError, PortSummary, Workspace};
use patchbay_project::Binding;

pub use patchbay_compose::{fake_serves, host_provides, HOST_WASI_VERSION};

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
    #[error("nodes `{first}` and `{second}` both leave `{import}` unwired but bind it differently (`{first}` {first_mode}, `{second}` {second_mode}); a composed run has one `{import}`, so give them the same binding")]
    ConflictingBindings {
        /// The import.
        import: String,
        /// One node.
        first: String,
        /// Its binding in words ("grants env A", "denies it").
        first_mode: String,
        /// The other node.
        second: String,
        /// Its binding in words.
        second_mode: String,
    },
    /// A binding that cannot serve its import (a grant of something that is
    /// not a host capability, a fake that does not fit): the rule `check`
    /// reports with.
    #[error(transparent)]
    Binding(#[from] BindingError),
}

/// The name under which the host's WASI defines an interface
/// (`wasi:http/outgoing-handler@0.2.4` → `…@0.2.12`). Mocks and denials of
/// WASI interfaces replace functions there, keeping WASI's resource types,
/// which other granted interfaces share.
pub fn host_instance_name(import: &str) -> String {
    match import.split_once('@') {
        Some((base, _)) if patchbay_compose::host_wasi(import) => {
            format!("{base}@{HOST_WASI_VERSION}")
        }
        _ => import.to_string(),
    }
}

/// The binding of `port` (an unwired import of `node`): `None` for a
/// types-only port, `leave` when nothing binds it. Applies the binding rule
/// of `check`. An import left open that the host cannot provide is planned
/// like any other: the run links a stub that fails a call to it
/// ([`patchbay_compose::left_open_note`]).
fn node_binding(
    ws: &Workspace,
    node: &str,
    port: &PortSummary,
) -> Result<Option<Binding>, PlanError> {
    if port.types_only {
        return Ok(None);
    }
    let binding = ws
        .project()
        .binding_for(node, &port.name)
        .map(|(_, b)| b.clone())
        .unwrap_or(Binding::Leave);
    check_binding(port, &binding)?;
    Ok(Some(binding))
}

/// Computes the binding of every import of the composed component.
pub fn plan_imports(ws: &Workspace, imports: &[String]) -> Result<Vec<ImportPlan>, PlanError> {
    let open = ws.open_imports();
    let mut plans = Vec::new();
    for name in imports {
        let mut nodes = Vec::new();
        let mut binding: Option<(String, Binding)> = None;
        let mut types_only = true;
        for member in open.imports.get(name).into_iter().flatten() {
            let Some(port) = ws
                .node_part(&member.node)
                .and_then(|p| p.import(&member.name))
            else {
                continue;
            };
            nodes.push(member.node.clone());
            types_only &= port.types_only;
            let Some(this) = node_binding(ws, &member.node, port)? else {
                continue;
            };
            match &binding {
                Some((first, b)) if *b != this => {
                    return Err(PlanError::ConflictingBindings {
                        import: name.clone(),
                        first: first.clone(),
                        first_mode: describe_binding(ws, first, name),
                        second: member.node.clone(),
                        second_mode: describe_binding(ws, &member.node, name),
                    })
                }
                Some(_) => {}
                None => binding = Some((member.node.clone(), this)),
            }
        }
        plans.push(ImportPlan {
            name: name.clone(),
            nodes,
            binding: if types_only {
                None
            } else {
                binding.map(|(_, b)| b)
            },
        });
    }
    Ok(plans)
}

/// The binding of every unwired import of one node, for runs that
/// instantiate nodes on their own (traced mode): no merging across nodes.
pub fn plan_node_imports(ws: &Workspace, node: &str) -> Result<Vec<ImportPlan>, PlanError> {
    let project = ws.project();
    let Some(part) = ws.node_part(node) else {
        return Ok(Vec::new());
    };
    let mut plans = Vec::new();
    for port in &part.imports {
        if project.wire_into(node, &port.name).is_some() {
            continue;
        }
        let binding = node_binding(ws, node, port)?;
        plans.push(ImportPlan {
            name: port.name.clone(),
            nodes: vec![node.to_string()],
            binding,
        });
    }
    Ok(plans)
}

/// How `node` binds the import named like `import` (any version of it, for
/// WASI interfaces), in words: "grants env GREETING", "denies",
/// "mocks with the `kv` fake". `import` may name two imports joined by
/// "` and `", as a conflict between versions does.
pub(crate) fn describe_binding(
    ws: &patchbay_compose::Workspace,
    node: &str,
    import: &str,
) -> String {
    let project = ws.project();
    let wanted: Vec<String> = import.split("` and `").map(host_instance_name).collect();
    let binding = ws.node_part(node).and_then(|part| {
        part.imports
            .iter()
            .find(|p| wanted.contains(&host_instance_name(&p.name)))
            .map(|p| {
                project
                    .binding_for(node, &p.name)
                    .map(|(_, b)| b.clone())
                    .unwrap_or(Binding::Leave)
            })
    });
    match binding {
        None => "does not import it".into(),
        Some(Binding::Leave) => "leaves it open".into(),
        Some(Binding::Deny) => "denies it".into(),
        Some(Binding::Mock(m)) => match m.fake {
            Some(fake) => format!("mocks it with the `{}` fake", fake.name()),
            None => "mocks it with canned values".into(),
        },
        Some(Binding::Grant(g)) => {
            let mut parts = Vec::new();
            let list = |items: Vec<String>| items.join(", ");
            if !g.env.is_empty() {
                parts.push(format!(
                    "env {}",
                    list(g.env.iter().map(|e| crate::report::shown(e)).collect())
                ));
            }
            if !g.dirs.is_empty() {
                parts.push(format!(
                    "folders {}",
                    list(
                        g.dirs
                            .iter()
                            .map(|d| format!(
                                "{} as {}{}",
                                d.host.display(),
                                d.guest,
                                if d.writable { " (writable)" } else { "" }
                            ))
                            .collect()
                    )
                ));
            }
            if !g.allow.is_empty() {
                parts.push(format!(
                    "network {}",
                    list(
                        g.allow
                            .iter()
                            .map(|a| format!("{}:{}", a.host, a.port))
                            .collect()
                    )
                ));
            }
            if let Some(c) = g.clock {
                parts.push(format!("clock {c:?}").to_lowercase());
            }
            if let Some(r) = g.random {
                parts.push(format!("random {r:?}").to_lowercase());
            }
            if parts.is_empty() {
                "grants an empty scope".into()
            } else {
                format!("grants {}", parts.join("; "))
            }
        }
    }
}
