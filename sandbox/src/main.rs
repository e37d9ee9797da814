//! `sandbox-server`: the sandbox Platform API over HTTP, with CORS, test-control routes under
//! `/__sandbox/`, fault injection and (optionally) the built panel from a dist directory.
//! Forwarding to the real API is `groups-console-relay`'s job (src/relay.rs).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use sandbox::server::{self, Config};

const USAGE: &str = "usage: sandbox-server [--addr 127.0.0.1:8787] [--token sandbox-token] \
[--dist DIR] [--groups N]";

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
            "--addr" => addr = server::parse_addr(&value)?,
            "--token" => config.token = value,
            "--dist" => config.dist = Some(PathBuf::from(value)),
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
    let parsed = parse_args(std::env::args().skip(1));
    server::main("sandbox-server", USAGE, "sandbox", parsed)
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
        ]))
        .unwrap();
        assert!(config.relay.is_none());
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
        assert!(parse_args(args(&["--relay", "https://api.turso.tech"])).is_err());
        assert_eq!(parse_args(args(&["--help"])).err().as_deref(), Some(""));
    }
}
