//! `cargo xtask bench`: the panel's release build against a hand-written baseline page
//! (`bench/baseline/`), both served by sandbox servers seeded with 100, 1,000 and 10,000
//! groups and driven in headless Chromium in turns by `bench/run.js`, which also times a bulk
//! Protect of all 1,000 groups of the middle server (the whole run and its longest frame).
//! Writes BENCHMARKS.md; `--quick` (what `cargo xtask test` runs, so the benchmark never
//! rots) writes target/bench/quick.md instead and asserts nothing about times.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::bundle::{self, Row};
use crate::ctx::{say, Ctx, Result};
use crate::{proc, serve, setup};

/// Extra groups beside the four the sandbox seeds: 100, 1,000 and 10,000 in all.
const SMALL: (u32, &str) = (96, "100");
const MID: (u32, &str) = (996, "1000");
const LARGE: (u32, &str) = (9996, "10000");

#[derive(Debug, PartialEq, Eq)]
pub struct BenchOpts {
    pub quick: bool,
}

pub fn bench(ctx: &Ctx, opts: &BenchOpts) -> Result<ExitCode> {
    setup::ensure(ctx, setup::ALL)?;
    run(ctx, opts)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(ctx: &Ctx, opts: &BenchOpts) -> Result<()> {
    let work = ctx.root.join("target").join("bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    bundle::build(ctx, &bundle::BuildOpts::default())?;
    let site = assemble(ctx, &work)?;
    let sizes = work.join("sizes.json");
    write_sizes(&ctx.dist(), &site.join("baseline"), &sizes)?;

    let (_small, small) = serve::start_server(
        ctx,
        "127.0.0.1:0",
        Some(&site),
        &["--groups", &SMALL.0.to_string()],
    )?;
    let (_mid, mid) = serve::start_server(
        ctx,
        "127.0.0.1:0",
        Some(&site),
        &["--groups", &MID.0.to_string()],
    )?;
    let (_large, large) = serve::start_server(
        ctx,
        "127.0.0.1:0",
        Some(&site),
        &["--groups", &LARGE.0.to_string()],
    )?;
    let runs = if opts.quick { "2" } else { "10" };
    let results = work.join("results.json");
    // `require("playwright-core")` resolves from target/tools/npm through NODE_PATH, which
    // xtask sets for every child (see `ctx`).
    proc::run(
        Command::new("node")
            .arg(ctx.root.join("bench").join("run.js"))
            .args([&small, SMALL.1, &mid, MID.1, &large, LARGE.1, runs])
            .arg(&results),
    )?;
    let report = if opts.quick {
        work.join("quick.md")
    } else {
        ctx.root.join("BENCHMARKS.md")
    };
    proc::run(
        Command::new("node")
            .arg(ctx.root.join("bench").join("report.js"))
            .arg(&results)
            .arg(&sizes)
            .arg(&report),
    )?;
    say!("bench: report in {}", report.display());
    Ok(())
}

/// The panel's dist/ with the baseline beside it at /baseline/ (styled by the same CSS).
fn assemble(ctx: &Ctx, work: &Path) -> Result<PathBuf> {
    let site = work.join("site");
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&ctx.dist(), &site)?;
    let baseline = site.join("baseline");
    copy_dir(&ctx.root.join("bench").join("baseline"), &baseline)?;
    let css = std::fs::read_dir(ctx.dist())
        .map_err(|e| format!("listing dist/: {e}"))?
        .filter_map(|e| Some(e.ok()?.path()))
        .find(|p| p.extension().is_some_and(|e| e == "css"))
        .ok_or("dist/ has no stylesheet")?;
    std::fs::copy(&css, baseline.join("main.css")).map_err(|e| format!("copying the CSS: {e}"))?;
    Ok(site)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("listing {}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| format!("copying {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Bytes of both pages by kind (html, js, wasm, css): raw, gzip and brotli, as JSON.
fn write_sizes(panel: &Path, baseline: &Path, out: &Path) -> Result<()> {
    let kinds = |rows: &[Row]| {
        let mut by_kind = serde_json::Map::new();
        for kind in ["html", "js", "wasm", "css"] {
            let (raw, gzip, brotli) = rows
                .iter()
                .filter(|r| r.counted() && r.name.ends_with(&format!(".{kind}")))
                .fold((0, 0, 0), |(a, b, c), r| {
                    (a + r.raw, b + r.gzip, c + r.brotli.unwrap_or(0))
                });
            by_kind.insert(kind.into(), serde_json::json!([raw, gzip, brotli]));
        }
        by_kind
    };
    let json = serde_json::json!({
        "panel": kinds(&bundle::measure(panel)?),
        "baseline": kinds(&bundle::measure(baseline)?),
    });
    std::fs::write(out, json.to_string()).map_err(|e| format!("writing {}: {e}", out.display()))
}
