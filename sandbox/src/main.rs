//! `sandbox-server`: the sandbox Platform API over HTTP, with CORS, test-control routes under
//! `/__sandbox/`, fault injection and (optionally) the built panel from a dist directory.

mod server;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use server::{App, Config};

const USAGE: &str = "usage: sandbox-server [--addr 127.0.0.1:8787] [--token sandbox-token] \
[--dist DIR] [--groups N] [--relay URL]

--relay URL  relay mode: forward /v1/... to the Platform API at URL (e.g. https://api.turso.tech)
             instead of answering from the sandbox; serve --dist beside it on one origin.";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(SocketAddr, Config), String> {
    let mut addr: SocketAddr = "127.0.0.1:8787".parse().expect("default address");
    let mut config = Config {
        token: "sandbox-token".to_string(),
        extra_groups: 0,
        dist: None,
        relay: None,
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => {
                // `host:port`; a name such as `localhost:0` resolves to its first address.
                addr = value
                    .to_socket_addrs()
                    .map_err(|e| format!("--addr {value}: {e}"))?
                    .next()
                    .ok_or_else(|| format!("--addr {value}: no address"))?;
            }
            "--token" => config.token = value,
            "--dist" => config.dist = Some(PathBuf::from(value)),
            "--relay" => config.relay = Some(value),
            "--groups" => {
                config.extra_groups = value
                    .parse()
                    .map_err(|e| format!("--groups {value}: {e}"))?;
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok((addr, config))
}

fn main() -> ExitCode {
    let (addr, config) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("sandbox-server: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // One thread is plenty for a local test server, and leaves the second core to the tests.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("sandbox-server: cannot listen on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let app = match App::new(config) {
            Ok(app) => Arc::new(app),
            Err(e) => {
                eprintln!("sandbox-server: {e}");
                return ExitCode::from(2);
            }
        };
        let local = listener.local_addr().expect("bound address");
        // The test runner waits for exactly this line to learn the port.
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "sandbox listening on http://{local}");
        if let Some(upstream) = app.relay_upstream() {
            let _ = writeln!(stdout, "relay mode: /v1/... goes to {upstream}/v1/...");
        }
        let _ = stdout.flush();
        server::serve(listener, app).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn parses_flags_and_defaults() {
        let (addr, config) = parse_args(args(&[])).unwrap();
        assert_eq!(addr.to_string(), "127.0.0.1:8787");
        assert_eq!(config.token, "sandbox-token");
        assert_eq!(config.extra_groups, 0);
        assert!(config.dist.is_none());

        let (addr, config) = parse_args(args(&[
            "--addr",
            "127.0.0.1:0",
            "--token",
            "t",
            "--dist",
            "/tmp/d",
            "--groups",
            "250",
            "--relay",
            "https://api.turso.tech",
        ]))
        .unwrap();
        assert_eq!(config.relay.as_deref(), Some("https://api.turso.tech"));
        assert_eq!(addr.port(), 0);
        assert_eq!(config.token, "t");
        assert_eq!(config.extra_groups, 250);
        assert_eq!(config.dist, Some(PathBuf::from("/tmp/d")));
    }

    #[test]
    fn refuses_bad_flags() {
        assert!(parse_args(args(&["--groups", "many"])).is_err());
        assert!(parse_args(args(&["--addr"])).is_err());
        assert!(parse_args(args(&["--verbose", "1"])).is_err());
        assert_eq!(parse_args(args(&["--help"])).err().as_deref(), Some(""));
    }
}
