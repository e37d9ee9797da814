//! `groups-console-relay`: serves the built panel and forwards `/v1/...` to the Platform API
//! on the same origin, so the browser needs no CORS (see src/server/relay.rs for what crosses).
//! What a deployment runs; the README shows it as a systemd service and in a container.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use sandbox::server::{self, Config};

const USAGE: &str = "usage: groups-console-relay URL [--dist DIR] [--addr 127.0.0.1:8080]

URL          the Platform API to forward /v1/... to, e.g. https://api.turso.tech
--dist DIR   the built panel to serve beside it (`cargo xtask build` writes dist/)
--addr       where to listen (0.0.0.0:8080 for every interface)";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(SocketAddr, Config), String> {
    let mut addr: SocketAddr = "127.0.0.1:8080".parse().expect("default address");
    let mut config = Config {
        // The relay answers nothing itself; the sandbox behind `Config` is never reached.
        token: String::new(),
        extra_groups: 0,
        dist: None,
        relay: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => return Err(String::new()),
            "--addr" | "--dist" => {
                let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
                if arg == "--addr" {
                    addr = server::parse_addr(&value)?;
                } else {
                    config.dist = Some(PathBuf::from(value));
                }
            }
            flag if flag.starts_with('-') => return Err(format!("unknown argument {flag}")),
            _ if config.relay.is_some() => return Err(format!("a second URL: {arg}")),
            _ => config.relay = Some(arg),
        }
    }
    if config.relay.is_none() {
        return Err("which API? Give its URL, e.g. https://api.turso.tech".into());
    }
    Ok((addr, config))
}

fn main() -> ExitCode {
    let parsed = parse_args(std::env::args().skip(1));
    server::main("groups-console-relay", USAGE, "relay", parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(list: &[&str]) -> Result<(SocketAddr, Config), String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn takes_the_api_and_where_to_serve() {
        let (addr, config) = parse(&["https://api.turso.tech"]).unwrap();
        assert_eq!(addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.relay.as_deref(), Some("https://api.turso.tech"));
        assert!(config.dist.is_none());
        let (addr, config) = parse(&[
            "--dist",
            "/srv/dist",
            "https://x.example",
            "--addr",
            "0.0.0.0:9000",
        ])
        .unwrap();
        assert_eq!(addr.to_string(), "0.0.0.0:9000");
        assert_eq!(config.dist, Some(PathBuf::from("/srv/dist")));
        assert_eq!(config.relay.as_deref(), Some("https://x.example"));
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        assert!(parse(&[]).is_err());
        assert!(parse(&["https://a.example", "https://b.example"]).is_err());
        assert!(parse(&["https://a.example", "--groups", "3"]).is_err());
        assert!(parse(&["https://a.example", "--dist"]).is_err());
        assert_eq!(parse(&["--help"]).err().as_deref(), Some(""));
    }
}
