//! The network matrices: outgoing HTTP allow-lists and raw TCP sockets.

use super::*;

/// Outgoing HTTP: `a` may reach one server and one redirecting server,
/// `b` nothing. Every way of writing another peer, or the allowed peer
/// differently, is refused and named.
#[test]
fn http_allow_lists_reach_exactly_the_listed_peer() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let allowed = http_peer("from the allowed server");
    let other = http_peer("from the other server");
    let redirect = redirect_peer(&format!("http://127.0.0.1:{}/", other.port()));
    // A different server on the same port on IPv6 loopback: `[::1]:P` is
    // not `127.0.0.1:P`.
    let v6 = http_peer_v6(allowed.port(), "from the IPv6 server");
    let a = Scope {
        http: vec![allowed.entry(), redirect.entry()],
        ..Scope::default()
    };
    let b = Scope::default();
    let (p, o) = (allowed.port(), other.port());
    let http = "wasi:http/outgoing-handler";
    let fetch = |node: &str, url: String| format!("{node}#fetch({url:?})");
    let denied = |node: &str, url: String, peer: String| {
        fails(fetch(node, url), "HttpRequestDenied")
            .refused(http, format!("{peer} is not on its allow-list"))
    };
    let mut cases = vec![
        reaches(
            fetch("a", format!("http://127.0.0.1:{p}/")),
            "200 from the allowed server",
        ),
        reaches(
            fetch("a", format!("http://127.0.0.1:{p}/some/path?q=1")),
            "200 from the allowed server",
        ),
        // `localhost` stands for the listed loopback address, and the host
        // connects to that address.
        reaches(
            fetch("a", format!("http://localhost:{p}/")),
            "200 from the allowed server",
        ),
        reaches(
            fetch("a", format!("http://LOCALHOST:{p}/")),
            "200 from the allowed server",
        ),
        // The redirect reaches the guest; the host does not follow it.
        reaches(
            fetch("a", format!("http://127.0.0.1:{}/", redirect.port())),
            "302",
        ),
        denied(
            "a",
            format!("http://127.0.0.1:{o}/"),
            format!("127.0.0.1:{o}"),
        ),
        denied("a", format!("http://127.1:{p}/"), format!("127.1:{p}")),
        denied(
            "a",
            format!("http://0x7f000001:{p}/"),
            format!("0x7f000001:{p}"),
        ),
        denied(
            "a",
            format!("http://2130706433:{p}/"),
            format!("2130706433:{p}"),
        ),
        denied(
            "a",
            format!("http://127.0.0.1.:{p}/"),
            format!("127.0.0.1.:{p}"),
        ),
        denied(
            "a",
            format!("http://[::ffff:127.0.0.1]:{p}/"),
            format!("[::ffff:127.0.0.1]:{p}"),
        ),
        denied("a", format!("http://[::1]:{p}/"), format!("[::1]:{p}")),
        denied(
            "a",
            format!("http://localhost:{o}/"),
            format!("localhost:{o}"),
        ),
        denied("a", "http://127.0.0.1/".into(), "127.0.0.1:80".into()),
        fails(
            fetch("a", format!("http://user@127.0.0.1:{o}/")),
            "HttpRequestDenied",
        )
        .refused(http, "user info"),
        fails(
            fetch("a", format!("http://user@127.0.0.1:{p}/")),
            "HttpRequestDenied",
        )
        .refused(http, "user info"),
        fails(
            fetch("a", format!("http://127.0.0.1:{p}@127.0.0.1:{o}/")),
            "HttpRequestDenied",
        )
        .refused(http, "user info"),
        denied(
            "b",
            format!("http://127.0.0.1:{p}/"),
            format!("127.0.0.1:{p}"),
        ),
        denied(
            "b",
            format!("http://localhost:{p}/"),
            format!("localhost:{p}"),
        ),
        denied(
            "b",
            format!("http://127.0.0.1:{}/", redirect.port()),
            format!("127.0.0.1:{}", redirect.port()),
        ),
    ];
    // An https URL to the allowed peer is allowed (the TLS handshake then
    // fails against a plain server); to another port it is refused.
    cases.push(denied(
        "a",
        format!("https://127.0.0.1:{o}/"),
        format!("127.0.0.1:{o}"),
    ));
    run_matrix(dir.path(), &[("a", &a), ("b", &b)], &cases);
    assert_eq!(
        other.hits(),
        0,
        "a refused or redirected-to peer was reached"
    );
    if let Some(v6) = v6 {
        assert_eq!(v6.hits(), 0, "[::1] was reached through 127.0.0.1's entry");
    } else {
        eprintln!("no IPv6 loopback listener on port {p}: [::1] case ran without a server");
    }
}

/// Raw TCP through `wasi:sockets`: `a` may connect to one listener (and
/// resolve names), `b` to nothing. Addresses are compared, not text.
#[test]
fn socket_allow_lists_reach_exactly_the_listed_address() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let allowed = tcp_peer();
    let other = tcp_peer();
    let a = Scope {
        tcp: vec![allowed.entry()],
        lookup: true,
        ..Scope::default()
    };
    let b = Scope::default();
    let (p, o) = (allowed.port(), other.port());
    let tcp = "wasi:sockets/tcp";
    let connect = |node: &str, addr: String| format!("{node}#connect({addr:?})");
    let connected = format!("connected to 127.0.0.1:{p}");
    let refused = |node: &str, addr: String, peer: String| {
        fails(connect(node, addr), "access-denied")
            .refused(tcp, format!("connect to {peer} was refused"))
    };
    let cases = [
        reaches(connect("a", format!("127.0.0.1:{p}")), connected.clone()),
        // Names the guest resolves to the listed address reach it, and only
        // it: the host checks the address.
        reaches(connect("a", format!("127.1:{p}")), connected.clone()),
        reaches(connect("a", format!("0x7f000001:{p}")), connected.clone()),
        reaches(connect("a", format!("2130706433:{p}")), connected.clone()),
        reaches(connect("a", format!("localhost:{p}")), connected.clone()),
        refused("a", format!("127.0.0.1:{o}"), format!("127.0.0.1:{o}")),
        refused("a", format!("127.1:{o}"), format!("127.0.0.1:{o}")),
        refused("a", format!("2130706433:{o}"), format!("127.0.0.1:{o}")),
        refused("a", format!("[::1]:{p}"), format!("[::1]:{p}")),
        fails(
            connect("a", format!("[::ffff:127.0.0.1]:{p}")),
            "invalid-argument",
        )
        .refused(tcp, format!("[::ffff:127.0.0.1]:{p}")),
        refused("b", format!("127.0.0.1:{p}"), format!("127.0.0.1:{p}")),
        refused("b", format!("[::1]:{p}"), format!("[::1]:{p}")),
        fails(
            connect("b", format!("localhost:{p}")),
            "cannot resolve localhost",
        )
        .refused("wasi:sockets/ip-name-lookup", "localhost"),
    ];
    run_matrix(dir.path(), &[("a", &a), ("b", &b)], &cases);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        other.hits(),
        0,
        "a peer outside every allow-list was reached"
    );
    assert!(allowed.hits() > 0);
}
