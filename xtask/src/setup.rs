//! `cargo xtask setup`: make sure every tool the build and the tests need is present, installing
//! what is missing. Each check prints one `setup: …` line saying what it found or does.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::proc::{self, find_on_path, probe};
use crate::{say, Ctx, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs rustc 1.96.1; 0.21.14 is the newest that builds on rustc 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Older binaryen cannot read the wasm that current rustc emits (bulk memory, etc.).
pub const MIN_WASM_OPT: u32 = 116;
pub const BINARYEN_NPM: &str = "binaryen@132";
/// Minifies wasm-bindgen's JavaScript, which trunk's own minifier cannot parse.
pub const ESBUILD_VERSION: &str = "0.25.12";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn setup(ctx: &Ctx) -> Result<ExitCode> {
    run_setup(ctx)?;
    Ok(ExitCode::SUCCESS)
}

/// Everything `setup` does; other commands call this first.
pub fn run_setup(ctx: &Ctx) -> Result<()> {
    let started = Instant::now();
    wasm_target(ctx)?;
    cargo_fetch(ctx)?;
    trunk(ctx)?;
    wasm_bindgen(ctx)?;
    wasm_opt()?;
    esbuild()?;
    chromium()?;
    compressors()?;
    say!("setup: done in {}", crate::test::human(started.elapsed()));
    Ok(())
}

fn wasm_target(ctx: &Ctx) -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(&ctx.root)
        .output()
        .map_err(|e| {
            format!("setup: rustup not found ({e}); install Rust with rustup (https://rustup.rs)")
        })?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        say!("setup: rust target {WASM_TARGET} ... present");
        return Ok(());
    }
    say!("setup: installing rust target {WASM_TARGET} (rustup target add)");
    install(
        Command::new("rustup")
            .args(["target", "add", WASM_TARGET])
            .current_dir(&ctx.root),
        &format!("rust target {WASM_TARGET}"),
    )
}

fn cargo_fetch(ctx: &Ctx) -> Result<()> {
    say!("setup: cargo fetch (trunk builds with --offline, so every crate must be downloaded)");
    proc::run(ctx.cargo().arg("fetch"))
        .map_err(|e| format!("setup: downloading the dependencies failed: {e}"))
}

fn trunk(ctx: &Ctx) -> Result<()> {
    let found = probe("trunk", &["--version"]);
    match found.as_deref().map(second_word) {
        Some(Some(v)) if v == TRUNK_VERSION => {
            say!("setup: trunk {TRUNK_VERSION} ... present");
            return Ok(());
        }
        Some(other) => say!(
            "setup: trunk {} found, but the build needs exactly {TRUNK_VERSION}",
            other.unwrap_or("(unknown version)")
        ),
        None => {}
    }
    say!("setup: installing trunk {TRUNK_VERSION} (cargo install, ~10 min on 2 cores)");
    install(
        ctx.cargo().args([
            "install",
            "--locked",
            "--force",
            &format!("trunk@{TRUNK_VERSION}"),
        ]),
        &format!("trunk {TRUNK_VERSION}"),
    )?;
    expect_version("trunk", &["--version"], TRUNK_VERSION)
}

fn wasm_bindgen(ctx: &Ctx) -> Result<()> {
    let lock_path = ctx.root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("setup: cannot read {}: {e}", lock_path.display()))?;
    let wanted = locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        format!(
            "setup: Cargo.lock has no `wasm-bindgen` package, so the wasm-bindgen CLI version \
             is unknown ({})",
            lock_path.display()
        )
    })?;
    let have = probe("wasm-bindgen", &["--version"]);
    let have = have.as_deref().and_then(second_word);
    let runner = find_on_path("wasm-bindgen-test-runner");
    if have == Some(wanted.as_str()) && runner.is_some() {
        say!("setup: wasm-bindgen {wanted} (+ wasm-bindgen-test-runner) ... present");
        return Ok(());
    }
    match (have, runner) {
        (Some(v), _) if v != wanted => say!(
            "setup: wasm-bindgen {v} found, but Cargo.lock has wasm-bindgen {wanted} and they must match"
        ),
        (Some(_), None) => say!("setup: wasm-bindgen-test-runner is missing"),
        _ => {}
    }
    // Not --locked: one of its locked dependencies is gone from the registry.
    say!(
        "setup: installing wasm-bindgen-cli {wanted} (cargo install, ~3 min; also provides \
         wasm-bindgen-test-runner)"
    );
    install(
        ctx.cargo().args([
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
        ]),
        &format!("wasm-bindgen-cli {wanted}"),
    )?;
    expect_version("wasm-bindgen", &["--version"], &wanted)?;
    if find_on_path("wasm-bindgen-test-runner").is_none() {
        return Err(
            "setup: wasm-bindgen-test-runner is still not on PATH after installing \
                    wasm-bindgen-cli"
                .into(),
        );
    }
    Ok(())
}

