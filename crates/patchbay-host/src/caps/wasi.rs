//! Granted WASI: what the guest may see of the host. Nothing is granted by
//! default: no environment, no folders, no network, stdio captured to
//! buffers. Clocks are real unless fixed; random is real unless seeded.
//!
//! A scope is built for one node (traced runs) or for the composition
//! (composed runs, where every node importing an interface shares its one
//! binding). Each setting of a grant counts only on the interface it
//! serves: `env` on `wasi:cli/environment`, `dirs` on
//! `wasi:filesystem/preopens`, `allow` on `wasi:sockets/tcp` (TCP),
//! `wasi:sockets/udp` (UDP) and `wasi:sockets/ip-name-lookup`, `clock` on
//! the clock interface it is bound to, `random` on the random interface it
//! is bound to. So a grant on one interface never widens another, and two
//! interfaces bound differently stay apart even in one WASI context.
//!
//! TCP and UDP are on in every scope; their allow-lists decide (an empty
//! list refuses every address), so each refused address leaves a line.
//!
//! Scope refusals are recorded with the nodes and the interface: a socket
//! address outside the allow-list, an address WASI refuses for a socket
//! (an IPv4-mapped IPv6 address, for one), a name lookup in a scope not
//! granted it, a path that leads outside the granted folders or writes to
//! a read-only one, and the narrowed view a node gets of the host's
//! environment and folders.

use super::peer::peer_matches;
use crate::state::{RunState, ScopeLog, ScopeRefusal};
use patchbay_project::{ClockSetting, Grant, HostPort, RandomSetting};
use rand::SeedableRng;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use wasmtime::component::{Linker, Resource};
use wasmtime_wasi::cli::WasiCliView;
use wasmtime_wasi::filesystem::WasiFilesystemView;
use wasmtime_wasi::p2::bindings::cli::environment;
use wasmtime_wasi::p2::bindings::filesystem::preopens;
use wasmtime_wasi::p2::bindings::filesystem::types::{
    self as fs, Descriptor, DescriptorFlags, ErrorCode, HostDescriptor, OpenFlags, PathFlags,
};
use wasmtime_wasi::p2::bindings::sockets::network::{self, IpSocketAddress, Network};
use wasmtime_wasi::p2::bindings::sockets::{ip_name_lookup, tcp};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::p2::TcpSocket;
use wasmtime_wasi::sockets::{SocketAddrUse, WasiSocketsView};
use wasmtime_wasi::{FsPerms, HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder};

/// The part of the host a WASI interface reaches, and so which setting of
/// its grant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    Environment,
    Folders,
    Tcp,
    Udp,
    NameLookup,
    Http,
    WallClock,
    MonotonicClock,
    SecureRandom,
    InsecureRandom,
    InsecureSeed,
}

impl Reach {
    /// What `import` (`wasi:cli/environment@0.2.6`) reaches, if it is a
    /// scoped WASI interface.
    pub fn of(import: &str) -> Option<Reach> {
        let base = import.split('@').next().unwrap_or(import);
        Some(match base {
            "wasi:cli/environment" => Reach::Environment,
            "wasi:filesystem/preopens" => Reach::Folders,
            "wasi:sockets/tcp" | "wasi:sockets/tcp-create-socket" => Reach::Tcp,
            "wasi:sockets/udp" | "wasi:sockets/udp-create-socket" => Reach::Udp,
            "wasi:sockets/ip-name-lookup" => Reach::NameLookup,
            "wasi:http/outgoing-handler" | "wasi:http/client" => Reach::Http,
            "wasi:clocks/wall-clock" => Reach::WallClock,
            "wasi:clocks/monotonic-clock" => Reach::MonotonicClock,
            "wasi:random/random" => Reach::SecureRandom,
            "wasi:random/insecure" => Reach::InsecureRandom,
            "wasi:random/insecure-seed" => Reach::InsecureSeed,
            _ => return None,
        })
    }
}

/// One shared folder: where on the host, where the guest sees it, writable.
#[derive(Debug, Clone, PartialEq)]
struct SharedDir {
    host: PathBuf,
    guest: String,
    writable: bool,
}

