//! Fuzzing that stays: targets for the project parser, for check and
//! compose on mutated projects, and for component inspection, runnable on
//! stable Rust.
//!
//! Inputs are a pure function of `(target, seed, iteration)`: a small
//! deterministic generator ([`rng::Rng`]) drives the mutators in
//! [`mutate`] over seeds read from the repository ([`seeds`]). The first
//! iterations run the seeds unchanged. A [`targets::Fuzzer`] generates and
//! executes inputs; [`runner`] catches panics, checks the known findings
//! and saves new ones as replayable files.
//!
//! Two ways to run it:
//! - `cargo test -p patchbay-fuzz`: a short, fixed run of every target
//!   (a few seconds each), and a replay of every committed regression input
//!   under `crates/patchbay-fuzz/regressions/<target>/`;
//! - `scripts/fuzz.sh`: the long run, through the `patchbay-fuzz` binary,
//!   which runs each target in a worker process under a watchdog (an input
//!   that runs longer than the timeout is a hang; a worker that dies is a
//!   crash) and prints the figures.
//!
//! ```no_run
//! use patchbay_fuzz::{runner, seeds, targets::{Fuzzer, Target}};
//! let root = seeds::repo_root();
//! let fuzzer = Fuzzer::new(Target::Project, &root, &[]).unwrap();
//! let input = fuzzer.generate(1, 100);
//! assert_eq!(runner::run_one(&fuzzer, &input), runner::Outcome::Pass);
//! ```

pub mod mutate;
pub mod rng;
pub mod runner;
pub mod seeds;
pub mod targets;
