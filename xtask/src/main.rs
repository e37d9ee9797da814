//! `cargo xtask`: the task runner of Groups Console. This file parses the command line and
//! hands over to the module of each command; `ctx` holds what they share.
//!
//! Every tool a command needs is checked (and installed when missing, into target/tools) by
//! `setup`, which every other command runs first for the part it needs. Lines printed by xtask
//! itself start with `xtask:`; everything else is the output of the child processes, which
//! inherit the terminal.

mod apt;
mod bench;
mod bundle;
mod ctx;
mod imports;
mod proc;
mod serve;
mod setup;
mod test;

use std::process::ExitCode;

use ctx::{Ctx, Result};

/// The command line, parsed.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Setup { check_only: bool },
    Build(bundle::BuildOpts),
    Serve(serve::ServeOpts),
    Test(test::TestOpts),
    Bench(bench::BenchOpts),
}

const HELP: &str = "\
cargo xtask <command> [options]

Commands:
  setup [--check]       Check the tools and install what is missing: Rust as
                        rust-toolchain.toml pins it (rustup toolchain install); into
                        target/tools (first on PATH for everything xtask runs; nothing
                        global is replaced) trunk 0.21.14 and wasm-bindgen-cli (the
                        version in Cargo.lock) with `cargo install --root target/tools`,
                        wasm-opt (binaryen), esbuild, playwright-core and axe-core with
                        `npm install --prefix target/tools/npm`; node, gzip, brotli,
                        chromium and chromedriver with apt (as root directly, otherwise it
                        stops and prints the sudo command to run). A tool already on PATH
                        in the right version is used as it is. Every other command runs
                        the part of setup it needs. --check lists each tool as present or
                        missing, with the version wanted, installs nothing, and exits
                        non-zero if one is missing.
  build [--public-url /sub/] [--connect-src https://relay.example.com]...
                        setup, then `trunk build --release --offline` into dist/, minify
                        the JS and CSS with esbuild, write a Content-Security-Policy that allows
                        connections to the site, api.turso.tech, region.turso.io and each
                        --connect-src, copy
                        dist/index.html to dist/404.html (deep-link fallback of static
                        hosts), print a size table and fail if html+js+wasm+css exceed
                        256 KiB (262144 bytes) compressed with brotli -q 11.
  serve, run [--addr 127.0.0.1:8080] [--groups N] [--relay URL]
                        setup without browser or brotli (the size is checked only if
                        brotli is there), build, then run the sandbox (an in-memory Turso
                        Platform API that also serves dist/) and print the URL,
                        organization and token to sign in with. Runs until Ctrl-C. With
                        --relay, groups-console-relay serves dist/ instead and forwards
                        /v1/... to the API at URL (e.g. https://api.turso.tech), so the
                        browser needs no CORS.
  test [--only setup|lint|native|browser|e2e|bench]...
                        Run every test, in order: setup (with the browser packages);
                        lint (`cargo fmt --all --check`, `cargo clippy --workspace
                        --all-targets -- -D warnings`, and clippy for wasm32 on
                        groups-console); native (`cargo test --workspace --exclude e2e`);
                        browser (wasm-bindgen-test in headless Chromium against a sandbox);
                        e2e (release build + sandbox + chromedriver + `cargo test -p e2e
                        -- --include-ignored`);
                        bench (`bench --quick`). Prints a summary; exits non-zero if any
                        step failed. `--only` (repeatable, or comma-separated) runs a
                        subset; setup always runs, for what the subset needs.
  bench [--quick]       The panel against a hand-written HTML+JS baseline in headless
                        Chromium (cold load, 10,000-row render, filter, memory, bytes,
                        requests), in turns, 10 runs each after a warm-up; writes
                        BENCHMARKS.md (--quick: 2 runs, target/bench/quick.md).
  help                  Show this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("xtask: {message}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }

    let ctx = Ctx::new();
    let result = match command {
        Command::Help => unreachable!(),
        Command::Setup { check_only } => setup::setup(&ctx, check_only),
        Command::Build(opts) => bundle::build_command(&ctx, &opts),
        Command::Serve(opts) => serve::serve(&ctx, &opts),
        Command::Test(opts) => test::test(&ctx, &opts),
        Command::Bench(opts) => bench::bench(&ctx, &opts),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Parse everything after `cargo xtask`.
pub fn parse_args(args: &[String]) -> Result<Command> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    let mut rest = Flags::new(rest);
    let command = match name.as_str() {
        "help" | "-h" | "--help" => Command::Help,
        "setup" => Command::Setup {
            check_only: rest.flag("--check"),
        },
        "build" => {
            let public_url = rest.value("--public-url")?;
            let mut connect_src = Vec::new();
            while let Some(origin) = rest.value("--connect-src")? {
                connect_src.push(origin);
            }
            Command::Build(bundle::BuildOpts {
                public_url,
                dist: None,
                connect_src,
            })
        }
        "bench" => Command::Bench(bench::BenchOpts {
            quick: rest.flag("--quick"),
        }),
        "serve" | "run" => {
            let addr = rest
                .value("--addr")?
                .unwrap_or_else(|| "127.0.0.1:8080".into());
            let groups = match rest.value("--groups")? {
                Some(n) => Some(
                    n.parse::<u32>()
                        .map_err(|_| format!("--groups expects a number, got `{n}`"))?,
                ),
                None => None,
            };
            let relay = rest.value("--relay")?;
            Command::Serve(serve::ServeOpts {
                addr,
                groups,
                relay,
            })
        }
        "test" => {
            let mut only = Vec::new();
            while let Some(list) = rest.value("--only")? {
                for item in list.split(',').filter(|s| !s.is_empty()) {
                    only.push(test::Step::parse(item)?);
                }
            }
            Command::Test(test::TestOpts { only })
        }
        other => return Err(format!("unknown command `{other}`")),
    };
    rest.finish()?;
    Ok(command)
}

/// A tiny `--flag value` / `--flag=value` parser over the remaining arguments.
struct Flags<'a> {
    args: Vec<&'a str>,
}

impl<'a> Flags<'a> {
    fn new(args: &'a [String]) -> Self {
        Flags {
            args: args.iter().map(String::as_str).collect(),
        }
    }

    /// Remove the first occurrence of `flag` and return its value.
    /// Whether the flag (without a value) is there; it is consumed.
    fn flag(&mut self, flag: &str) -> bool {
        let found = self.args.iter().position(|a| *a == flag);
        if let Some(i) = found {
            self.args.remove(i);
        }
        found.is_some()
    }

    fn value(&mut self, flag: &str) -> Result<Option<String>> {
        let prefix = format!("{flag}=");
        for i in 0..self.args.len() {
            if self.args[i] == flag {
                if i + 1 >= self.args.len() {
                    return Err(format!("{flag} expects a value"));
                }
                let value = self.args.remove(i + 1).to_string();
                self.args.remove(i);
                return Ok(Some(value));
            }
            if let Some(value) = self.args[i].strip_prefix(&prefix) {
                let value = value.to_string();
                self.args.remove(i);
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn finish(self) -> Result<()> {
        match self.args.first() {
            None => Ok(()),
            Some(arg) => Err(format!("unexpected argument `{arg}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_args(&args)
    }

    #[test]
    fn no_arguments_means_help() {
        assert_eq!(parse(&[]), Ok(Command::Help));
        assert_eq!(parse(&["help"]), Ok(Command::Help));
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }

    #[test]
    fn build_takes_a_public_url_in_both_spellings() {
        let expected = Command::Build(bundle::BuildOpts {
            public_url: Some("/sub/".into()),
            dist: None,
            connect_src: Vec::new(),
        });
        assert_eq!(parse(&["build", "--public-url", "/sub/"]), Ok(expected));
        let expected = Command::Build(bundle::BuildOpts {
            public_url: Some("/sub/".into()),
            dist: None,
            connect_src: Vec::new(),
        });
        assert_eq!(parse(&["build", "--public-url=/sub/"]), Ok(expected));
        assert_eq!(
            parse(&["build"]),
            Ok(Command::Build(bundle::BuildOpts {
                public_url: None,
                dist: None,
                connect_src: Vec::new(),
            }))
        );
        assert!(parse(&["build", "--public-url"]).is_err());
        let Ok(Command::Build(opts)) = parse(&[
            "build",
            "--connect-src",
            "https://a.example",
            "--connect-src=https://b.example",
        ]) else {
            panic!("build with --connect-src");
        };
        assert_eq!(opts.connect_src, ["https://a.example", "https://b.example"]);
    }

    #[test]
    fn serve_and_run_are_the_same_command() {
        let expected = Command::Serve(serve::ServeOpts {
            addr: "127.0.0.1:8080".into(),
            groups: None,
            relay: None,
        });
        assert_eq!(parse(&["serve"]), Ok(expected));
        let expected = Command::Serve(serve::ServeOpts {
            addr: "0.0.0.0:9000".into(),
            groups: Some(40),
            relay: None,
        });
        assert_eq!(
            parse(&["run", "--groups", "40", "--addr", "0.0.0.0:9000"]),
            Ok(expected)
        );
        assert!(parse(&["serve", "--groups", "many"]).is_err());
        let relay = parse(&["run", "--relay", "https://api.turso.tech"]).unwrap();
        assert!(
            matches!(relay, Command::Serve(o) if o.relay.as_deref() == Some("https://api.turso.tech"))
        );
    }

    #[test]
    fn test_only_accepts_lists_and_repeats() {
        let parsed = parse(&["test", "--only", "native,e2e", "--only=browser"]);
        assert_eq!(
            parsed,
            Ok(Command::Test(test::TestOpts {
                only: vec![test::Step::Native, test::Step::E2e, test::Step::Browser],
            }))
        );
        assert_eq!(
            parse(&["test", "--only", "lint"]),
            Ok(Command::Test(test::TestOpts {
                only: vec![test::Step::Lint],
            }))
        );
        assert!(parse(&["test", "--only", "everything"]).is_err());
    }

    #[test]
    fn unknown_commands_and_flags_are_refused() {
        assert!(parse(&["deploy"]).is_err());
        assert!(parse(&["test", "--quick"]).is_err());
        assert!(parse(&["setup", "extra"]).is_err());
        assert_eq!(parse(&["setup"]), Ok(Command::Setup { check_only: false }));
        assert_eq!(
            parse(&["setup", "--check"]),
            Ok(Command::Setup { check_only: true })
        );
    }
}
