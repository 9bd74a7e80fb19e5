//! Looking things up in a project: the binding that applies to an import
//! (the most specific matching selector) and the wire feeding it.

use crate::model::{Binding, ImportSelector, Project, Wire};

impl Project {
    /// The binding that applies to `import` of `node`: the most specific
    /// matching selector (see [`ImportSelector::specificity`]).
    pub fn binding_for(&self, node: &str, import: &str) -> Option<(&ImportSelector, &Binding)> {
        self.bindings
            .iter()
            .filter(|(sel, _)| sel.matches(node, import))
            .max_by_key(|(sel, _)| sel.specificity())
    }

    /// The wire feeding `import` of `node`, if any.
    pub fn wire_into(&self, node: &str, import: &str) -> Option<&Wire> {
        self.wires
            .iter()
            .find(|w| w.to.node == node && w.to.port == import)
    }
}