/// Scope of the granted WASI capabilities of one node, or of a composition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WasiConfig {
    env: Vec<String>,
    env_nodes: Vec<String>,
    dirs: Vec<SharedDir>,
    dir_nodes: Vec<String>,
    tcp: Vec<HostPort>,
    tcp_nodes: Vec<String>,
    udp: Vec<HostPort>,
    udp_nodes: Vec<String>,
    name_lookup: bool,
    lookup_nodes: Vec<String>,
    wall: Option<ClockSetting>,
    monotonic: Option<ClockSetting>,
    secure_random: Option<RandomSetting>,
    insecure_random: Option<RandomSetting>,
    insecure_seed: Option<RandomSetting>,
}

impl WasiConfig {
    /// Whether `other` reaches the same variables, folders, peers, clocks
    /// and random sources, whichever nodes each names.
    pub fn same_reach(&self, other: &Self) -> bool {
        self.env == other.env
            && self.dirs == other.dirs
            && self.tcp == other.tcp
            && self.udp == other.udp
            && self.name_lookup == other.name_lookup
            && self.wall == other.wall
            && self.monotonic == other.monotonic
            && self.secure_random == other.secure_random
            && self.insecure_random == other.insecure_random
            && self.insecure_seed == other.insecure_seed
    }

    /// Notes that `nodes` reach the host through `import` with WASI's own
    /// implementation (granted, or left open): scope lines about that
    /// interface name them.
    pub fn reached(&mut self, import: &str, nodes: &[String]) {
        let to = match Reach::of(import) {
            Some(Reach::Environment) => &mut self.env_nodes,
            Some(Reach::Folders) => &mut self.dir_nodes,
            Some(Reach::Tcp) => &mut self.tcp_nodes,
            Some(Reach::Udp) => &mut self.udp_nodes,
            Some(Reach::NameLookup) => &mut self.lookup_nodes,
            _ => return,
        };
        for n in nodes {
            if !to.contains(n) {
                to.push(n.clone());
            }
        }
    }

    /// Adds the scope of one grant, bound to `import`: only the setting for
    /// what that interface reaches counts.
    pub fn grant(&mut self, import: &str, grant: &Grant, project_dir: &Path) {
        match Reach::of(import) {
            Some(Reach::Environment) => {
                for name in &grant.env {
                    if !self.env.contains(name) {
                        self.env.push(name.clone());
                    }
                }
            }
            Some(Reach::Folders) => {
                for d in &grant.dirs {
                    let dir = SharedDir {
                        host: project_dir.join(&d.host),
                        guest: d.guest.clone(),
                        writable: d.writable,
                    };
                    if !self.dirs.contains(&dir) {
                        self.dirs.push(dir);
                    }
                }
            }
            Some(Reach::Tcp) => extend_unique(&mut self.tcp, &grant.allow),
            Some(Reach::Udp) => extend_unique(&mut self.udp, &grant.allow),
            Some(Reach::NameLookup) => self.name_lookup |= !grant.allow.is_empty(),
            Some(Reach::WallClock) => self.wall = grant.clock.or(self.wall),
            Some(Reach::MonotonicClock) => self.monotonic = grant.clock.or(self.monotonic),
            Some(Reach::SecureRandom) => self.secure_random = grant.random.or(self.secure_random),
            Some(Reach::InsecureRandom) => {
                self.insecure_random = grant.random.or(self.insecure_random)
            }
            Some(Reach::InsecureSeed) => self.insecure_seed = grant.random.or(self.insecure_seed),
            Some(Reach::Http) | None => {}
        }
    }

    /// The `clock` fake on `import`: that clock stopped at the epoch (a wall
    /// clock at 1970-01-01, a monotonic clock that never moves).
    pub fn fixed_clock(&mut self, import: &str) {
        let fixed = Some(ClockSetting::Fixed { unix_ms: 0 });
        match Reach::of(import) {
            Some(Reach::WallClock) => self.wall = fixed,
            Some(Reach::MonotonicClock) => self.monotonic = fixed,
            _ => {}
        }
    }

