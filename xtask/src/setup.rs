//! `cargo xtask setup`: make sure the tools a command needs are present, installing what is
//! missing. Every command asks only for what it uses (`Needs`): `run` gets no browser, `test
//! --only lint` no trunk.
//!
//! Tools go into the project, never over the user's own: trunk and wasm-bindgen-cli with
//! `cargo install --root target/tools`, npm packages with `npm install --prefix
//! target/tools/npm`. `use_project_tools` puts both first on PATH (and the npm folder on
//! NODE_PATH) for every child xtask starts. A tool already on PATH in the right version (the
//! project's or the user's own) is used as it is. System packages (Chromium, brotli, node) come
//! from apt: as root directly, otherwise xtask stops and prints the command, never calling sudo.
//!
//! Everything is checked first (a `--version` or a file read each, so a ready machine takes
//! seconds), then installed, each install announced by one `xtask: setup: installing …` line
//! that says why.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::proc::{self, find_on_path, probe};
use crate::{say, Ctx, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The release bundle's compiler: a pinned nightly, because only nightly rebuilds std for the
/// bundle (`-Zbuild-std`, std's `optimize_for_size`) with panics that abort at once
/// (`-Cpanic=immediate-abort`): measured 16.3 KB smaller after brotli than stable 1.95
/// (202,966 -> 186,651 bytes, the crash screen's script included). Installed into
/// `target/tools/rustup`, never into the user's rustup; tests and native crates use stable.
pub const BUNDLE_TOOLCHAIN: &str = "nightly-2026-05-20";
/// trunk 0.22 needs rustc 1.96.1; 0.21.14 is the newest that builds on rustc 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Older binaryen cannot read the wasm that current rustc emits (bulk memory, etc.).
pub const MIN_WASM_OPT: u32 = 116;
pub const BINARYEN_NPM: &str = "binaryen@132";
/// Minifies wasm-bindgen's JavaScript, which trunk's own minifier cannot parse.
pub const ESBUILD_VERSION: &str = "0.25.12";
/// npm packages the test scripts `require` (resolved through NODE_PATH): name, version, why.
pub const NODE_TEST_PACKAGES: [(&str, &str, &str); 2] = [
    (
        "playwright-core",
        "1.65.1",
        "drives the machine's Chromium from node; never downloads a browser",
    ),
    (
        "axe-core",
        "4.14.1",
        "the accessibility audit of the end-to-end tests",
    ),
];
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What a command needs from the machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// The wasm32-unknown-unknown target of rustup (browser tests and lint; the release build
    /// rebuilds std itself with `BUNDLE_TOOLCHAIN`).
    pub wasm_target: bool,
    /// wasm-bindgen-cli in the version of Cargo.lock (and its wasm-bindgen-test-runner).
    pub wasm_bindgen: bool,
    /// The release build: `BUNDLE_TOOLCHAIN`, trunk, wasm-opt, esbuild, gzip and the
    /// downloaded crates.
    pub web_build: bool,
    /// brotli: the size check of the release build.
    pub brotli: bool,
    /// Chromium and ChromeDriver.
    pub browser: bool,
    /// rustfmt and clippy.
    pub lint: bool,
    /// node and the packages of `NODE_TEST_PACKAGES`.
    pub node_tests: bool,
}

impl Needs {
    /// `run` / `serve`: build the panel and serve it. No browser, no size check.
    pub const RUN: Needs = Needs {
        wasm_target: false,
        wasm_bindgen: true,
        web_build: true,
        brotli: false,
        browser: false,
        lint: false,
        node_tests: false,
    };
    /// `build`: the release build and its size check.
    pub const BUILD: Needs = Needs {
        brotli: true,
        ..Needs::RUN
    };
    /// `bench` (and the e2e tests): the release build driven in Chromium.
    pub const BENCH: Needs = Needs {
        browser: true,
        node_tests: true,
        ..Needs::BUILD
    };
    /// `setup`, and `test` with every step: everything.
    pub const ALL: Needs = Needs {
        wasm_target: true,
        lint: true,
        ..Needs::BENCH
    };

