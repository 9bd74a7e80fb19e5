//! Limits: hostile guests stopped within them, short budgets and
//! timeouts (composed and traced), ranges that never wrap, large stacks.

use super::*;

fn limits() -> Limits {
    Limits {
        timeout: Duration::from_millis(500),
        fuel: None,
        max_memory: 32 << 20,
        max_output: 64 << 10,
    }
}

#[test]
fn hostile_guests_are_stopped_within_their_limits() {
    let ws = sample("hostile");
    let p = prepare(&ws, false);
    let msg = failure(&run(&p, "spin()", &limits()), FailureKind::Timeout).to_string();
    assert!(
        msg.contains("node `guest`") && msg.contains("500 ms"),
        "{msg}"
    );
    let msg = failure(&run(&p, "allocate(4096)", &limits()), FailureKind::Memory).to_string();
    assert!(
        msg.contains("node `guest`") && msg.contains("32 MiB"),
        "{msg}"
    );
    let msg = failure(
        &run(&p, "recurse(100000000)", &limits()),
        FailureKind::Stack,
    )
    .to_string();
    assert!(msg.contains("node `guest`"), "{msg}");
    let report = run(&p, r#"fail("on purpose")"#, &limits());
    failure(&report, FailureKind::Trap);
    assert!(report.stderr.contains("on purpose"), "{}", report.stderr);
    let msg = failure(&run(&p, "flood(1000000)", &limits()), FailureKind::Output).to_string();
    assert!(msg.contains("65536 bytes"), "{msg}");
    let fuel = Limits {
        fuel: Some(1_000_000),
        timeout: Duration::from_secs(30),
        ..limits()
    };
    let msg = failure(&run(&p, "spin()", &fuel), FailureKind::Fuel).to_string();
    assert!(msg.contains("1000000 units"), "{msg}");
    // The host is healthy afterwards.
    assert_eq!(ok(&run(&p, "ok()", &limits())), r#""still healthy""#);
    assert_eq!(ok(&run(&p, "allocate(4)", &limits())), "4");
}

#[test]
fn a_short_budget_stops_a_spinning_guest_composed_and_traced() {
    let ws = sample("hostile");
    let budget = Limits {
        timeout: Duration::from_millis(100),
        ..limits()
    };
    for traced in [false, true] {
        let p = prepare(&ws, traced);
        let report = run(&p, "spin()", &budget);
        let msg = failure(&report, FailureKind::Timeout);
        assert_eq!(
            msg, "node `guest` ran past its timeout of 100 ms and was stopped",
            "traced: {traced}"
        );
        // The Store that trapped is gone; the next run gets a fresh one.
        assert_eq!(ok(&run(&p, "ok()", &budget)), r#""still healthy""#);
    }
}

/// A TCP server on 127.0.0.1 that accepts connections and never answers;
/// the connections stay open until the test process ends.
fn silent_server() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            open.push(stream);
        }
    });
    addr
}

#[test]
fn a_guest_waiting_on_the_host_is_stopped_at_its_timeout() {
    let addr = silent_server();
    let dir = tempfile::tempdir().unwrap();
    let ws = one_node(
        dir.path(),
        patchbay_test_programs::SANDBOX_DEMO,
        "demo",
        "patchbay:sandbox/probe",
        &format!(
            "[bindings.\"demo.wasi:http/outgoing-handler@0.2.12\"]\nmode = \"grant\"\nallow = [\"{addr}\"]\n"
        ),
    );
    let p = prepare(&ws, false);
    let budget = Limits {
        timeout: Duration::from_millis(200),
        ..limits()
    };
    let report = run(&p, &format!(r#"fetch("http://{addr}/")"#), &budget);
    let msg = failure(&report, FailureKind::Timeout);
    assert_eq!(
        msg,
        "node `demo` ran past its timeout of 200 ms while waiting on the host"
    );
}

#[test]
fn limits_out_of_range_name_the_range_and_never_wrap() {
    use patchbay_host::{LimitUnits, Limits as L};
    let units = LimitUnits {
        timeout_ms: 2_000,
        max_memory_mib: 64,
        fuel: None,
        max_output_kib: 256,
    };
    let limits = L::from_units(units).expect("in range");
    assert_eq!(limits.timeout, Duration::from_secs(2));
    assert_eq!(limits.max_memory, 64 << 20);
    assert_eq!(limits.max_output, 256 << 10);

    let cases = [
        (
            LimitUnits {
                max_memory_mib: 17_592_186_044_416,
                ..units
            },
            "--max-memory-mib must be between 1 and 4096 (MiB), got 17592186044416",
        ),
        (
            LimitUnits {
                timeout_ms: 0,
                ..units
            },
            "--timeout-ms must be between 1 and 3600000 (ms), got 0",
        ),
        (
            LimitUnits {
                fuel: Some(0),
                ..units
            },
            "--fuel must be between 1 and 18446744073709551615 (units), got 0",
        ),
        (
            LimitUnits {
                max_output_kib: u64::MAX,
                ..units
            },
            "--max-output-kib must be between 1 and 1048576 (KiB), got 18446744073709551615",
        ),
    ];
    for (units, message) in cases {
        let err = L::from_units(units).expect_err(message);
        assert_eq!(err.to_string(), message);
    }
    assert_eq!(L::stack_bytes(8192), Ok(8192 << 10));
    assert_eq!(
        L::stack_bytes(1 << 20).unwrap_err().to_string(),
        "--max-stack-kib must be between 16 and 16384 (KiB), got 1048576"
    );
    assert_eq!(
        L::MAX_MEMORY_MIB
            .parse("99999999999999999999999")
            .unwrap_err()
            .to_string(),
        "--max-memory-mib must be between 1 and 4096 (MiB), got 99999999999999999999999"
    );
}

#[test]
fn a_large_wasm_stack_is_honoured() {
    // The run's fiber grows with the guest's stack, so 8 MiB is accepted
    // (it used to exceed Wasmtime's 2 MiB fiber stack and fail to start).
    let host = Host::new(HostOptions {
        cache_dir: None,
        max_wasm_stack: Limits::stack_bytes(8192).unwrap(),
        max_instances: 8,
        max_concurrent_runs: 2,
        ..HostOptions::default()
    })
    .expect("host starts with an 8 MiB wasm stack");
    let p = host.prepare(&sample("hostile")).expect("prepares");
    let report = runtime().block_on(host.run(&p, "recurse(1000)", &limits()));
    ok(&report);
}