    /// The `random` fake on `import`: that source seeded with 0.
    pub fn seeded_random(&mut self, import: &str) {
        let seeded = Some(RandomSetting::Seeded(0));
        match Reach::of(import) {
            Some(Reach::SecureRandom) => self.secure_random = seeded,
            Some(Reach::InsecureRandom) => self.insecure_random = seeded,
            Some(Reach::InsecureSeed) => self.insecure_seed = seeded,
            _ => {}
        }
    }

    /// Builds the WASI context of this scope for one run, writing stdout
    /// and stderr to the run's pipes and socket refusals to `log`.
    pub(crate) fn prepare(
        &self,
        stdout: &MemoryOutputPipe,
        stderr: &MemoryOutputPipe,
        log: &ScopeLog,
    ) -> wasmtime::Result<WasiCtx> {
        let mut b = WasiCtxBuilder::new();
        b.stdout(stdout.clone()).stderr(stderr.clone());
        for name in &self.env {
            if let Ok(value) = std::env::var(name) {
                b.env(name, value);
            }
        }
        for d in &self.dirs {
            let perms = if d.writable {
                FsPerms::ReadWrite
            } else {
                FsPerms::ReadOnly
            };
            b.preopened_dir(&d.host, &d.guest, perms).map_err(|e| {
                wasmtime::Error::msg(format!(
                    "cannot share folder {} as {}: {e}",
                    d.host.display(),
                    d.guest
                ))
            })?;
        }
        b.allow_ip_name_lookup(self.name_lookup);
        // WASI's own switches default to off, which refuses every socket
        // before the address check runs and leaves no line; the
        // allow-lists below are the scope.
        b.allow_tcp(true).allow_udp(true);
        let check = SocketCheck {
            tcp: self.tcp.clone(),
            tcp_nodes: self.tcp_nodes.clone(),
            udp: self.udp.clone(),
            udp_nodes: self.udp_nodes.clone(),
            log: log.clone(),
        };
        b.socket_addr_check(move |addr, use_| {
            let ok = check.allows(addr, use_);
            Box::pin(async move { ok })
        });
        if let Some(ClockSetting::Fixed { unix_ms }) = self.wall {
            b.wall_clock(FixedWallClock(Duration::from_millis(unix_ms)));
        }
        if let Some(ClockSetting::Fixed { .. }) = self.monotonic {
            b.monotonic_clock(FixedMonotonicClock);
        }
        if let Some(RandomSetting::Seeded(seed)) = self.secure_random {
            b.secure_random(rand::rngs::StdRng::seed_from_u64(seed));
        }
        if let Some(RandomSetting::Seeded(seed)) = self.insecure_random {
            b.insecure_random(rand::rngs::StdRng::seed_from_u64(seed ^ 0x5eed));
        }
        if let Some(RandomSetting::Seeded(seed)) = self.insecure_seed {
            b.insecure_random_seed(u128::from(seed));
        }
        Ok(b.build())
    }

