//! Matching an allow-list entry against the address a guest connects to.

use patchbay_project::HostPort;
use std::net::{IpAddr, SocketAddr};

/// Whether `peer` names `addr`: the same port, and the same IP address
/// (compared as addresses, not text), or `localhost` for a loopback
/// address of the same family. Host names other than `localhost` never
/// match a socket address: sockets only ever see addresses.
pub(crate) fn peer_matches(peer: &HostPort, addr: &SocketAddr) -> bool {
    if peer.port != addr.port() {
        return false;
    }
    if peer.host.eq_ignore_ascii_case("localhost") {
        return match addr.ip() {
            IpAddr::V4(ip) => ip == std::net::Ipv4Addr::LOCALHOST,
            IpAddr::V6(ip) => ip == std::net::Ipv6Addr::LOCALHOST,
        };
    }
    peer.host.parse::<IpAddr>() == Ok(addr.ip())
}
