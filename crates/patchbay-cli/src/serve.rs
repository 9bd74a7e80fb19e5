//! `patchbay serve`: answers HTTP on a local address with the composition's
//! `wasi:http/incoming-handler` (WASI 0.2) or `wasi:http/handler` (WASI
//! 0.3) export, a fresh instance per request.

use anyhow::{Context, Result};
use patchbay_host::serve::{HttpVersion, Server};
use patchbay_host::Event;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Arguments of `patchbay serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The project folder or its patchbay.toml.
    pub project: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Per-run limits.
    #[command(flatten)]
    pub limits: crate::LimitArgs,
}

/// Serves until Ctrl-C, then finishes the requests in flight and exits 0.
pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let limits = args.limits.limits()?;
    let ws = crate::load(&args.project)?;
    let name = ws.project().name.clone();
    // A server keeps one run per request in flight: the full pools.
    let host = Arc::new(crate::started(patchbay_host::Host::new(
        patchbay_host::HostOptions {
            max_wasm_stack: args.limits.max_stack()?,
            ..Default::default()
        },
    )?)?);
    let prepared = Arc::new(host.prepare_composed(&ws)?);
    let server = Server::new(host.clone(), prepared, limits)?;
    // Requests run side by side, so the server gets worker threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr().unwrap_or(args.listen);
        let mut events = host.subscribe();
        let wasi = match server.http_version() {
            HttpVersion::P2 => "wasi:http 0.2",
            HttpVersion::P3 => "wasi:http 0.3",
        };
        println!("serving {name} ({wasi}) on http://{addr} (Ctrl-C to stop)");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping: finishing the requests in flight (Ctrl-C again to quit now)");
            tokio::spawn(async {
                let _ = tokio::signal::ctrl_c().await;
                std::process::exit(130);
            });
        };
        let serve = server.serve(listener, shutdown);
        tokio::pin!(serve);
        let stats = loop {
            tokio::select! {
                stats = &mut serve => break stats,
                event = events.recv() => match event {
                    Ok(event) => print_event(&event),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        eprintln!("({n} log lines dropped)");
                    }
                    Err(broadcast::error::RecvError::Closed) => {}
                },
            }
        };
        while let Ok(event) = events.try_recv() {
            print_event(&event);
        }
        eprintln!(
            "stopped after {} requests ({} failed) on {} connections",
            stats.requests, stats.failed, stats.connections
        );
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// One log line per request, then the guest's output, indented.
fn print_event(event: &Event) {
    match event {
        Event::Served {
            method,
            path,
            status,
            micros,
            error,
            ..
        } => {
            let ms = *micros as f64 / 1000.0;
            match error {
                None => println!("{method} {path} -> {status} ({ms:.1} ms)"),
                Some(e) => println!("{method} {path} -> {status} ({ms:.1} ms): {e}"),
            }
        }
        Event::Output { stream, text, .. } => {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                println!("  {stream}: {line}");
            }
        }
        Event::Denied {
            nodes,
            interface,
            function,
            ..
        } => println!(
            "  denied: {} called `{interface}#{function}`",
            nodes.join(", ")
        ),
        Event::OutOfScope {
            nodes,
            interface,
            message,
            ..
        } => println!(
            "  out of scope: {} ({interface}): {message}",
            nodes.join(", ")
        ),
        _ => {}
    }
}
