//! `wasi:config/store`, from a table of values per scope: `@0.2.0-rc.1`
//! served by Wasmtime's `wasmtime-wasi-config`; `@0.2.0-draft` (what
//! wasmCloud's SDK imports) and `@0.2.0-draft-2024-09-27` (what Spin 3
//! serves and its SDK imports), the same functions, by bindings generated
//! here from their WIT (`wit/config`, `wit/config-draft-2024-09-27`), all
//! over the same table:
//!
//! - **granted**: the grant's `config` values, and the host's environment
//!   variables that start with `config-prefix`, the prefix stripped and the
//!   rest lowercased (Spin's environment-variables provider reads
//!   `SPIN_VARIABLE_API_KEY` as `api_key` the same way); a value in
//!   `config` wins over one from the environment;
//! - **faked** (`fake = "config"`): the binding's `values`.

use crate::state::RunState;
use indexmap::IndexMap;
use wasmtime::component::{HasData, Linker};
use wasmtime_wasi_config::{WasiConfig, WasiConfigVariables};

mod draft {
    wasmtime::component::bindgen!({
        path: "wit/config",
        world: "wasi:config/imports",
        imports: { default: trappable },
    });
}

mod spin3 {
    wasmtime::component::bindgen!({
        path: "wit/config-draft-2024-09-27",
        world: "wasi:config/imports",
        imports: { default: trappable },
    });
}

use draft::wasi::config::store as draft_store;
use spin3::wasi::config::store as spin3_store;

/// The configuration values of one scope.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfigValues {
    values: IndexMap<String, String>,
    prefix: Option<String>,
}

impl ConfigValues {
    /// A grant: its values and its environment prefix.
    pub fn grant(&mut self, grant: &patchbay_project::Grant) {
        self.values.extend(grant.config.clone());
        if grant.config_prefix.is_some() {
            self.prefix.clone_from(&grant.config_prefix);
        }
    }

    /// The `config` fake's values.
    pub fn fake(&mut self, values: &IndexMap<String, String>) {
        self.values.extend(values.clone());
    }

    /// The values a Store sees, the environment read now.
    pub fn prepare(&self) -> ConfigTable {
        let mut all: IndexMap<String, String> = IndexMap::new();
        if let Some(prefix) = &self.prefix {
            for (name, value) in std::env::vars_os() {
                let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
                    continue;
                };
                if let Some(rest) = name.strip_prefix(prefix.as_str()) {
                    if !rest.is_empty() {
                        all.insert(rest.to_lowercase(), value.to_string());
                    }
                }
            }
        }
        all.extend(self.values.clone());
        ConfigTable {
            vars: all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            values: all,
        }
    }
}

/// The configuration one scope of a Store sees.
pub(crate) struct ConfigTable {
    /// For `wasmtime-wasi-config` (`@0.2.0-rc.1`).
    vars: WasiConfigVariables,
    /// For `@0.2.0-draft`.
    values: IndexMap<String, String>,
}

fn active(state: &mut RunState) -> &ConfigTable {
    match state.scopes.get(state.active) {
        Some(scope) => &scope.config,
        None => &state.closed.config,
    }
}

/// `@0.2.0-draft`, answering what `wasmtime-wasi-config` answers for
/// `@0.2.0-rc.1` from the same table.
struct DraftConfig<'a>(&'a IndexMap<String, String>);

struct DraftData;

impl HasData for DraftData {
    type Data<'a> = DraftConfig<'a>;
}

impl draft_store::Host for DraftConfig<'_> {
    fn get(&mut self, key: String) -> wasmtime::Result<Result<Option<String>, draft_store::Error>> {
        Ok(Ok(self.0.get(&key).cloned()))
    }

    fn get_all(&mut self) -> wasmtime::Result<Result<Vec<(String, String)>, draft_store::Error>> {
        Ok(Ok(all(self.0)))
    }
}

/// Every value of the table, in its order.
fn all(values: &IndexMap<String, String>) -> Vec<(String, String)> {
    values.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// `@0.2.0-draft-2024-09-27`, the same answers.
struct Spin3Config<'a>(&'a IndexMap<String, String>);

struct Spin3Data;

impl HasData for Spin3Data {
    type Data<'a> = Spin3Config<'a>;
}

impl spin3_store::Host for Spin3Config<'_> {
    fn get(&mut self, key: String) -> wasmtime::Result<Result<Option<String>, spin3_store::Error>> {
        Ok(Ok(self.0.get(&key).cloned()))
    }

    fn get_all(&mut self) -> wasmtime::Result<Result<Vec<(String, String)>, spin3_store::Error>> {
        Ok(Ok(all(self.0)))
    }
}

/// Adds the three versions of `wasi:config/store` to the linker, served
/// from the Store's active scope.
pub(crate) fn link(linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
    wasmtime_wasi_config::add_to_linker(linker, |state| WasiConfig::from(&active(state).vars))?;
    draft_store::add_to_linker::<RunState, DraftData>(linker, |state| {
        DraftConfig(&active(state).values)
    })?;
    spin3_store::add_to_linker::<RunState, Spin3Data>(linker, |state| {
        Spin3Config(&active(state).values)
    })
}
