//! Shared by the HTTP-level tests: the real `sandbox-server` binary on 127.0.0.1 port 0, over
//! real sockets, with a tiny blocking HTTP/1.1 client (the server closes every connection after
//! answering).

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

pub const TOKEN: &str = "sandbox-token";
pub const AUTH: (&str, &str) = ("Authorization", "Bearer sandbox-token");

/// A running server process, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// `sandbox-server` with `extra_args`.
    pub fn start(extra_args: &[&str]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sandbox-server"));
        cmd.args(["--addr", "127.0.0.1:0", "--token", TOKEN])
            .args(extra_args);
        Server::spawn(cmd, "sandbox")
    }

    /// `groups-console-relay` forwarding to `upstream`.
    pub fn start_relay(upstream: &str) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_groups-console-relay"));
        cmd.args([upstream, "--addr", "127.0.0.1:0"]);
        Server::spawn(cmd, "relay")
    }

    /// Start `cmd` and wait for its startup line, `<name> listening on http://<addr>`.
    fn spawn(mut cmd: Command, name: &str) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let (lines, line) = mpsc::channel();
        std::thread::spawn(move || {
            let mut first = String::new();
            let _ = BufReader::new(stdout).read_line(&mut first);
            let _ = lines.send(first);
        });
        // Wait for the startup line, with a deadline rather than a fixed sleep.
        let first = match line.recv_timeout(Duration::from_secs(30)) {
            Ok(first) => first,
            Err(_) => {
                let _ = child.kill();
                panic!("no startup line within 30 s");
            }
        };
        let url = first
            .strip_suffix('\n')
            .and_then(|l| l.strip_prefix(&format!("{name} listening on http://")))
            .unwrap_or_else(|| panic!("unexpected startup line {first:?}"));
        let addr: SocketAddr = url.parse().expect("address in startup line");
        assert_ne!(addr.port(), 0);
        Server { child, addr }
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        self.try_call(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn try_call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body.unwrap_or(""));
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        Reply::parse(&raw)
    }

    pub fn api(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        self.call(method, path, &[AUTH], body)
    }

    pub fn control(&self, method: &str, route: &str, body: Option<&str>) -> Reply {
        self.call(method, &format!("/__sandbox/{route}"), &[], body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn parse(raw: &[u8]) -> std::io::Result<Reply> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| bad("no complete response head"))?;
        let head = String::from_utf8_lossy(&raw[..split]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad status line"))?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Ok(Reply {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
}

#[track_caller]
pub fn assert_cors(reply: &Reply) {
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("*"),
        "{reply:?}"
    );
    assert_eq!(
        reply.header("access-control-expose-headers"),
        Some("Retry-After"),
        "{reply:?}"
    );
}