    pub fn union(self, other: Needs) -> Needs {
        Needs {
            wasm_target: self.wasm_target || other.wasm_target,
            wasm_bindgen: self.wasm_bindgen || other.wasm_bindgen,
            web_build: self.web_build || other.web_build,
            brotli: self.brotli || other.brotli,
            browser: self.browser || other.browser,
            lint: self.lint || other.lint,
            node_tests: self.node_tests || other.node_tests,
        }
    }
}

pub fn setup(ctx: &Ctx) -> Result<ExitCode> {
    run_setup(ctx, Needs::ALL)?;
    Ok(ExitCode::SUCCESS)
}

/// A system package to install and why.
type Package = (&'static str, &'static str);

/// Check what `needs` asks for and install what is missing; other commands call this first.
pub fn run_setup(ctx: &Ctx, needs: Needs) -> Result<()> {
    let started = Instant::now();
    let tools = ctx.tools();

    // 1. What is there. Quick: one `--version` or one file read per tool.
    let mut apt: Vec<Package> = Vec::new();
    let mut npm: Vec<(String, String)> = Vec::new();
    let add_target = needs.wasm_target && !has_wasm_target(ctx)?;
    let components = if needs.lint {
        missing_components(ctx)
    } else {
        Vec::new()
    };
    let wasm_bindgen = if needs.wasm_bindgen {
        missing_wasm_bindgen(ctx)?
    } else {
        None
    };
    let trunk = needs.web_build && !trunk_present();
    let bundle_toolchain = needs.web_build && !bundle_toolchain_present(&tools);
    if needs.web_build {
        if !wasm_opt_present() {
            npm.push((
                BINARYEN_NPM.into(),
                format!(
                    "wasm-opt, which trunk runs on the wasm; binaryen >= {MIN_WASM_OPT} reads \
                     what current rustc emits"
                ),
            ));
        }
        if !esbuild_present() {
            npm.push((
                format!("esbuild@{ESBUILD_VERSION}"),
                "minifies wasm-bindgen's JavaScript".into(),
            ));
        }
    }
    if needs.node_tests {
        for (name, version, why) in NODE_TEST_PACKAGES {
            if !npm_package_present(&tools, name, version) {
                npm.push((format!("{name}@{version}"), why.into()));
            }
        }
    }
    let node_missing = find_on_path("node").is_none();
    if (!npm.is_empty() && find_on_path("npm").is_none()) || (needs.node_tests && node_missing) {
        let why = "node and npm, to install and run the JavaScript tools";
        apt.extend([("nodejs", why), ("npm", why)]);
    }
    if needs.browser {
        browser_packages(&mut apt);
    }
    if needs.brotli {
        match find_on_path("brotli") {
            Some(path) => say!("setup: brotli ({}) ... present", path.display()),
            None => apt.push(("brotli", "the size check of the release build")),
        }
    }
    if needs.web_build && find_on_path("gzip").is_none() {
        apt.push(("gzip", "the size report of the release build"));
    }

    // 2. System packages first: when they need root, say so now rather than after the
    //    long installs below.
    install_system_packages(&apt)?;

    // 3. Rust and project-local tools.
    if add_target {
        say!(
            "setup: installing rust target {WASM_TARGET} (rustup target add): the panel \
             compiles to WebAssembly"
        );
        install(
            Command::new("rustup")
                .args(["target", "add", WASM_TARGET])
                .current_dir(&ctx.root),
            &format!("rust target {WASM_TARGET}"),
        )?;
    }
    if !components.is_empty() {
        say!(
            "setup: installing {} (rustup component add): the lint step runs them",
            components.join(" and ")
        );
        install(
            Command::new("rustup")
                .args(["component", "add"])
                .args(&components)
                .current_dir(&ctx.root),
            &components.join(" "),
        )?;
    }
    if bundle_toolchain {
        say!(
            "setup: installing rust {BUNDLE_TOOLCHAIN} with rust-src into {} (rustup toolchain \
             install, ~1 min): the release build rebuilds std with it, for size",
            shown(&bundle_rustup_home(&tools))
        );
        install(
            Command::new("rustup")
                .env("RUSTUP_HOME", bundle_rustup_home(&tools))
                .args(["toolchain", "install", BUNDLE_TOOLCHAIN])
                .args(["--profile", "minimal", "--component", "rust-src"])
                .arg("--no-self-update")
                .current_dir(&ctx.root),
            &format!("rust {BUNDLE_TOOLCHAIN}"),
        )?;
    }
    if needs.web_build {
        cargo_fetch(ctx)?;
    }
    if trunk {
        say!(
            "setup: installing trunk {TRUNK_VERSION} into {} (cargo install --locked --root; \
             ~10 min on 2 cores): it builds the panel",
            shown(&tools)
        );
        install(
            ctx.cargo()
                .args(["install", "--locked", "--root"])
                .arg(&tools)
                .arg(format!("trunk@{TRUNK_VERSION}")),
            &format!("trunk {TRUNK_VERSION}"),
        )?;
        expect_version("trunk", TRUNK_VERSION)?;
    }
    if let Some(wanted) = wasm_bindgen {
        // Not --locked: one of its locked dependencies is gone from the registry.
        say!(
            "setup: installing wasm-bindgen-cli {wanted} into {} (cargo install --root; ~3 min): \
             it must match wasm-bindgen {wanted} in Cargo.lock, and brings \
             wasm-bindgen-test-runner",
            shown(&tools)
        );
        install(
            ctx.cargo().args(["install", "--root"]).arg(&tools).args([
                "wasm-bindgen-cli",
                "--version",
                &wanted,
            ]),
            &format!("wasm-bindgen-cli {wanted}"),
        )?;
        expect_version("wasm-bindgen", &wanted)?;
        if find_on_path("wasm-bindgen-test-runner").is_none() {
            return Err(
                "setup: wasm-bindgen-test-runner is still not on PATH after installing \
                 wasm-bindgen-cli"
                    .into(),
            );
        }
    }
    if !npm.is_empty() {
        npm_install(&tools, &npm)?;
    }
    say!("setup: done in {}", crate::test::human(started.elapsed()));
    Ok(())
}

