//! `cargo xtask serve` / `run`: the release build served by the sandbox, ready to click through.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use crate::ctx::{say, Ctx, Result, WASM_TARGET};
use crate::proc::{self, Background};
use crate::{bundle, setup};

/// The token the sandbox accepts (also used by the tests).
pub const SANDBOX_TOKEN: &str = "sandbox-token";
/// What the sandbox prints once it accepts connections, followed by its URL.
pub const LISTENING: &str = "sandbox listening on ";
/// How long a sandbox may take from start to its startup line.
pub const STARTUP: Duration = Duration::from_secs(60);

#[derive(Debug, PartialEq, Eq)]
pub struct ServeOpts {
    pub addr: String,
    pub groups: Option<u32>,
    /// Relay mode: forward /v1 to this API instead of the sandbox.
    pub relay: Option<String>,
}

pub fn serve(ctx: &Ctx, opts: &ServeOpts) -> Result<ExitCode> {
    setup::ensure(ctx, setup::RUN)?;
    let built = bundle::build(ctx, &bundle::BuildOpts::default())?;
    if let Some(message) = built.over_budget {
        // Still serve it: this is for looking at the app; `build` and `test` enforce the budget.
        say!("warning: {message}");
    }
    let dist = ctx.dist();
    if let Some(upstream) = &opts.relay {
        let mut relay = Command::new(build_server(ctx, "groups-console-relay")?);
        relay
            .args([upstream, "--addr", &opts.addr, "--dist"])
            .arg(&dist);
        let (server, url) = start(relay, "relay", "relay listening on ")?;
        say!("");
        say!("Groups Console is running in relay mode. Open {url}/");
        say!("  API base URL  {url}/v1  (forwarded to {upstream}/v1)");
        say!("  organization and token: your own; the token goes only to {upstream}");
        say!("Press Ctrl-C to stop.");
        return wait(server);
    }
    let (server, url) = start_sandbox(ctx, &opts.addr, Some(&dist), opts.groups)?;
    let url = url.trim_end_matches('/');
    say!("");
    say!("Groups Console is running. Open {url}/");
    say!("  API base URL  {url}/v1  (prefilled on the connect page)");
    say!("  organization  acme   (others: globex, jane)");
    say!("  token         {SANDBOX_TOKEN}");
    say!("  or, with no account: \"Try the sandbox\" on the connect page (runs in the page)");
    say!("Press Ctrl-C to stop.");
    say!("");
    wait(server)
}

fn wait(server: Background) -> Result<ExitCode> {
    let status = server.wait()?;
    say!("the sandbox server exited ({status})");
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// Build the sandbox server, start it and wait for its startup line; returns the running server
/// and its base URL (`http://127.0.0.1:PORT`).
pub fn start_sandbox(
    ctx: &Ctx,
    addr: &str,
    dist: Option<&std::path::Path>,
    groups: Option<u32>,
) -> Result<(Background, String)> {
    let groups = groups.map(|n| n.to_string());
    let extra: Vec<&str> = match &groups {
        Some(n) => vec!["--groups", n],
        None => vec![],
    };
    start_server(ctx, addr, dist, &extra)
}

/// The local server (`sandbox-server`) with `extra` arguments.
pub fn start_server(
    ctx: &Ctx,
    addr: &str,
    dist: Option<&std::path::Path>,
    extra: &[&str],
) -> Result<(Background, String)> {
    let mut cmd = Command::new(build_server(ctx, "sandbox-server")?);
    cmd.current_dir(&ctx.root)
        .args(["--addr", addr, "--token", SANDBOX_TOKEN])
        .args(extra);
    if let Some(dist) = dist {
        cmd.arg("--dist").arg(dist);
    }
    start(cmd, "sandbox server", LISTENING)
}

/// Start a server and wait for its startup line, `marker` then its URL; returns the running
/// server and the URL without a trailing slash.
fn start(mut cmd: Command, name: &str, marker: &'static str) -> Result<(Background, String)> {
    let (server, url) = proc::spawn_until_line(name, &mut cmd, marker, STARTUP)?;
    if !url.starts_with("http://") {
        return Err(format!(
            "the server printed `{marker}{url}`, expected an http:// URL"
        ));
    }
    Ok((server, url.trim_end_matches('/').to_string()))
}

/// `cargo build -p sandbox --bin <bin>`; returns the executable. The server is started
/// directly (not through `cargo run`) so that stopping it stops the server itself.
fn build_server(ctx: &Ctx, bin: &str) -> Result<PathBuf> {
    proc::run(ctx.cargo().args(["build", "-p", "sandbox", "--bin", bin]))?;
    let exe = target_dir(ctx).join("debug").join(bin);
    if !exe.exists() {
        return Err(format!("built {bin}, but {} does not exist", exe.display()));
    }
    Ok(exe)
}

/// The in-page sandbox's module (`sandbox-web.js` and its wasm) in a debug build, in its own
/// directory under target/; returns the directory.
pub fn build_sandbox_module(ctx: &Ctx) -> Result<PathBuf> {
    proc::run(ctx.cargo().args([
        "build",
        "-p",
        "sandbox",
        "--bin",
        "sandbox-web",
        "--target",
        WASM_TARGET,
        "--no-default-features",
        "--features",
        "web",
    ]))?;
    let target = target_dir(ctx);
    let wasm = target
        .join(WASM_TARGET)
        .join("debug")
        .join("sandbox-web.wasm");
    let out = target.join("sandbox-web");
    proc::run(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&out)
            .arg(&wasm),
    )?;
    Ok(out)
}

/// The cargo target directory (honours CARGO_TARGET_DIR and .cargo/config.toml).
fn target_dir(ctx: &Ctx) -> PathBuf {
    let metadata = ctx
        .cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    metadata
        .as_ref()
        .and_then(|m| m["target_directory"].as_str())
        .map(PathBuf::from)
        .unwrap_or_else(|| ctx.root.join("target"))
}
