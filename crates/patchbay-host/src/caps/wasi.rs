//! Granted WASI: what the guest may see of the host. Nothing is granted by
//! default: no environment, no folders, no network, stdio captured to
//! buffers. Clocks are real unless fixed; random is real unless seeded.

use patchbay_project::{ClockSetting, Grant, RandomSetting};
use rand::SeedableRng;
use std::path::{Path, PathBuf};
use std::time::Duration;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder};

/// Scope of the granted WASI capabilities of a project.
#[derive(Debug, Clone, Default)]
pub struct WasiConfig {
    env: Vec<String>,
    dirs: Vec<(PathBuf, String, bool)>,
    allow: Vec<String>,
    clock: Option<ClockSetting>,
    random: Option<RandomSetting>,
}

impl WasiConfig {
    /// Adds the scope of one grant.
    pub fn grant(&mut self, grant: &Grant, project_dir: &Path) {
        for name in &grant.env {
            if !self.env.contains(name) {
                self.env.push(name.clone());
            }
        }
        for d in &grant.dirs {
            self.dirs
                .push((project_dir.join(&d.host), d.guest.clone(), d.writable));
        }
        for a in &grant.allow {
            self.allow.push(a.to_string());
        }
        if grant.clock.is_some() {
            self.clock = grant.clock;
        }
        if grant.random.is_some() {
            self.random = grant.random;
        }
    }

    /// Adds another node's scope (traced runs share one WASI context).
    pub fn merge(&mut self, other: &WasiConfig) {
        for name in &other.env {
            if !self.env.contains(name) {
                self.env.push(name.clone());
            }
        }
        self.dirs.extend(other.dirs.iter().cloned());
        self.allow.extend(other.allow.iter().cloned());
        self.clock = self.clock.or(other.clock);
        self.random = self.random.or(other.random);
    }

    /// The `clock` fake: a wall clock stopped at the epoch and a monotonic
    /// clock that never moves, unless a grant fixed another time.
    pub fn fixed_clock(&mut self) {
        if !matches!(self.clock, Some(ClockSetting::Fixed { .. })) {
            self.clock = Some(ClockSetting::Fixed { unix_ms: 0 });
        }
    }

    /// The `random` fake: a generator seeded with 0, unless a grant seeded it.
    pub fn seeded_random(&mut self) {
        if !matches!(self.random, Some(RandomSetting::Seeded(_))) {
            self.random = Some(RandomSetting::Seeded(0));
        }
    }

    /// Builds the WASI context of one run, with stdout and stderr captured
    /// into pipes of at most `output_cap` bytes each.
    pub fn prepare(
        &self,
        output_cap: usize,
    ) -> wasmtime::Result<(WasiCtx, MemoryOutputPipe, MemoryOutputPipe)> {
        let stdout = MemoryOutputPipe::new(output_cap);
        let stderr = MemoryOutputPipe::new(output_cap);
        let mut b = WasiCtxBuilder::new();
        b.stdout(stdout.clone()).stderr(stderr.clone());
        for name in &self.env {
            if let Ok(value) = std::env::var(name) {
                b.env(name, value);
            }
        }
        for (host, guest, writable) in &self.dirs {
            let perms = if *writable {
                FsPerms::ReadWrite
            } else {
                FsPerms::ReadOnly
            };
            b.preopened_dir(host, guest, perms).map_err(|e| {
                wasmtime::Error::msg(format!(
                    "cannot share folder {} as {guest}: {e}",
                    host.display()
                ))
            })?;
        }
        let allow: Vec<String> = self.allow.clone();
        b.allow_ip_name_lookup(!allow.is_empty());
        b.socket_addr_check(move |addr, _use| {
            let ok = allow.iter().any(|a| {
                a == &addr.to_string()
                    || a.rsplit_once(':').is_some_and(|(h, p)| {
                        p == addr.port().to_string()
                            && (h == "localhost" && addr.ip().is_loopback()
                                || h.trim_matches(['[', ']']) == addr.ip().to_string())
                    })
            });
            Box::pin(async move { ok })
        });
        if let Some(ClockSetting::Fixed { unix_ms }) = self.clock {
            b.wall_clock(FixedWallClock(Duration::from_millis(unix_ms)));
            b.monotonic_clock(FixedMonotonicClock);
        }
        if let Some(RandomSetting::Seeded(seed)) = self.random {
            b.secure_random(rand::rngs::StdRng::seed_from_u64(seed));
            b.insecure_random(rand::rngs::StdRng::seed_from_u64(seed ^ 0x5eed));
            b.insecure_random_seed(u128::from(seed));
        }
        Ok((b.build(), stdout, stderr))
    }
}

struct FixedWallClock(Duration);

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

struct FixedMonotonicClock;

impl HostMonotonicClock for FixedMonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        0
    }
}