fn has_wasm_target(ctx: &Ctx) -> Result<bool> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(&ctx.root)
        .output()
        .map_err(|e| {
            format!("setup: rustup not found ({e}); install Rust with rustup (https://rustup.rs)")
        })?;
    let present = String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET);
    if present {
        say!("setup: rust target {WASM_TARGET} ... present");
    }
    Ok(present)
}

/// rustfmt and clippy, by asking cargo for them (works with or without rustup).
fn missing_components(ctx: &Ctx) -> Vec<&'static str> {
    let mut missing = Vec::new();
    for (component, subcommand) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        match probe(&ctx.cargo, &[subcommand, "--version"]) {
            Some(v) => say!("setup: {} ... present", v.trim()),
            None => missing.push(component),
        }
    }
    missing
}

fn cargo_fetch(ctx: &Ctx) -> Result<()> {
    say!("setup: cargo fetch (trunk builds with --offline, so every crate must be downloaded)");
    proc::run(ctx.cargo().arg("fetch"))
        .map_err(|e| format!("setup: downloading the dependencies failed: {e}"))?;
    // std's own dependencies, which the release build compiles too.
    let mut fetch = Command::new("cargo");
    fetch
        .args(["fetch", "--target", WASM_TARGET])
        .current_dir(&ctx.root);
    use_bundle_toolchain(&mut fetch, &ctx.tools());
    proc::run(&mut fetch).map_err(|e| format!("setup: downloading std's dependencies failed: {e}"))
}