fn wasm_opt() -> Result<()> {
    // Prefer the npm one when it is installed but not first on PATH (Debian's binaryen 108
    // in /usr/bin would otherwise shadow it).
    if let Some(bin) = npm_global_bin() {
        if let Some(v) = wasm_opt_version(&bin.join("wasm-opt")) {
            if v >= MIN_WASM_OPT {
                if find_on_path("wasm-opt").as_deref() != Some(bin.join("wasm-opt").as_path()) {
                    prepend_path(&bin);
                    say!(
                        "setup: wasm-opt {v} (binaryen, npm) ... present; {} put first on PATH",
                        bin.display()
                    );
                } else {
                    say!("setup: wasm-opt {v} (binaryen, npm) ... present");
                }
                return Ok(());
            }
        }
    }
    if let Some(path) = find_on_path("wasm-opt") {
        match wasm_opt_version(&path) {
            Some(v) if v >= MIN_WASM_OPT => {
                say!("setup: wasm-opt {v} ({}) ... present", path.display());
                return Ok(());
            }
            Some(v) => say!(
                "setup: wasm-opt {v} at {} is too old (needs binaryen >= {MIN_WASM_OPT})",
                path.display()
            ),
            None => say!("setup: {} does not report a version", path.display()),
        }
    }
    if find_on_path("npm").is_none() {
        say!("setup: installing npm (apt) to install {BINARYEN_NPM}");
        apt_install(&["nodejs", "npm"])?;
    }
    say!("setup: installing wasm-opt (npm install -g {BINARYEN_NPM})");
    install(
        Command::new("npm").args(["install", "-g", BINARYEN_NPM]),
        BINARYEN_NPM,
    )?;
    let bin = npm_global_bin()
        .ok_or("setup: `npm prefix -g` failed after installing binaryen; cannot find wasm-opt")?;
    match wasm_opt_version(&bin.join("wasm-opt")) {
        Some(v) if v >= MIN_WASM_OPT => {
            prepend_path(&bin);
            say!(
                "setup: wasm-opt {v} installed in {} (put first on PATH for trunk)",
                bin.display()
            );
            Ok(())
        }
        other => Err(format!(
            "setup: after `npm install -g {BINARYEN_NPM}`, {}/wasm-opt reports {other:?}, \
             expected a version >= {MIN_WASM_OPT}",
            bin.display()
        )),
    }
}

/// esbuild from npm, into npm's global bin (put first on PATH like wasm-opt's).
fn esbuild() -> Result<()> {
    let bin = npm_global_bin();
    let version = |bin: &Option<PathBuf>| {
        bin.as_ref()
            .and_then(|b| probe(b.join("esbuild"), &["--version"]))
            .map(|v| v.trim().to_string())
    };
    if version(&bin).as_deref() == Some(ESBUILD_VERSION) {
        say!("setup: esbuild {ESBUILD_VERSION} (npm) ... present");
    } else {
        say!("setup: installing esbuild (npm install -g esbuild@{ESBUILD_VERSION})");
        install(
            Command::new("npm").args(["install", "-g", &format!("esbuild@{ESBUILD_VERSION}")]),
            "esbuild",
        )?;
    }
    let bin = npm_global_bin();
    match version(&bin) {
        Some(v) if v == ESBUILD_VERSION => {
            if let Some(bin) = bin {
                if find_on_path("esbuild").as_deref() != Some(bin.join("esbuild").as_path()) {
                    prepend_path(&bin);
                }
            }
            Ok(())
        }
        other => Err(format!(
            "setup: esbuild reports {other:?} after installing, expected {ESBUILD_VERSION}"
        )),
    }
}

