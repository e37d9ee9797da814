//! `cargo xtask setup`: check the tools a command needs and install what is missing. Every
//! command asks only for what it uses (`RUN`, `BUILD`, …): `run` gets no browser, `test --only
//! lint` nothing but Rust.
//!
//! Rust itself is pinned by rust-toolchain.toml (channel, wasm32 target, rustfmt, clippy);
//! `rustup toolchain install` adds what that file lists. Other tools go into the project, never
//! over the user's own: trunk and wasm-bindgen-cli with `cargo install --root target/tools`,
//! npm packages with `npm install --prefix target/tools/npm` (both first on PATH for every
//! child, see `ctx`). A tool already on PATH in the right version is used as it is. System
//! packages come from apt: as root directly, otherwise xtask stops and prints the command,
//! never calling sudo.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::apt;
use crate::ctx::{human, say, shown, Ctx, Result};
use crate::proc::{self, find_on_path, probe};

/// trunk 0.22 needs rustc 1.96.1; 0.21.14 is the newest that builds on rustc 1.95.
const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One tool a command may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Rust,
    Trunk,
    WasmBindgen,
    WasmOpt,
    Esbuild,
    Node,
    Gzip,
    Brotli,
    Chromium,
    Chromedriver,
    Playwright,
    Axe,
}
use Tool::*;

/// `run` and `serve`: the release build, without its size check.
pub const RUN: &[Tool] = &[Rust, Trunk, WasmBindgen, WasmOpt, Esbuild, Node, Gzip];
/// `build`: the release build and its size check.
pub const BUILD: &[Tool] = &[
    Rust,
    Trunk,
    WasmBindgen,
    WasmOpt,
    Esbuild,
    Node,
    Gzip,
    Brotli,
];
/// The browser tests: wasm-bindgen-test-runner drives Chromium.
pub const BROWSER: &[Tool] = &[Rust, WasmBindgen, Chromium, Chromedriver];
/// `bench`, the end-to-end tests and `setup` itself: the release build driven in Chromium.
pub const ALL: &[Tool] = &[
    Rust,
    Trunk,
    WasmBindgen,
    WasmOpt,
    Esbuild,
    Node,
    Gzip,
    Brotli,
    Chromium,
    Chromedriver,
    Playwright,
    Axe,
];

