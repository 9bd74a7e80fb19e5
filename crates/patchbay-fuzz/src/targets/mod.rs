//! The three fuzz targets. Each turns `(seed, iteration)` into an input
//! ([`Fuzzer::generate`], deterministic) and runs one input
//! ([`Fuzzer::execute`]). A panic escapes `execute`; a broken invariant
//! (a saved project that does not load back, a green check that does not
//! compose, a `.wac` that does not rebuild the composition) is an `Err`.

mod compose;
mod inspect;
mod project;

use crate::rng::Rng;
use crate::seeds::{self, Seed};
use std::path::{Path, PathBuf};

/// What is fuzzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `patchbay_project::parse` on mutated and arbitrary `patchbay.toml`
    /// text, with a save/load round trip of whatever parses.
    Project,
    /// `Workspace::open`, `check`, wire checks, candidates and `compose` on
    /// structurally mutated projects, with the composition's `.wac` rebuilt.
    Compose,
    /// `patchbay_inspect` (load, validate, adapt, describe) and wac-graph's
    /// package reader on mutated component bytes and text.
    Inspect,
}

impl Target {
    /// Every target, in the order runs go through them.
    pub const ALL: [Target; 3] = [Target::Project, Target::Compose, Target::Inspect];

    /// The target's name on the command line and in folders.
    pub fn name(self) -> &'static str {
        match self {
            Target::Project => "project",
            Target::Compose => "compose",
            Target::Inspect => "inspect",
        }
    }

    /// Looks a target up by name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Largest generated project text.
const MAX_PROJECT_LEN: usize = 64 * 1024;
/// Largest generated component input.
const MAX_COMPONENT_LEN: usize = 512 * 1024;

/// A target with its seeds loaded, ready to generate and run inputs.
pub struct Fuzzer {
    target: Target,
    root: PathBuf,
    seeds: Vec<Seed>,
    compose: Option<compose::World>,
}

impl Fuzzer {
    /// Loads the seeds of `target` from the repository at `root`, plus the
    /// component files under the `extra` corpus folders.
    pub fn new(target: Target, root: &Path, extra: &[PathBuf]) -> Result<Self, String> {
        let seeds = match target {
            Target::Project => seeds::project_seeds(root),
            Target::Compose => Vec::new(),
            Target::Inspect => seeds::component_seeds(root, extra),
        };
        let compose = match target {
            Target::Compose => Some(compose::World::load(root, extra)?),
            _ => None,
        };
        if target != Target::Compose && seeds.is_empty() {
            return Err(format!(
                "no seeds for the {target} target under {}; build the samples first (samples/build.sh)",
                root.display()
            ));
        }
        Ok(Self {
            target,
            root: root.to_path_buf(),
            seeds,
            compose,
        })
    }

    /// The target.
    pub fn target(&self) -> Target {
        self.target
    }

    /// How many seeds (inputs or base projects) the target starts from.
    pub fn seed_count(&self) -> usize {
        match &self.compose {
            Some(world) => world.base_count(),
            None => self.seeds.len(),
        }
    }

    /// The input of `iteration` in a run with `seed`. The first
    /// iterations are the seeds themselves, unchanged.
    pub fn generate(&self, seed: u64, iteration: u64) -> Vec<u8> {
        let mut rng = Rng::for_input(self.target.name(), seed, iteration);
        match self.target {
            Target::Project => {
                if let Some(s) = self.seeds.get(iteration as usize) {
                    return s.bytes.clone();
                }
                project::generate(&mut rng, &self.seeds, MAX_PROJECT_LEN)
            }
            Target::Compose => self
                .compose
                .as_ref()
                .map(|world| world.generate(&mut rng, iteration))
                .unwrap_or_default(),
            Target::Inspect => {
                if let Some(s) = self.seeds.get(iteration as usize) {
                    return s.bytes.clone();
                }
                inspect::generate(&mut rng, &self.seeds, MAX_COMPONENT_LEN)
            }
        }
    }

    /// Runs one input. Panics propagate; `Err` names a broken invariant.
    pub fn execute(&self, input: &[u8]) -> Result<(), String> {
        match self.target {
            Target::Project => project::execute(input),
            Target::Compose => compose::execute(&self.root, input),
            Target::Inspect => inspect::execute(input),
        }
    }

    /// The file extension an input of this target is saved with.
    pub fn extension(&self, input: &[u8]) -> &'static str {
        match self.target {
            Target::Project | Target::Compose => "toml",
            Target::Inspect if input.starts_with(b"\0asm") => "wasm",
            Target::Inspect => "wat",
        }
    }
}