/// Where `BUNDLE_TOOLCHAIN` lives: a rustup home of the project's own.
fn bundle_rustup_home(tools: &Path) -> PathBuf {
    tools.join("rustup")
}

/// Whether `BUNDLE_TOOLCHAIN` and its std sources are in the project's rustup home.
fn bundle_toolchain_present(tools: &Path) -> bool {
    let toolchains = bundle_rustup_home(tools).join("toolchains");
    let present = std::fs::read_dir(&toolchains).is_ok_and(|dirs| {
        dirs.filter_map(|d| d.ok()).any(|d| {
            d.file_name()
                .to_string_lossy()
                .starts_with(BUNDLE_TOOLCHAIN)
                && d.path().join("lib/rustlib/src/rust/library").is_dir()
        })
    });
    if present {
        say!("setup: rust {BUNDLE_TOOLCHAIN} with rust-src ... present");
    }
    present
}

/// Make `cmd` (trunk, or cargo) build the wasm with `BUNDLE_TOOLCHAIN` and std rebuilt for
/// size, in a target folder of its own so the stable builds of the tests are not redone.
pub fn use_bundle_toolchain(cmd: &mut Command, tools: &Path) {
    let target_dir = tools.parent().unwrap_or(tools).join("bundle");
    cmd.env("RUSTUP_HOME", bundle_rustup_home(tools))
        .env("RUSTUP_TOOLCHAIN", BUNDLE_TOOLCHAIN)
        .env_remove("RUSTC")
        .env_remove("CARGO")
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
        // Replaces the `rustflags` of .cargo/config.toml for this target, so it repeats them.
        // `-Zfmt-debug=none`: `{:?}` prints nothing in the bundle (2.7 KB smaller, measured).
        // The panel shows no Debug text (only tests use it, and they build with stable); a
        // dependency's message that quotes a value with `{:?}` loses the quote, e.g. serde's
        // "invalid type: string \"x\"" in a malformed answer's detail.
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none",
        );
}

/// Whether the first trunk on PATH (the project's, else the user's) is the one the build needs.
fn trunk_present() -> bool {
    match version_on_path("trunk") {
        Some((path, Some(v))) if v == TRUNK_VERSION => {
            say!("setup: trunk {v} ({}) ... present", shown(&path));
            true
        }
        Some((path, v)) => {
            say!(
                "setup: {} is trunk {}, but the build needs exactly {TRUNK_VERSION}",
                shown(&path),
                v.as_deref().unwrap_or("(unknown version)")
            );
            false
        }
        None => false,
    }
}

/// The wasm-bindgen version to install, or None when the one on PATH matches Cargo.lock.
fn missing_wasm_bindgen(ctx: &Ctx) -> Result<Option<String>> {
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
    let found = version_on_path("wasm-bindgen");
    let runner = find_on_path("wasm-bindgen-test-runner");
    match (&found, &runner) {
        (Some((path, Some(v))), Some(_)) if *v == wanted => {
            say!(
                "setup: wasm-bindgen {wanted} (+ wasm-bindgen-test-runner) ({}) ... present",
                shown(path)
            );
            return Ok(None);
        }
        (Some((path, Some(v))), _) if *v != wanted => say!(
            "setup: {} is wasm-bindgen {v}, but Cargo.lock has wasm-bindgen {wanted} and they \
             must match",
            shown(path)
        ),
        (Some(_), None) => say!("setup: wasm-bindgen-test-runner is missing"),
        _ => {}
    }
    Ok(Some(wanted))
}

fn wasm_opt_present() -> bool {
    let Some(path) = find_on_path("wasm-opt") else {
        return false;
    };
    match probe(&path, &["--version"])
        .as_deref()
        .and_then(parse_wasm_opt_version)
    {
        Some(v) if v >= MIN_WASM_OPT => {
            say!("setup: wasm-opt {v} ({}) ... present", shown(&path));
            true
        }
        Some(v) => {
            say!(
                "setup: {} is binaryen {v}, too old (needs >= {MIN_WASM_OPT})",
                shown(&path)
            );
            false
        }
        None => {
            say!("setup: {} does not report a version", shown(&path));
            false
        }
    }
}