/// How a missing tool gets installed.
enum Install {
    /// `rustup toolchain install`: what rust-toolchain.toml lists.
    Rustup,
    /// `cargo install --root target/tools <crate>`; `locked` unless a locked dependency is gone.
    Cargo { krate: &'static str, locked: bool },
    /// `npm install --prefix target/tools/npm <package>@<version>`.
    Npm(&'static str),
    /// `apt-get install <packages>`.
    Apt(&'static [&'static str]),
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Rust => "rust",
            Trunk => "trunk",
            WasmBindgen => "wasm-bindgen",
            WasmOpt => "wasm-opt",
            Esbuild => "esbuild",
            Node => "node",
            Gzip => "gzip",
            Brotli => "brotli",
            Chromium => "chromium",
            Chromedriver => "chromedriver",
            Playwright => "playwright-core",
            Axe => "axe-core",
        }
    }

    fn why(self) -> &'static str {
        match self {
            Rust => "compiles everything (rust-toolchain.toml: wasm32 target, rustfmt, clippy)",
            Trunk => "builds the panel",
            WasmBindgen => "must match wasm-bindgen in Cargo.lock; runs the browser tests",
            WasmOpt => "shrinks the wasm (binaryen; older ones cannot read current rustc's)",
            Esbuild => "minifies the JavaScript and CSS",
            Node => "computes the build's digests, runs the test scripts; npm installs the rest",
            Gzip | Brotli => "the size report of the release build",
            Chromium | Chromedriver => "the browser and end-to-end tests run in headless Chromium",
            Playwright => "drives the machine's Chromium from node; never downloads a browser",
            Axe => "the accessibility audit of the end-to-end tests",
        }
    }

    fn install(self) -> Install {
        match self {
            Rust => Install::Rustup,
            Trunk => Install::Cargo {
                krate: "trunk",
                locked: true,
            },
            // Not --locked: one of its locked dependencies is gone from the registry.
            WasmBindgen => Install::Cargo {
                krate: "wasm-bindgen-cli",
                locked: false,
            },
            WasmOpt => Install::Npm("binaryen"),
            Esbuild | Playwright | Axe => Install::Npm(self.name()),
            Node => Install::Apt(&["nodejs", "npm"]),
            Gzip => Install::Apt(&["gzip"]),
            Brotli => Install::Apt(&["brotli"]),
            Chromium => Install::Apt(&["chromium"]),
            Chromedriver => Install::Apt(&["chromium-driver"]),
        }
    }

    /// The version wanted; None: any will do.
    fn wanted(self, ctx: &Ctx) -> Result<Option<String>> {
        Ok(Some(match self {
            Rust => toolchain_channel(ctx)?,
            Trunk => TRUNK_VERSION.into(),
            WasmBindgen => locked_version(ctx, "wasm-bindgen")?,
            // The bytes of the budget are measured with this one (Debian's 108 cannot even read
            // what current rustc emits).
            WasmOpt => "132".into(),
            Esbuild => "0.25.12".into(),
            Playwright => "1.65.1".into(),
            Axe => "4.14.1".into(),
            Node | Gzip | Brotli | Chromium | Chromedriver => return Ok(None),
        }))
    }

    /// Where the tool is and the version it reports, if it is there.
    fn found(self, ctx: &Ctx) -> Option<(PathBuf, String)> {
        let on_path = |program: &str, word: usize| {
            let path = find_on_path(program)?;
            let version = version_word(&probe(&path, &["--version"])?, word)?;
            Some((path, version))
        };
        match self {
            Rust => on_path("rustc", 1),
            Trunk | Gzip | Brotli => on_path(self.name(), 1),
            WasmBindgen => on_path("wasm-bindgen", 1)
                .filter(|_| find_on_path("wasm-bindgen-test-runner").is_some()),
            WasmOpt => on_path("wasm-opt", 2),
            Esbuild => on_path("esbuild", 0),
            Node => on_path("node", 0).filter(|_| find_on_path("npm").is_some()),
            Chromium | Chromedriver => {
                let path = PathBuf::from(if self == Chromium {
                    CHROMIUM
                } else {
                    CHROMEDRIVER
                });
                let version = version_word(&probe(&path, &["--version"])?, 1)?;
                Some((path, version))
            }
            Playwright | Axe => {
                let manifest = ctx.npm_modules().join(self.name()).join("package.json");
                let json = std::fs::read_to_string(&manifest).ok()?;
                Some((manifest, package_version(&json)?))
            }
        }
    }

    /// Says what is there, what is wanted, and whether it will do.
    fn present(self, ctx: &Ctx) -> Result<bool> {
        let wanted = self.wanted(ctx)?;
        let found = self.found(ctx);
        let verdict = match (&found, &wanted) {
            (None, _) => "missing",
            (Some((_, v)), Some(w)) if v != w => "wrong version",
            _ => "present",
        };
        let what = found.map_or(String::new(), |(path, v)| {
            format!(" {v} ({})", shown(&path))
        });
        let want = wanted.unwrap_or_else(|| "any version".into());
        say!("setup: {}{what} ... {verdict}, wanted {want}", self.name());
        Ok(verdict == "present")
    }
}