fn chromium() -> Result<()> {
    let present = Path::new(CHROMIUM).exists() && proc::is_executable(Path::new(CHROMEDRIVER));
    if present {
        let version = probe(CHROMEDRIVER, &["--version"])
            .and_then(|v| v.split_whitespace().nth(1).map(str::to_string))
            .unwrap_or_else(|| "?".into());
        say!("setup: chromium + chromedriver {version} ({CHROMIUM}, {CHROMEDRIVER}) ... present");
        return Ok(());
    }
    say!("setup: installing chromium and chromium-driver (apt)");
    apt_install(&["chromium", "chromium-driver"])?;
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        return Err(format!(
            "setup: apt installed chromium, but {CHROMIUM} or {CHROMEDRIVER} is missing"
        ));
    }
    Ok(())
}

/// gzip and brotli, for the size report of `build`.
fn compressors() -> Result<()> {
    for (tool, package) in [("brotli", "brotli"), ("gzip", "gzip")] {
        if let Some(path) = find_on_path(tool) {
            say!("setup: {tool} ({}) ... present", path.display());
        } else {
            say!("setup: installing {tool} (apt)");
            apt_install(&[package])?;
            if find_on_path(tool).is_none() {
                return Err(format!(
                    "setup: {tool} is still missing after apt-get install"
                ));
            }
        }
    }
    Ok(())
}

fn install(cmd: &mut Command, what: &str) -> Result<()> {
    proc::run(cmd)
        .map_err(|e| format!("setup: installing {what} failed: {e}; see the output above"))
}

fn expect_version(program: &str, args: &[&str], wanted: &str) -> Result<()> {
    let out = probe(program, args);
    match out.as_deref().and_then(second_word) {
        Some(v) if v == wanted => {
            say!("setup: {program} {wanted} installed");
            Ok(())
        }
        other => Err(format!(
            "setup: after installing, `{program} --version` reports {} instead of {wanted}; \
             is another {program} earlier on PATH ({})?",
            other.unwrap_or("nothing"),
            find_on_path(program).map_or_else(|| "none found".into(), |p| p.display().to_string())
        )),
    }
}

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

fn apt_install(packages: &[&str]) -> Result<()> {
    if find_on_path("apt-get").is_none() {
        return Err(format!(
            "setup: apt-get not found; install these packages by hand: {}",
            packages.join(" ")
        ));
    }
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        install(
            &mut apt(&["update"]),
            "the apt package lists (apt-get update)",
        )?;
    }
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    install(&mut apt(&args), &packages.join(" "))
}

fn is_root() -> bool {
    probe("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

/// The version in `<name> <version>` output (`trunk 0.21.14`, `wasm-bindgen 0.2.130`).
pub fn second_word(output: &str) -> Option<&str> {
    output.split_whitespace().nth(1)
}

/// The binaryen version from `wasm-opt --version`, e.g. `wasm-opt version 132 (version_132)`.
pub fn parse_wasm_opt_version(output: &str) -> Option<u32> {
    let mut words = output.split_whitespace();
    words.find(|w| *w == "version")?;
    let number: String = words
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    number.parse().ok()
}

fn wasm_opt_version(path: &Path) -> Option<u32> {
    if !path.exists() {
        return None;
    }
    parse_wasm_opt_version(&probe(path, &["--version"])?)
}

/// The version of package `name` in a Cargo.lock (the first, if several).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_string());
        }
    }
    None
}

fn npm_global_bin() -> Option<PathBuf> {
    let prefix = probe("npm", &["prefix", "-g"])?;
    let bin = PathBuf::from(prefix.trim()).join("bin");
    bin.is_dir().then_some(bin)
}

fn cargo_bin() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin"))
}

/// Tools installed by `cargo install` land in ~/.cargo/bin: make sure children find them.
pub fn ensure_cargo_bin_on_path() {
    let Some(bin) = cargo_bin() else { return };
    let on_path =
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|dir| dir == bin));
    if !on_path {
        prepend_path(&bin);
    }
}

/// Put `dir` first on PATH for this process and every child it starts. Called only from the
/// main thread before any helper threads exist.
fn prepend_path(dir: &Path) {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let rest = std::env::split_paths(&current).filter(|p| p != dir);
    let joined = std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(rest))
        .expect("PATH entries contain no separator");
    std::env::set_var("PATH", joined);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_versions() {
        assert_eq!(second_word("trunk 0.21.14\n"), Some("0.21.14"));
        assert_eq!(second_word("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108"), Some(108));
        assert_eq!(parse_wasm_opt_version("wasm-opt 1.0"), None);
    }

    #[test]
    fn reads_a_locked_version() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-futures"
version = "0.4.80"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "trunk"), None);
    }
}