fn esbuild_present() -> bool {
    let Some(path) = find_on_path("esbuild") else {
        return false;
    };
    match probe(&path, &["--version"]).map(|v| v.trim().to_string()) {
        Some(v) if v == ESBUILD_VERSION => {
            say!("setup: esbuild {v} ({}) ... present", shown(&path));
            true
        }
        other => {
            say!(
                "setup: {} is esbuild {}, the build needs {ESBUILD_VERSION}",
                shown(&path),
                other.as_deref().unwrap_or("(unknown version)")
            );
            false
        }
    }
}

/// Whether `name@version` is in target/tools/npm (the only place NODE_PATH points to).
fn npm_package_present(tools: &Path, name: &str, version: &str) -> bool {
    let manifest = npm_modules(tools).join(name).join("package.json");
    let found = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|json| package_version(&json));
    match found {
        Some(v) if v == version => {
            say!("setup: {name} {v} ({}) ... present", shown(&manifest));
            true
        }
        Some(v) => {
            say!(
                "setup: {} is {name} {v}, the tests need {version}",
                shown(&manifest)
            );
            false
        }
        None => false,
    }
}

fn browser_packages(apt: &mut Vec<Package>) {
    let browser = Path::new(CHROMIUM).exists();
    let driver = proc::is_executable(Path::new(CHROMEDRIVER));
    if browser && driver {
        let version = probe(CHROMEDRIVER, &["--version"])
            .and_then(|v| v.split_whitespace().nth(1).map(str::to_string))
            .unwrap_or_else(|| "?".into());
        say!("setup: chromium + chromedriver {version} ({CHROMIUM}, {CHROMEDRIVER}) ... present");
        return;
    }
    let why = "the browser and end-to-end tests run in headless Chromium";
    if !browser {
        apt.push(("chromium", why));
    }
    if !driver {
        apt.push(("chromium-driver", why));
    }
}

/// One `npm install --prefix target/tools/npm` for every missing package.
fn npm_install(tools: &Path, packages: &[(String, String)]) -> Result<()> {
    let prefix = tools.join("npm");
    let what: Vec<String> = packages
        .iter()
        .map(|(spec, why)| format!("{spec} ({why})"))
        .collect();
    say!(
        "setup: installing {} into {} (npm install --prefix)",
        what.join(", "),
        shown(&prefix)
    );
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("setup: creating {}: {e}", prefix.display()))?;
    install(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                "--prefix",
            ])
            .arg(&prefix)
            .args(packages.iter().map(|(spec, _)| spec)),
        "the npm packages",
    )?;
    // The new binaries are found through PATH, which already lists node_modules/.bin.
    let mut wrong = Vec::new();
    for (spec, _) in packages {
        let ok = match spec.rsplit_once('@') {
            Some(("binaryen", _)) => wasm_opt_present(),
            Some(("esbuild", _)) => esbuild_present(),
            Some((name, version)) => npm_package_present(tools, name, version),
            None => true,
        };
        if !ok {
            wrong.push(spec.as_str());
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "setup: after `npm install --prefix {}`, these are still missing or in another \
             version: {}",
            prefix.display(),
            wrong.join(", ")
        ))
    }
}