/// `cargo xtask setup [--check]`: every tool; with `--check`, only the list.
pub fn setup(ctx: &Ctx, check_only: bool) -> Result<ExitCode> {
    if !check_only {
        ensure(ctx, ALL)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut missing = 0;
    for tool in ALL {
        if !tool.present(ctx)? {
            missing += 1;
        }
    }
    say!("setup --check: {missing} missing; nothing was installed");
    Ok(if missing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Check the tools that `needs` lists and install what is missing; commands call this first.
pub fn ensure(ctx: &Ctx, needs: &[Tool]) -> Result<()> {
    let started = Instant::now();
    let mut missing: Vec<Tool> = Vec::new();
    for (i, tool) in needs.iter().enumerate() {
        if !needs[..i].contains(tool) && !tool.present(ctx)? {
            missing.push(*tool);
        }
    }
    // System packages first: when they need root, say so now rather than after long installs.
    let apt: Vec<(&str, &str)> = missing
        .iter()
        .filter_map(|tool| match tool.install() {
            Install::Apt(names) => Some(names.iter().map(|n| (*n, tool.why()))),
            _ => None,
        })
        .flatten()
        .collect();
    apt::install(&apt)?;
    if needs.contains(&Rust) {
        rustup_toolchain(ctx)?;
    }
    if needs.contains(&Trunk) {
        say!("setup: cargo fetch (trunk builds with --offline, so every crate must be there)");
        proc::run(ctx.cargo().arg("fetch"))?;
    }
    let mut npm = Vec::new();
    for tool in &missing {
        let version = tool.wanted(ctx)?.unwrap_or_default();
        match tool.install() {
            Install::Cargo { krate, locked } => {
                say!(
                    "setup: installing {krate} {} into target/tools (cargo install, minutes on \
                     2 cores): {}",
                    version,
                    tool.why()
                );
                let mut cmd = ctx.cargo();
                cmd.args(["install", "--root"]).arg(ctx.tools());
                if locked {
                    cmd.arg("--locked");
                }
                cmd.args([krate, "--version", &version]);
                install(&mut cmd, krate)?;
            }
            Install::Npm(package) => npm.push(format!("{package}@{version}")),
            Install::Rustup | Install::Apt(_) => {}
        }
    }
    if !npm.is_empty() {
        let prefix = ctx.tools().join("npm");
        say!(
            "setup: installing {} into {} (npm install --prefix)",
            npm.join(" "),
            shown(&prefix)
        );
        std::fs::create_dir_all(&prefix).map_err(|e| format!("creating {prefix:?}: {e}"))?;
        let mut cmd = Command::new("npm");
        cmd.args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--prefix",
        ])
        .arg(&prefix)
        .args(&npm);
        install(&mut cmd, "the npm packages")?;
    }
    // What was installed must now be found, in a version that will do.
    for tool in &missing {
        if !tool.present(ctx)? {
            return Err(format!(
                "setup: {} is still missing or in another version after installing it",
                tool.name()
            ));
        }
    }
    say!("setup: done in {}", human(started.elapsed()));
    Ok(())
}

/// `rustup toolchain install` with no name installs what rust-toolchain.toml lists (a missing
/// target or component too) and does nothing when all is there, in a tenth of a second.
fn rustup_toolchain(ctx: &Ctx) -> Result<()> {
    if find_on_path("rustup").is_none() {
        say!("setup: no rustup, so rust-toolchain.toml's target and components are not checked");
        return Ok(());
    }
    let output = Command::new("rustup")
        .args(["toolchain", "install"])
        .current_dir(&ctx.root)
        .output()
        .map_err(|e| format!("setup: could not run rustup: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "setup: `rustup toolchain install` (what rust-toolchain.toml lists) failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// The Rust channel pinned by rust-toolchain.toml.
fn toolchain_channel(ctx: &Ctx) -> Result<String> {
    let path = ctx.root.join("rust-toolchain.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path:?}: {e}"))?;
    let file: toml::Table = text.parse().map_err(|e| format!("{path:?}: {e}"))?;
    file.get("toolchain")
        .and_then(|t| t.get("channel"))
        .and_then(toml::Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{path:?} names no [toolchain] channel"))
}

/// The version of package `name` in Cargo.lock.
fn locked_version(ctx: &Ctx, name: &str) -> Result<String> {
    let path = ctx.root.join("Cargo.lock");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path:?}: {e}"))?;
    lock_version(&text, name).ok_or_else(|| format!("{path:?} has no package `{name}`"))
}

fn lock_version(lock: &str, name: &str) -> Option<String> {
    let lock: toml::Table = lock.parse().ok()?;
    let packages = lock.get("package")?.as_array()?;
    let package = packages
        .iter()
        .find(|p| p.get("name").and_then(toml::Value::as_str) == Some(name))?;
    Some(package.get("version")?.as_str()?.to_string())
}

/// The `"version"` of an npm package.json.
fn package_version(json: &str) -> Option<String> {
    let manifest: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(manifest.get("version")?.as_str()?.to_string())
}

/// Word `n` of a `--version` output (`trunk 0.21.14`, `wasm-opt version 132 (version_132)`,
/// `v20.19.2`), without a leading `v`.
fn version_word(output: &str, n: usize) -> Option<String> {
    let word = output.split_whitespace().nth(n)?;
    Some(word.strip_prefix('v').unwrap_or(word).to_string())
}

fn install(cmd: &mut Command, what: &str) -> Result<()> {
    proc::run(cmd)
        .map_err(|e| format!("setup: installing {what} failed: {e}; see the output above"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_versions() {
        assert_eq!(
            version_word("trunk 0.21.14\n", 1).as_deref(),
            Some("0.21.14")
        );
        assert_eq!(
            version_word("wasm-opt version 132 (version_132)\n", 2).as_deref(),
            Some("132")
        );
        assert_eq!(version_word("v20.19.2\n", 0).as_deref(), Some("20.19.2"));
        let json = "{\n  \"name\": \"axe-core\",\n  \"version\" : \"4.14.1\",\n  \"x\": 1\n}";
        assert_eq!(package_version(json).as_deref(), Some("4.14.1"));
        assert_eq!(package_version("{\"name\": \"x\"}"), None);
    }

    #[test]
    fn reads_the_locked_version_and_the_pinned_channel() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen-futures"
version = "0.4.80"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "trunk"), None);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let ctx = Ctx {
            root: root.to_path_buf(),
            cargo: "cargo".into(),
        };
        assert_eq!(Rust.wanted(&ctx), Ok(Some("1.95.0".into())));
        assert!(matches!(WasmBindgen.wanted(&ctx), Ok(Some(_))));
        assert_eq!(Chromium.wanted(&ctx), Ok(None));
    }

    #[test]
    fn running_needs_no_browser_and_no_size_check() {
        assert!(!RUN.contains(&Chromium) && !RUN.contains(&Brotli));
        assert_eq!(BUILD, [RUN, &[Brotli]].concat());
        for tool in BUILD.iter().chain(BROWSER) {
            assert!(ALL.contains(tool), "{tool:?}");
        }
    }
}
