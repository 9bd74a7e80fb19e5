//! Component views: a component file as the library panel and the nodes
//! show it, read from a workspace or loaded from disk when the watcher
//! reports a change.

use crate::dto::{ComponentInfo, ComponentView};
use crate::error::chain;
use crate::paths::normalize;
use patchbay_compose::Workspace;
use std::path::Path;

pub(crate) fn component_views(ws: &Workspace) -> Vec<ComponentView> {
    let doc = ws.doc();
    ws.project()
        .components
        .iter()
        .map(|(id, c)| {
            let abs = normalize(&doc.resolve(&c.path));
            let mut view = ComponentView {
                id: id.to_string(),
                path: c.path.to_string_lossy().replace('\\', "/"),
                abs_path: abs.display().to_string(),
                size: 0,
                hash: None,
                info: None,
                error: None,
            };
            match ws.part(id) {
                Some(Ok(part)) => {
                    view.size = part.loaded.input_size as u64;
                    view.hash = Some(part.loaded.hash.clone());
                    match part.info() {
                        Ok(info) => view.info = Some(ComponentInfo::from(info)),
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
                Some(Err(e)) => view.error = Some(e.to_string()),
                None => view.error = Some(format!("component `{id}` is not loaded")),
            }
            view
        })
        .collect()
}

/// The document's composites as the nodes show them: each composed into a
/// component of its own (`path` and `absPath` empty, `size` the composed
/// bytes), whose ports are a composite node's, or why it does not compose.
pub(crate) fn composite_views(ws: &Workspace) -> Vec<ComponentView> {
    ws.project()
        .composites
        .keys()
        .map(|name| {
            let mut view = ComponentView {
                id: name.to_string(),
                path: String::new(),
                abs_path: String::new(),
                size: 0,
                hash: None,
                info: None,
                error: None,
            };
            match ws.composite_part(name) {
                Some(Ok(part)) => {
                    view.size = part.loaded.input_size as u64;
                    view.hash = Some(part.loaded.hash.clone());
                    match part.info() {
                        Ok(info) => view.info = Some(ComponentInfo::from(info)),
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
                Some(Err(e)) => view.error = Some(e.to_string()),
                None => view.error = Some(format!("composite `{name}` is not composed")),
            }
            view
        })
        .collect()
}

/// Loads one component file for the live view (after a change on disk).
pub(crate) fn load_view(id: &str, rel: &str, abs: &Path) -> ComponentView {
    let mut view = ComponentView {
        id: id.to_string(),
        path: rel.to_string(),
        abs_path: abs.display().to_string(),
        size: 0,
        hash: None,
        info: None,
        error: None,
    };
    match patchbay_inspect::load_file(abs) {
        Ok(loaded) => {
            view.size = loaded.input_size as u64;
            view.hash = Some(loaded.hash.clone());
            match patchbay_inspect::describe_component(&loaded.bytes, abs) {
                Ok(info) => view.info = Some(ComponentInfo::from(&info)),
                Err(e) => view.error = Some(chain(&e)),
            }
        }
        Err(e) => view.error = Some(chain(&e)),
    }
    view
}