/// What to do about missing system packages.
#[derive(Debug, PartialEq, Eq)]
pub enum AptPlan {
    Nothing,
    /// We are root: run apt-get.
    Install(Vec<&'static str>),
    /// Not root: stop and print this message with the command to run.
    AskUser(String),
}

pub fn apt_plan(missing: &[Package], root: bool, has_apt: bool) -> AptPlan {
    if missing.is_empty() {
        return AptPlan::Nothing;
    }
    let names: Vec<&'static str> = missing.iter().map(|(name, _)| *name).collect();
    let why = reasons(missing);
    if !has_apt {
        return AptPlan::AskUser(format!(
            "setup: missing system packages: {why}. apt-get is not available here: install \
             them with your system's package manager, then run the same command again"
        ));
    }
    if root {
        return AptPlan::Install(names);
    }
    AptPlan::AskUser(format!(
        "setup: missing system packages: {why}. Installing them needs root, and xtask does not \
         call sudo itself. Run\n\n    {}\n\nthen run the same cargo xtask command again",
        sudo_command(&names)
    ))
}

/// The command a user without root runs to install `packages`.
pub fn sudo_command(packages: &[&str]) -> String {
    format!(
        "sudo apt-get update && sudo apt-get install -y {}",
        packages.join(" ")
    )
}

/// `chromium, chromium-driver (why); brotli (why)`: packages grouped by reason.
fn reasons(packages: &[Package]) -> String {
    let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
    for (name, why) in packages {
        match groups.iter_mut().find(|(_, w)| w == why) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], why)),
        }
    }
    groups
        .iter()
        .map(|(names, why)| format!("{} ({why})", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn install_system_packages(missing: &[Package]) -> Result<()> {
    let plan = if missing.is_empty() {
        AptPlan::Nothing
    } else {
        apt_plan(missing, is_root(), find_on_path("apt-get").is_some())
    };
    match plan {
        AptPlan::Nothing => Ok(()),
        AptPlan::AskUser(message) => Err(message),
        AptPlan::Install(names) => {
            say!("setup: installing {} (apt-get, as root)", reasons(missing));
            let apt = |args: &[&str]| {
                let mut cmd = Command::new("apt-get");
                cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
                cmd
            };
            install(
                &mut apt(&["update"]),
                "the apt package lists (apt-get update)",
            )?;
            let mut args = vec!["install", "-y"];
            args.extend_from_slice(&names);
            install(&mut apt(&args), &names.join(" "))?;
            let commands = [
                ("nodejs", "node"),
                ("npm", "npm"),
                ("brotli", "brotli"),
                ("gzip", "gzip"),
                ("chromium", "chromium"),
                ("chromium-driver", "chromedriver"),
            ];
            for (package, command) in commands {
                if names.contains(&package) && find_on_path(command).is_none() {
                    return Err(format!(
                        "setup: apt-get installed {package}, but `{command}` is still not on PATH"
                    ));
                }
            }
            Ok(())
        }
    }
}

fn install(cmd: &mut Command, what: &str) -> Result<()> {
    proc::run(cmd)
        .map_err(|e| format!("setup: installing {what} failed: {e}; see the output above"))
}

/// The first `program` on PATH and the version it reports (`<name> <version>`).
fn version_on_path(program: &str) -> Option<(PathBuf, Option<String>)> {
    let path = find_on_path(program)?;
    let version = probe(&path, &["--version"])
        .as_deref()
        .and_then(second_word)
        .map(str::to_string);
    Some((path, version))
}

fn expect_version(program: &str, wanted: &str) -> Result<()> {
    match version_on_path(program) {
        Some((path, Some(v))) if v == wanted => {
            say!("setup: {program} {wanted} installed ({})", shown(&path));
            Ok(())
        }
        other => Err(format!(
            "setup: after installing, the first {program} on PATH ({}) reports {} instead of \
             {wanted}",
            other
                .as_ref()
                .map_or_else(|| "none".into(), |(p, _)| p.display().to_string()),
            other
                .as_ref()
                .and_then(|(_, v)| v.as_deref())
                .unwrap_or("nothing"),
        )),
    }
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

/// The `"version"` of an npm package.json (the first one, which npm writes at the top level).
pub fn package_version(json: &str) -> Option<String> {
    let rest = &json[json.find("\"version\"")? + "\"version\"".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

pub fn npm_modules(tools: &Path) -> PathBuf {
    tools.join("npm").join("node_modules")
}

/// A path for messages: relative to the project when inside it, marked as the user's own
/// otherwise.
fn shown(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("/"));
    match path.strip_prefix(root) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => format!("{}, yours", path.display()),
    }
}

/// Put the project's tools first on PATH (`target/tools/bin`, then
/// `target/tools/npm/node_modules/.bin`) and its npm packages on NODE_PATH, for this process
/// and every child it starts. Called once from `Ctx::new`, before any thread exists.
pub fn use_project_tools(tools: &Path) {
    let first = [tools.join("bin"), npm_modules(tools).join(".bin")];
    std::env::set_var("PATH", prepend(&first, std::env::var_os("PATH").as_deref()));
    std::env::set_var(
        "NODE_PATH",
        prepend(
            &[npm_modules(tools)],
            std::env::var_os("NODE_PATH").as_deref(),
        ),
    );
}

/// `dirs` followed by the entries of `list` that are not among them.
fn prepend(dirs: &[PathBuf], list: Option<&OsStr>) -> std::ffi::OsString {
    let rest: Vec<PathBuf> = list
        .map(|l| {
            std::env::split_paths(l)
                .filter(|p| !p.as_os_str().is_empty() && !dirs.contains(p))
                .collect()
        })
        .unwrap_or_default();
    std::env::join_paths(dirs.iter().cloned().chain(rest))
        .expect("PATH entries contain no separator")
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
        let json = "{\n  \"name\": \"axe-core\",\n  \"version\" : \"4.14.1\",\n  \"x\": 1\n}";
        assert_eq!(package_version(json).as_deref(), Some("4.14.1"));
        assert_eq!(package_version("{\"name\": \"x\"}"), None);
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

    #[test]
    fn running_needs_no_browser_and_no_size_check() {
        let run = Needs {
            wasm_bindgen: true,
            web_build: true,
            ..Needs::default()
        };
        assert_eq!(Needs::RUN, run);
        assert_eq!(
            Needs::BUILD,
            Needs {
                brotli: true,
                ..run
            }
        );
        let bench = Needs {
            brotli: true,
            browser: true,
            node_tests: true,
            ..run
        };
        assert_eq!(Needs::BENCH, bench);
        assert_eq!(
            Needs::ALL,
            Needs {
                wasm_target: true,
                lint: true,
                ..bench
            }
        );
        assert_eq!(Needs::default().union(Needs::ALL), Needs::ALL);
    }

    #[test]
    fn without_root_it_prints_the_command_instead_of_calling_sudo() {
        let why = "the browser and end-to-end tests run in headless Chromium";
        let missing = [
            ("chromium", why),
            ("chromium-driver", why),
            ("brotli", "the size check of the release build"),
        ];
        let AptPlan::AskUser(message) = apt_plan(&missing, false, true) else {
            panic!("a user without root must be asked");
        };
        assert!(
            message.contains(
                "\n    sudo apt-get update && sudo apt-get install -y chromium chromium-driver \
                 brotli\n"
            ),
            "{message}"
        );
        assert!(
            message.contains("chromium, chromium-driver (the browser"),
            "{message}"
        );
        assert_eq!(
            apt_plan(&missing, true, true),
            AptPlan::Install(vec!["chromium", "chromium-driver", "brotli"])
        );
        assert!(matches!(
            apt_plan(&missing, true, false),
            AptPlan::AskUser(_)
        ));
        assert_eq!(apt_plan(&[], false, true), AptPlan::Nothing);
    }

    #[test]
    fn project_tools_come_first_once() {
        let tools = PathBuf::from("/p/target/tools");
        let first = [tools.join("bin"), npm_modules(&tools).join(".bin")];
        let path = prepend(
            &first,
            Some(OsStr::new("/usr/bin:/p/target/tools/bin:/bin")),
        );
        assert_eq!(
            path,
            "/p/target/tools/bin:/p/target/tools/npm/node_modules/.bin:/usr/bin:/bin"
        );
        assert_eq!(
            prepend(&[npm_modules(&tools)], None),
            "/p/target/tools/npm/node_modules"
        );
    }
}