    /// A sentence naming the environment variables granted.
    fn env_text(&self) -> String {
        let (set, unset): (Vec<&String>, Vec<&String>) =
            self.env.iter().partition(|n| std::env::var_os(n).is_some());
        let list = |names: &[&String]| {
            names
                .iter()
                .map(|n| crate::state::shown(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (set.is_empty(), unset.is_empty()) {
            (true, true) => "it is granted no variables; the host's environment is withheld".into(),
            (false, true) => format!(
                "it is granted {}; every other host variable is withheld",
                list(&set)
            ),
            (true, false) => format!(
                "it is granted {}, which the host does not set; every other host variable is withheld",
                list(&unset)
            ),
            (false, false) => format!(
                "it is granted {} (the host does not set {}); every other host variable is withheld",
                list(&set),
                list(&unset)
            ),
        }
    }

    /// A sentence naming the folders granted.
    fn dirs_text(&self) -> String {
        if self.dirs.is_empty() {
            return "it is granted no folders; the host's files do not exist for it".into();
        }
        let list = self
            .dirs
            .iter()
            .map(|d| {
                format!(
                    "{} ({}, from {})",
                    d.guest,
                    if d.writable { "writable" } else { "read-only" },
                    d.host.display()
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        format!("it is granted {list}; paths outside them do not exist for it")
    }

    /// Replaces `get-environment`, `get-directories` and `open-at` in the
    /// host's WASI with versions that call WASI's own and record what the
    /// scope withheld or refused, naming the nodes. `version` is the
    /// host's WASI version.
    pub(crate) fn link_scope_lines(
        &self,
        linker: &mut Linker<RunState>,
        version: &str,
    ) -> wasmtime::Result<()> {
        let env_line = ScopeRefusal {
            nodes: self.env_nodes.clone(),
            interface: "wasi:cli/environment".into(),
            refused: false,
            message: format!("it read the environment: {}", self.env_text()),
        };
        linker
            .instance(&format!("wasi:cli/environment@{version}"))?
            .func_wrap("get-environment", move |mut store, (): ()| {
                let vars = environment::Host::get_environment(&mut store.data_mut().cli())?;
                store.data().scope_log.record(env_line.clone());
                Ok((vars,))
            })?;
        let dirs_line = ScopeRefusal {
            nodes: self.dir_nodes.clone(),
            interface: "wasi:filesystem/preopens".into(),
            refused: false,
            message: format!("it asked for its folders: {}", self.dirs_text()),
        };
        linker
            .instance(&format!("wasi:filesystem/preopens@{version}"))?
            .func_wrap("get-directories", move |mut store, (): ()| {
                let dirs = preopens::Host::get_directories(&mut store.data_mut().filesystem())?;
                store.data().scope_log.record(dirs_line.clone());
                Ok((dirs,))
            })?;
        let nodes = self.dir_nodes.clone();
        linker
            .instance(&format!("wasi:filesystem/types@{version}"))?
            .func_wrap_async(
                "[method]descriptor.open-at",
                move |mut store,
                      (fd, path_flags, path, open_flags, flags): (
                    Resource<Descriptor>,
                    PathFlags,
                    String,
                    OpenFlags,
                    DescriptorFlags,
                )| {
                    let nodes = nodes.clone();
                    Box::new(async move {
                        let mut view = store.data_mut().filesystem();
                        let opened = HostDescriptor::open_at(
                            &mut view,
                            fd,
                            path_flags,
                            path.clone(),
                            open_flags,
                            flags,
                        )
                        .await;
                        let outcome = match opened {
                            Ok(d) => Ok(d),
                            Err(e) => Err(fs::Host::convert_error_code(&mut view, e)?),
                        };
                        if let Err(code @ (ErrorCode::NotPermitted | ErrorCode::Access | ErrorCode::ReadOnly)) =
                            &outcome
                        {
                            let (name, why) = match code {
                                ErrorCode::ReadOnly => ("read-only", "its folder is read-only"),
                                ErrorCode::Access => ("access", "it leads outside its granted folders, or writes to a read-only one"),
                                _ => ("not-permitted", "it leads outside its granted folders, or writes to a read-only one"),
                            };
                            store.data().scope_log.record(ScopeRefusal {
                                nodes,
                                interface: "wasi:filesystem/types".into(),
                                refused: true,
                                message: format!(
                                    "opening `{}` was refused ({name}): {why}",
                                    crate::state::shown(&path)
                                ),
                            });
                        }
                        Ok((outcome,))
                    })
                },
            )?;
        self.link_socket_lines(linker, version)
    }

    /// Replaces `resolve-addresses` and `start-connect` with versions that
    /// call WASI's own and record what it refuses before the allow-list is
    /// asked: a lookup in a scope not granted one, and an address WASI
    /// refuses for the socket (IPv4-mapped, unspecified, multicast, port 0,
    /// the other family).
    fn link_socket_lines(
        &self,
        linker: &mut Linker<RunState>,
        version: &str,
    ) -> wasmtime::Result<()> {
        let lookup = (!self.name_lookup).then(|| ScopeRefusal {
            nodes: self.lookup_nodes.clone(),
            interface: "wasi:sockets/ip-name-lookup".into(),
            refused: true,
            message: String::new(),
        });
        linker
            .instance(&format!("wasi:sockets/ip-name-lookup@{version}"))?
            .func_wrap(
                "resolve-addresses",
                move |mut store, (network, name): (Resource<Network>, String)| {
                    if let Some(line) = &lookup {
                        store.data().scope_log.record(ScopeRefusal {
                            message: format!(
                                "resolving `{}` was refused: it is not granted name lookup",
                                crate::state::shown(&name)
                            ),
                            ..line.clone()
                        });
                    }
                    let mut view = store.data_mut().sockets();
                    let resolved =
                        match ip_name_lookup::Host::resolve_addresses(&mut view, network, name) {
                            Ok(stream) => Ok(stream),
                            Err(e) => Err(network::Host::convert_error_code(&mut view, e)?),
                        };
                    Ok((resolved,))
                },
            )?;
        let nodes = self.tcp_nodes.clone();
        linker
            .instance(&format!("wasi:sockets/tcp@{version}"))?
            .func_wrap(
                "[method]tcp-socket.start-connect",
                move |mut store,
                      (socket, network, remote): (
                    Resource<TcpSocket>,
                    Resource<Network>,
                    IpSocketAddress,
                )| {
                    let addr = SocketAddr::from(remote);
                    let mut view = store.data_mut().sockets();
                    let started = match tcp::HostTcpSocket::start_connect(
                        &mut view, socket, network, remote,
                    ) {
                        Ok(()) => Ok(()),
                        Err(e) => Err(network::Host::convert_error_code(&mut view, e)?),
                    };
                    if let Err(network::ErrorCode::InvalidArgument) = started {
                        store.data().scope_log.record(ScopeRefusal {
                            nodes: nodes.clone(),
                            interface: "wasi:sockets/tcp".into(),
                            refused: true,
                            message: format!(
                                "connect to {addr} was refused: WASI takes no such address for this socket (IPv4-mapped, unspecified, multicast, port 0 or the other family)"
                            ),
                        });
                    }
                    Ok((started,))
                },
            )?;
        Ok(())
    }
}

fn extend_unique(to: &mut Vec<HostPort>, from: &[HostPort]) {
    for p in from {
        if !to.contains(p) {
            to.push(p.clone());
        }
    }
}

/// The socket allow-lists of one scope.
struct SocketCheck {
    tcp: Vec<HostPort>,
    tcp_nodes: Vec<String>,
    udp: Vec<HostPort>,
    udp_nodes: Vec<String>,
    log: ScopeLog,
}

impl SocketCheck {
    /// Whether the guest may use `addr` for `use_`. Connecting, sending
    /// and listening need the address on the allow-list. A bind to the
    /// wildcard address and port 0 is the implicit bind the OS does before
    /// a connect or send, so it is let through; any other bind needs the
    /// address on the list, and datagrams are received only from peers on it. A client accepted on a listener that passed
    /// the check is let through too.
    fn allows(&self, addr: SocketAddr, use_: SocketAddrUse) -> bool {
        let implicit = addr.ip().is_unspecified() && addr.port() == 0;
        let (list, nodes, interface, verb) = match use_ {
            SocketAddrUse::TcpBind | SocketAddrUse::UdpBind if implicit => return true,
            SocketAddrUse::TcpAccept => return true,
            SocketAddrUse::TcpBind => (&self.tcp, &self.tcp_nodes, "wasi:sockets/tcp", "bind"),
            SocketAddrUse::TcpListen => {
                (&self.tcp, &self.tcp_nodes, "wasi:sockets/tcp", "listen on")
            }
            SocketAddrUse::TcpConnect => {
                (&self.tcp, &self.tcp_nodes, "wasi:sockets/tcp", "connect to")
            }
            SocketAddrUse::UdpBind => (&self.udp, &self.udp_nodes, "wasi:sockets/udp", "bind"),
            SocketAddrUse::UdpSend => (&self.udp, &self.udp_nodes, "wasi:sockets/udp", "send to"),
            SocketAddrUse::UdpReceive => (
                &self.udp,
                &self.udp_nodes,
                "wasi:sockets/udp",
                "receive from",
            ),
        };
        let ok = list.iter().any(|p| peer_matches(p, &addr));
        if !ok {
            self.log.record(ScopeRefusal {
                nodes: nodes.clone(),
                interface: interface.into(),
                refused: true,
                message: format!("{verb} {addr} was refused: it is not on its allow-list"),
            });
        }
        ok
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
