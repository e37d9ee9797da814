//! Running child processes: commands that must succeed, background servers that are stopped
//! when dropped, waiting for a server's startup line, free ports and a tiny HTTP GET.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::ctx::{say, Result};

/// `program args…` as the user would type it, for messages.
pub fn display(cmd: &Command) -> String {
    let mut out = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        out.push(' ');
        if arg.contains(' ') || arg.is_empty() {
            out.push_str(&format!("'{arg}'"));
        } else {
            out.push_str(&arg);
        }
    }
    out
}

/// Run `cmd` with inherited stdio; fail with a message naming the command unless it succeeds.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = status(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", display(cmd)))
    }
}

/// Run `cmd` with inherited stdio and return its exit status.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    cmd.status()
        .map_err(|e| format!("could not start `{}`: {e}", display(cmd)))
}

/// Run `cmd` quietly and return its stdout if it ran and succeeded (None when the program is
/// missing or fails: used to probe tools).
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The first `name` on PATH that is an executable file.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A background process that is stopped (SIGTERM, then SIGKILL) when dropped, also when the
/// step that started it fails or panics.
pub struct Background {
    name: String,
    child: Child,
}

impl Background {
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Self> {
        say!("starting {name}: {}", display(cmd));
        stop_with_parent(cmd);
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start {name} (`{}`): {e}", display(cmd)))?;
        Ok(Background {
            name: name.to_string(),
            child,
        })
    }

    /// Fail if the process has already exited.
    pub fn check_alive(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(format!("{} exited early ({status})", self.name)),
            Ok(None) => Ok(()),
            Err(e) => Err(format!("could not check on {}: {e}", self.name)),
        }
    }

    /// Wait for the process to exit on its own (used by `serve`).
    pub fn wait(mut self) -> Result<ExitStatus> {
        let status = self
            .child
            .wait()
            .map_err(|e| format!("waiting for {}: {e}", self.name));
        // Already exited: nothing for Drop to stop.
        std::mem::forget(self);
        status
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        // Ask politely first so chromedriver can close its browsers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                say!("stopped {}", self.name);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        say!("stopped {} (killed)", self.name);
    }
}

/// Drop does not run when xtask itself is killed (SIGTERM from CI, `timeout`, …): have Linux
/// send the child SIGTERM when xtask dies, so no server outlives it.
#[cfg(target_os = "linux")]
fn stop_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    const PR_SET_PDEATHSIG: std::ffi::c_int = 1;
    const SIGTERM: std::ffi::c_ulong = 15;
    extern "C" {
        // From the C library std already links.
        fn prctl(option: std::ffi::c_int, arg2: std::ffi::c_ulong, ...) -> std::ffi::c_int;
    }
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent; this runs in the
    // forked child just before exec.
    unsafe {
        cmd.pre_exec(|| {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn stop_with_parent(_cmd: &mut Command) {}

/// Start a server whose stdout/stderr we read (and echo) until it prints a line containing
/// `marker`; returns the process and the rest of that line after the marker (trimmed).
pub fn spawn_until_line(
    name: &str,
    cmd: &mut Command,
    marker: &'static str,
    timeout: Duration,
) -> Result<(Background, String)> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut server = Background::spawn(name, cmd)?;
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = server.child.stdout.take().expect("stdout is piped");
    let stderr = server.child.stderr.take().expect("stderr is piped");
    echo_lines(stdout, false, marker, tx.clone());
    echo_lines(stderr, true, marker, tx);

    let deadline = Instant::now() + timeout;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(rest) => return Ok((server, rest)),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                server.check_alive()?;
                return Err(format!(
                    "{name} closed its output without printing `{marker}`"
                ));
            }
        }
        server.check_alive()?;
        if Instant::now() > deadline {
            return Err(format!(
                "{name} did not print `{marker}` within {} s",
                timeout.as_secs()
            ));
        }
    }
}

/// Echo a child's output line by line (so the user still sees it) and report the first line
/// containing `marker`.
fn echo_lines(
    source: impl Read + Send + 'static,
    to_stderr: bool,
    marker: &'static str,
    found: mpsc::Sender<String>,
) {
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { break };
            if to_stderr {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
            if let Some(rest) = after_marker(&line, marker) {
                if let Some(tx) = found.take() {
                    let _ = tx.send(rest);
                }
            }
        }
    });
}

/// The text after `marker` in `line`, trimmed, if the line contains it.
pub fn after_marker(line: &str, marker: &str) -> Option<String> {
    let start = line.find(marker)? + marker.len();
    let rest = line[start..].split_whitespace().next().unwrap_or("");
    Some(rest.trim_end_matches(['.', ',']).to_string())
}

/// A TCP port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("could not find a free port: {e}"))
}

/// `GET http://{authority}{path}` with `Connection: close`; returns the status and body.
/// Only used to poll local servers, so no TLS and no redirects.
pub fn http_get(authority: &str, path: &str, timeout: Duration) -> std::io::Result<(u16, String)> {
    let addr = authority
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no address"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: */*\r\n\r\n"
    )?;
    let raw = read_response(&mut stream)?;
    parse_http_response(&raw)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP response"))
}

/// Read one HTTP response: up to Content-Length, the last chunk, or the end of the stream
/// (servers such as chromedriver keep the connection open despite `Connection: close`).
fn read_response(stream: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        if response_complete(&raw) {
            return Ok(raw);
        }
    }
}

/// Whether `raw` holds a whole response, judged by its headers.
fn response_complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    for line in head.lines() {
        if let Some(length) = line.strip_prefix("content-length:") {
            return length.trim().parse().is_ok_and(|n: usize| body.len() >= n);
        }
        if line.starts_with("transfer-encoding:") && line.contains("chunked") {
            return body.ends_with(b"0\r\n\r\n");
        }
    }
    false
}

/// Split a raw HTTP/1.1 response into status and (de-chunked) body.
pub fn parse_http_response(raw: &[u8]) -> Option<(u16, String)> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_string()
    };
    Some((status, body))
}

fn dechunk(mut body: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        body = rest.get(size..)?.strip_prefix("\r\n")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_address_in_the_startup_line() {
        let line = "sandbox listening on http://127.0.0.1:41234";
        assert_eq!(
            after_marker(line, "sandbox listening on ").as_deref(),
            Some("http://127.0.0.1:41234")
        );
        let line = "2024-01-01 INFO sandbox listening on http://127.0.0.1:80 (dist: dist)";
        assert_eq!(
            after_marker(line, "sandbox listening on ").as_deref(),
            Some("http://127.0.0.1:80")
        );
        assert_eq!(after_marker("compiling…", "sandbox listening on "), None);
    }

    #[test]
    fn parses_plain_and_chunked_responses() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_http_response(plain), Some((200, "{}".into())));
        let chunked =
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
        assert_eq!(
            parse_http_response(chunked),
            Some((404, "Wikipedia".into()))
        );
        assert_eq!(parse_http_response(b"garbage"), None);
    }

    #[test]
    fn knows_when_a_kept_alive_response_is_complete() {
        assert!(!response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
        ));
        assert!(!response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}"
        ));
        assert!(response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
        ));
        assert!(!response_complete(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n"
        ));
        assert!(response_complete(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
        ));
        let mut reader: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(read_response(&mut reader).unwrap().len(), 40);
    }

    #[test]
    fn displays_commands_with_quotes_where_needed() {
        let mut cmd = Command::new("trunk");
        cmd.args(["build", "--public-url", "/a b/"]);
        assert_eq!(display(&cmd), "trunk build --public-url '/a b/'");
    }
}
