//! `cargo xtask test`: every test of the project, in order, with a summary at the end.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::ctx::{human, say, Ctx, Result, WASM_TARGET};
use crate::proc::{self, Background};
use crate::serve::{self, start_sandbox};
use crate::setup::{self, Tool};
use crate::{bench, bundle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Setup,
    Lint,
    Native,
    Browser,
    E2e,
    Bench,
}

impl Step {
    const ALL: [Step; 6] = [
        Step::Setup,
        Step::Lint,
        Step::Native,
        Step::Browser,
        Step::E2e,
        Step::Bench,
    ];

    pub fn parse(name: &str) -> Result<Step> {
        Step::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown test step `{name}` (expected setup, lint, native, browser, e2e or \
                     bench)"
                )
            })
    }

    fn name(self) -> &'static str {
        match self {
            Step::Setup => "setup",
            Step::Lint => "lint",
            Step::Native => "native",
            Step::Browser => "browser",
            Step::E2e => "e2e",
            Step::Bench => "bench",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Step::Setup => "toolchain check (installs only what the chosen steps need)",
            Step::Lint => "cargo fmt --check, cargo clippy -D warnings (native and wasm32)",
            Step::Native => "cargo test --workspace --exclude e2e",
            Step::Browser => "wasm-bindgen-test in headless Chromium against a sandbox",
            Step::E2e => {
                "release build + sandbox + chromedriver + cargo test -p e2e -- --include-ignored"
            }
            Step::Bench => "cargo xtask bench --quick (so it never rots; times are not judged)",
        }
    }

    /// What the step needs from the machine (`setup` installs the union for the chosen steps).
    pub fn needs(self) -> &'static [Tool] {
        match self {
            Step::Setup | Step::Lint | Step::Native => &[Tool::Rust],
            Step::Browser => setup::BROWSER,
            Step::E2e | Step::Bench => setup::ALL,
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct TestOpts {
    /// Empty: every step.
    pub only: Vec<Step>,
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

pub fn test(ctx: &Ctx, opts: &TestOpts) -> Result<ExitCode> {
    let wanted = |s: Step| s == Step::Setup || opts.only.is_empty() || opts.only.contains(&s);
    let needs: Vec<Tool> = Step::ALL
        .into_iter()
        .filter(|s| wanted(*s))
        .flat_map(|s| s.needs().iter().copied())
        .collect();
    let mut results: Vec<(Step, Outcome, Duration)> = Vec::new();
    let mut setup_ok = true;
    for step in Step::ALL.into_iter().filter(|s| wanted(*s)) {
        if !setup_ok {
            results.push((
                step,
                Outcome::Skipped("setup failed".into()),
                Duration::ZERO,
            ));
            continue;
        }
        say!("");
        say!("==> test step `{}`: {}", step.name(), step.describe());
        let started = Instant::now();
        let result = match step {
            Step::Setup => setup::ensure(ctx, &needs),
            Step::Lint => lint(ctx),
            Step::Native => native(ctx),
            Step::Browser => browser(ctx),
            Step::E2e => e2e(ctx),
            Step::Bench => bench::run(ctx, &bench::BenchOpts { quick: true }),
        };
        let outcome = match result {
            Ok(()) => Outcome::Passed,
            Err(message) => {
                say!("step `{}` failed: {message}", step.name());
                if step == Step::Setup {
                    setup_ok = false;
                }
                Outcome::Failed(message)
            }
        };
        results.push((step, outcome, started.elapsed()));
    }

    say!("");
    say!("summary:");
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (step, outcome, took) in &results {
        let (word, detail) = match outcome {
            Outcome::Passed => {
                passed += 1;
                ("passed", String::new())
            }
            Outcome::Failed(m) => {
                failed += 1;
                ("FAILED", format!(": {m}"))
            }
            Outcome::Skipped(m) => {
                skipped += 1;
                ("skipped", format!(": {m}"))
            }
        };
        say!("  {:<8} {word:<8} {:>8}{detail}", step.name(), human(*took));
    }
    say!("{passed} passed, {failed} failed, {skipped} skipped");
    Ok(if failed + skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Formatting and clippy, native and wasm32, warnings as errors. All three run, so one report
/// shows every finding.
fn lint(ctx: &Ctx) -> Result<()> {
    let checks: [(&str, &[&str]); 3] = [
        ("cargo fmt", &["fmt", "--all", "--check"]),
        (
            "clippy (native)",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        (
            "clippy (wasm32)",
            &[
                "clippy",
                "-p",
                "groups-console",
                "--target",
                WASM_TARGET,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
    ];
    let mut failed = Vec::new();
    for (name, args) in checks {
        let mut cmd = ctx.cargo();
        cmd.args(args);
        say!("lint: {}", proc::display(&cmd));
        if let Err(e) = proc::run(&mut cmd) {
            say!("lint: {name} failed: {e}");
            failed.push(name);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} failed", failed.join(", ")))
    }
}

fn native(ctx: &Ctx) -> Result<()> {
    let mut cmd = ctx.cargo();
    cmd.args(["test", "--workspace", "--exclude", "e2e"]);
    // The contract suite reads Turso's OpenAPI document, which lives beside the project
    // (never copied into it): without it, the suite is skipped and that is said.
    let document = std::env::var_os("TURSO_OPENAPI")
        .map(PathBuf::from)
        .unwrap_or_else(|| ctx.root.join("../shared/turso-openapi.json"));
    if !document.is_file() {
        say!(
            "native: SKIPPED the OpenAPI contract suite (tests/contract.rs): Turso's document \
             is not at {} (set TURSO_OPENAPI to its path)",
            document.display()
        );
        cmd.args([
            "--",
            "--skip",
            "every_request_the_panel_sends",
            "--skip",
            "the_contract_check",
        ]);
    }
    proc::run(&mut cmd)
}

/// wasm-bindgen-test suites in headless Chromium, talking to a sandbox server that also
/// serves the in-page sandbox's module (a debug build: quick, and only tests load it).
fn browser(ctx: &Ctx) -> Result<()> {
    let module_dir = serve::build_sandbox_module(ctx)?;
    let (_server, url) = start_sandbox(ctx, "127.0.0.1:0", Some(&module_dir), None)?;
    let mut cmd = ctx.cargo();
    cmd.args([
        "test",
        "--target",
        WASM_TARGET,
        "-p",
        "groups-console",
        "--test",
        "web",
        "--test",
        "faults",
        "--test",
        "security",
        // Show what the tests print when they pass too: the fault matrix's table.
        "--",
        "--nocapture",
    ])
    .env("CHROMEDRIVER", setup::CHROMEDRIVER)
    .env("SANDBOX_URL", &url)
    .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    say!(
        "browser: CHROMEDRIVER={} SANDBOX_URL={url} WASM_BINDGEN_TEST_TIMEOUT=300",
        setup::CHROMEDRIVER
    );
    proc::run(&mut cmd)
    // _server is stopped here, also when the tests failed.
}

/// The release bundle served by the sandbox, driven through chromedriver by the e2e crate.
fn e2e(ctx: &Ctx) -> Result<()> {
    let built = bundle::build(ctx, &bundle::BuildOpts::default())?;
    // Compile the tests before starting the servers, so nothing idles during the compile.
    proc::run(ctx.cargo().args(["test", "-p", "e2e", "--no-run"]))?;

    // The same panel for a sub-path, which the tests serve from a plain static file server.
    let under_admin = ctx.root.join("target").join("dist-admin");
    bundle::build(
        ctx,
        &bundle::BuildOpts {
            public_url: Some("/admin/".into()),
            dist: Some(under_admin.clone()),
            connect_src: Vec::new(),
        },
    )?;
    let (_server, url) = start_sandbox(ctx, "127.0.0.1:0", Some(&ctx.dist()), None)?;
    let (_driver, driver_url) = start_chromedriver()?;
    let screenshot = ctx.root.join("docs").join("screenshot.png");
    let mut cmd = ctx.cargo();
    // The e2e tests are #[ignore]d so that a plain `cargo test` does not count them as passed.
    cmd.args([
        "test",
        "-p",
        "e2e",
        "--",
        "--include-ignored",
        "--test-threads=1",
    ])
    .arg("--nocapture")
    .env("E2E_BASE_URL", &url)
    .env("WEBDRIVER_URL", &driver_url)
    .env("E2E_SCREENSHOT", &screenshot)
    .env("E2E_ADMIN_DIST", &under_admin);
    say!(
        "e2e: E2E_BASE_URL={url} WEBDRIVER_URL={driver_url} E2E_SCREENSHOT={}",
        screenshot.display()
    );
    proc::run(&mut cmd)?;
    match built.over_budget {
        // The app works, but the size check of the build failed: the step fails.
        Some(message) => Err(message),
        None => {
            say!(
                "e2e: passed; bundle {} bytes brotli, screenshot in {}",
                built.brotli_total.unwrap_or_default(),
                screenshot.display()
            );
            Ok(())
        }
    }
}

/// `chromedriver --port=N` on a free port, polled on /status until it is ready.
fn start_chromedriver() -> Result<(Background, String)> {
    let port = proc::free_port()?;
    let mut driver = Background::spawn(
        "chromedriver",
        Command::new(setup::CHROMEDRIVER).arg(format!("--port={port}")),
    )?;
    let authority = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        driver.check_alive()?;
        match proc::http_get(&authority, "/status", Duration::from_secs(2)) {
            Ok((200, body)) if ready(&body) => break,
            Ok(_) | Err(_) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok((status, body)) => {
                return Err(format!(
                    "chromedriver on port {port} is not ready after 30 s: /status answered \
                     {status} {body}"
                ))
            }
            Err(e) => {
                return Err(format!(
                    "chromedriver on port {port} does not answer after 30 s: {e}"
                ))
            }
        }
    }
    Ok((driver, format!("http://{authority}")))
}

/// Whether chromedriver's /status answer says it is ready.
fn ready(status: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(status)
        .is_ok_and(|s| s["value"]["ready"] == serde_json::Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chromedriver_status() {
        assert!(ready(
            r#"{"value": {"ready": true, "message": "ChromeDriver ready"}}"#
        ));
        assert!(!ready(r#"{"value": {"ready": false}}"#));
        assert!(!ready("not json"));
    }

    #[test]
    fn step_names_round_trip() {
        for step in Step::ALL {
            assert_eq!(Step::parse(step.name()), Ok(step));
        }
    }

    #[test]
    fn lint_runs_first_after_setup() {
        assert_eq!(Step::ALL[..2], [Step::Setup, Step::Lint]);
    }

    #[test]
    fn steps_ask_only_for_what_they_use() {
        assert_eq!(Step::Lint.needs(), [Tool::Rust]);
        assert_eq!(Step::Native.needs(), [Tool::Rust]);
        assert!(Step::Browser.needs().contains(&Tool::Chromium));
        assert!(!Step::Browser.needs().contains(&Tool::Trunk));
        assert_eq!(Step::E2e.needs(), setup::ALL);
    }
}
