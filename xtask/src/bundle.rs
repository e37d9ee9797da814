//! `cargo xtask build`: the release bundle in dist/, its deep-link fallback and its size report.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::ctx::{say, Ctx, Result};
use crate::{proc, setup};

/// The budget for html+js+wasm+css compressed with `brotli -q 11`.
pub const BROTLI_BUDGET: u64 = 256 * 1024;
/// The file types that count towards the budget.
const COUNTED: [&str; 4] = ["html", "js", "wasm", "css"];
/// Static hosts serve this for unknown paths, so deep links like /groups load the app.
const FALLBACK: &str = "404.html";
/// The in-page sandbox's module and wasm: fetched only on "Try the sandbox", so they are
/// reported on their own and not counted in the first load.
const ON_DEMAND: &str = "sandbox-web";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BuildOpts {
    pub public_url: Option<String>,
    /// Where to write the site; dist/ when `None`.
    pub dist: Option<PathBuf>,
    /// Origins the panel may call besides its own and api.turso.tech (a relay elsewhere).
    pub connect_src: Vec<String>,
}

/// What a successful trunk build produced.
pub struct Built {
    /// None when brotli is not installed (`run` does not install it; `build` and `test` do).
    pub brotli_total: Option<u64>,
    /// Set when the bundle is over budget: the build is usable but the check failed.
    pub over_budget: Option<String>,
}

pub fn build_command(ctx: &Ctx, opts: &BuildOpts) -> Result<ExitCode> {
    setup::ensure(ctx, setup::BUILD)?;
    let built = build(ctx, opts)?;
    match built.over_budget {
        Some(message) => Err(message),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// trunk build --release, 404.html, size report. Expects `setup` to have run.
pub fn build(ctx: &Ctx, opts: &BuildOpts) -> Result<Built> {
    let mut trunk = Command::new("trunk");
    trunk
        .args(["build", "--release", "--offline"])
        .current_dir(&ctx.root);
    if let Some(url) = &opts.public_url {
        trunk.args(["--public-url", url]);
    }
    let dist = opts.dist.clone().unwrap_or_else(|| ctx.dist());
    trunk.arg("--dist").arg(&dist);
    say!("build: {}", proc::display(&trunk));
    proc::run(&mut trunk)?;

    shorten_imports(&dist)?;
    minify(&dist)?;
    set_integrity(&dist, opts.public_url.as_deref().unwrap_or("/"))?;
    add_csp(&dist, &opts.connect_src)?;
    let index = dist.join("index.html");
    std::fs::copy(&index, dist.join(FALLBACK))
        .map_err(|e| format!("copying {} to {FALLBACK}: {e}", index.display()))?;
    say!("build: copied dist/index.html to dist/{FALLBACK} (deep-link fallback)");

    let rows = measure(&dist)?;
    print!("{}", size_table(&rows));
    let total = counted_total(&rows);
    let (Some(brotli), Some(on_demand)) = (total.brotli, on_demand_total(&rows).brotli) else {
        say!(
            "bundle: {} bytes gzip (html+js+wasm+css of the first load); brotli is not \
             installed, so the budget of {BROTLI_BUDGET} bytes brotli was not checked \
             (`cargo xtask build` and `test` check it)",
            total.gzip
        );
        return Ok(Built {
            brotli_total: None,
            over_budget: None,
        });
    };
    say!(
        "bundle: {brotli} bytes brotli (html+js+wasm+css of the first load); in-page sandbox, on demand: {on_demand}"
    );
    let over_budget = (brotli > BROTLI_BUDGET).then(|| {
        format!(
            "the bundle is {brotli} bytes with brotli -q 11, over the budget of {BROTLI_BUDGET} \
             bytes (256 KiB) by {} bytes; see the table above for the largest files",
            brotli - BROTLI_BUDGET
        )
    });
    if over_budget.is_none() {
        say!(
            "bundle: within the budget of {BROTLI_BUDGET} bytes ({}% used)",
            brotli * 100 / BROTLI_BUDGET
        );
    }
    Ok(Built {
        brotli_total: Some(brotli),
        over_budget,
    })
}

/// Gives the imports of each wasm module in dist/ short names, in the wasm and in its
/// wasm-bindgen JavaScript (`imports.rs`).
fn shorten_imports(dist: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("listing {}: {e}", dist.display()))?;
    for wasm in entries.filter_map(|entry| Some(entry.ok()?.path())) {
        let name = wasm
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(stem) = name.strip_suffix("_bg.wasm") else {
            continue;
        };
        let js = dist.join(format!("{stem}.js"));
        let renamed = crate::imports::shorten(&wasm, &js)?;
        say!("build: gave the {renamed} imports of {name} short names");
    }
    Ok(())
}

/// Minifies the JavaScript and CSS in dist/ with esbuild (trunk's JS minifier fails on
/// wasm-bindgen's `export … as default`, so Trunk.toml turns trunk's off), and drops
/// index.html's comments.
fn minify(dist: &Path) -> Result<()> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("reading {}: {e}", index_path.display()))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("listing {}: {e}", dist.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "js" || e == "css"))
        .collect();
    files.sort();
    for file in &files {
        let mut esbuild = Command::new("esbuild");
        esbuild
            .arg(file)
            .args(["--minify", "--allow-overwrite", "--log-level=warning"])
            .arg(format!("--outfile={}", file.display()));
        if file.extension().is_some_and(|e| e == "js") {
            esbuild.arg("--format=esm");
        }
        proc::run(&mut esbuild)?;
    }
    let index = strip_comments(&index);
    std::fs::write(&index_path, index)
        .map_err(|e| format!("writing {}: {e}", index_path.display()))?;
    say!(
        "build: minified {} JavaScript and CSS file(s) with esbuild",
        files.len()
    );
    Ok(())
}

/// index.html without its `<!-- -->` comments, the developers' notes (about 400 bytes after
/// brotli), which trunk's HTML minifier would drop but is off with its JS one. Written out
/// rather than taken from an HTML minifier crate: comments are all this file has to lose.
pub fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Sets every `integrity` in index.html to its file's digest, once the steps after trunk
/// (imports, minifying) have rewritten the files: trunk wrote the digests of its own output,
/// and a stale one makes the browser throw the preloaded file away (and fetch it again).
fn set_integrity(dist: &Path, public_url: &str) -> Result<()> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("reading {}: {e}", index_path.display()))?;
    let mut updated = index.clone();
    for (href, integrity) in integrities(&index) {
        let file = dist.join(href.strip_prefix(public_url).unwrap_or(href));
        updated = updated.replace(
            &format!("integrity=\"{integrity}\""),
            &format!("integrity=\"{}\"", sha384(&file)?),
        );
    }
    std::fs::write(&index_path, updated)
        .map_err(|e| format!("writing {}: {e}", index_path.display()))
}

/// The `href` and `integrity` of each tag of `html` that has both.
fn integrities(html: &str) -> Vec<(&str, &str)> {
    fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let (_, rest) = tag.split_once(&format!(" {name}=\""))?;
        rest.split_once('"').map(|(value, _)| value)
    }
    html.split('<')
        .filter_map(|tag| Some((attribute(tag, "href")?, attribute(tag, "integrity")?)))
        .collect()
}

/// `sha384-<base64>`, as in an `integrity` attribute.
fn sha384(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    digest("sha384", &bytes)
}

/// `<algorithm>-<base64>` of `bytes`, computed by node (which npm brings along).
fn digest(algorithm: &str, bytes: &[u8]) -> Result<String> {
    use std::io::Write;
    let script = format!(
        "const c = require('crypto'); const chunks = []; process.stdin.on('data', d => chunks.push(d)); \
         process.stdin.on('end', () => process.stdout.write('{algorithm}-' + \
         c.createHash('{algorithm}').update(Buffer.concat(chunks)).digest('base64')));"
    );
    let mut child = Command::new("node")
        .args(["-e", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run node to compute a digest: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("node has no stdin")?
        .write_all(bytes)
        .map_err(|e| format!("feeding node: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for node: {e}"))?;
    if !output.status.success() {
        return Err(format!("computing a {algorithm} digest with node failed"));
    }
    String::from_utf8(output.stdout).map_err(|_| "node printed a non-UTF-8 digest".into())
}

/// Puts a Content-Security-Policy into index.html: scripts only from the site itself (plus
/// trunk's inline loader, by its digest, and wasm compilation), connections only to the site,
/// Turso's API and the origins given, no plugins, no inline styles or handlers.
fn add_csp(dist: &Path, connect_src: &[String]) -> Result<()> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("reading {}: {e}", index_path.display()))?;
    let mut inline = Vec::new();
    let mut rest = index.as_str();
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let open_end = after.find('>').ok_or("index.html: unclosed <script")?;
        let body = &after[open_end + 1..];
        let close = body.find("</script>").ok_or("index.html: no </script>")?;
        if !after[..open_end].contains(" src=") {
            inline.push(digest("sha256", &body.as_bytes()[..close])?);
        }
        rest = &body[close..];
    }
    let script_src: String = inline.iter().map(|d| format!(" '{d}'")).collect();
    let connect: String = connect_src.iter().map(|o| format!(" {o}")).collect();
    let policy = csp(&script_src, &connect);
    let meta = format!("<meta http-equiv=Content-Security-Policy content=\"{policy}\">");
    let index = after_charset(&index, &meta)?;
    std::fs::write(&index_path, index)
        .map_err(|e| format!("writing {}: {e}", index_path.display()))?;
    say!("build: Content-Security-Policy: {policy}");
    Ok(())
}

/// `index` with `meta` right after its `<meta charset>`, which must come first: before anything
/// the policy governs.
fn after_charset(index: &str, meta: &str) -> Result<String> {
    let at = index
        .find("<meta charset")
        .and_then(|i| Some(i + index[i..].find('>')? + 1))
        .ok_or("index.html has no <meta charset> to put the policy after")?;
    Ok(format!("{}{meta}{}", &index[..at], &index[at..]))
}

/// The policy text; `script_hashes` and `connect` start with a space when not empty.
pub fn csp(script_hashes: &str, connect: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; \
         style-src 'self'; img-src 'self' data:; \
         connect-src 'self' https://api.turso.tech https://region.turso.io{connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// One file of dist/ and its sizes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// Path relative to dist/, with `/`.
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    /// None when brotli is not installed.
    pub brotli: Option<u64>,
}

impl Row {
    fn is_code(&self) -> bool {
        let ext = self.name.rsplit_once('.').map_or("", |(_, e)| e);
        COUNTED.contains(&ext)
    }

    /// Counts towards the budget: the first load's html/js/wasm/css, but not the 404.html
    /// copy of index.html nor what loads on demand.
    pub fn counted(&self) -> bool {
        self.is_code() && self.name != FALLBACK && !self.on_demand()
    }

    pub fn on_demand(&self) -> bool {
        self.name.starts_with(ON_DEMAND)
    }
}

pub fn measure(dist: &Path) -> Result<Vec<Row>> {
    let brotli = proc::find_on_path("brotli").is_some();
    let mut files = Vec::new();
    collect_files(dist, &mut files).map_err(|e| format!("listing {}: {e}", dist.display()))?;
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(dist)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let raw = path
                .metadata()
                .map_err(|e| format!("{}: {e}", path.display()))?
                .len();
            Ok(Row {
                name,
                raw,
                gzip: compressed_size(Command::new("gzip").args(["-9", "-n", "-c"]).arg(path))?,
                brotli: if brotli {
                    Some(compressed_size(
                        Command::new("brotli").args(["-q", "11", "-c"]).arg(path),
                    )?)
                } else {
                    None
                },
            })
        })
        .collect()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Bytes a compressor writes to stdout.
fn compressed_size(cmd: &mut Command) -> Result<u64> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run `{}`: {e}", proc::display(cmd)))?;
    if !output.status.success() {
        return Err(format!(
            "`{}` failed: {}",
            proc::display(cmd),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout.len() as u64)
}

fn sum(rows: &[Row], name: &str, keep: impl Fn(&Row) -> bool) -> Row {
    rows.iter().filter(|r| keep(r)).fold(
        Row {
            name: name.into(),
            brotli: Some(0),
            ..Row::default()
        },
        |acc, r| Row {
            raw: acc.raw + r.raw,
            gzip: acc.gzip + r.gzip,
            brotli: acc.brotli.zip(r.brotli).map(|(a, b)| a + b),
            ..acc
        },
    )
}

pub fn counted_total(rows: &[Row]) -> Row {
    sum(rows, "total html+js+wasm+css", Row::counted)
}

fn on_demand_total(rows: &[Row]) -> Row {
    sum(rows, "in-page sandbox, on demand", |r| {
        r.on_demand() && r.is_code()
    })
}

/// A brotli figure, or `-` when brotli is not installed.
fn shown(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "-".into(), |b| b.to_string())
}

/// The size table, one line per file, then the counted total.
pub fn size_table(rows: &[Row]) -> String {
    let total = counted_total(rows);
    let on_demand = on_demand_total(rows);
    let width = rows
        .iter()
        .map(|r| r.name.len() + 2)
        .chain([total.name.len(), on_demand.name.len()])
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "xtask: dist/ sizes in bytes\n  {:<width$} {:>10} {:>10} {:>12}\n",
        "file", "raw", "gzip -9", "brotli -q 11"
    );
    for row in rows {
        let name = if row.counted() {
            row.name.clone()
        } else {
            format!("({})", row.name)
        };
        out.push_str(&format!(
            "  {name:<width$} {:>10} {:>10} {:>12}\n",
            row.raw,
            row.gzip,
            shown(row.brotli)
        ));
    }
    for sum in [&total, &on_demand] {
        out.push_str(&format!(
            "  {:<width$} {:>10} {:>10} {:>12}\n",
            sum.name,
            sum.raw,
            sum.gzip,
            shown(sum.brotli)
        ));
    }
    out.push_str(
        "  (files in parentheses are not counted: 404.html is a copy of index.html, \
         sandbox-web* loads only on \"Try the sandbox\")\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, raw: u64, gzip: u64, brotli: u64) -> Row {
        Row {
            name: name.into(),
            raw,
            gzip,
            brotli: Some(brotli),
        }
    }

    #[test]
    fn counts_the_first_load_but_not_the_fallback_copy_nor_the_sandbox() {
        let rows = vec![
            row("404.html", 900, 400, 300),
            row("favicon.svg", 500, 300, 250),
            row("groups-console-1a2b_bg.wasm", 200_000, 80_000, 60_000),
            row("groups-console-1a2b.js", 20_000, 5_000, 4_500),
            row("index.html", 900, 400, 300),
            row("style-3c4d.css", 8_000, 2_000, 1_700),
            row("sandbox-web.js", 10_000, 3_000, 2_500),
            row("sandbox-web_bg.wasm", 150_000, 66_000, 56_000),
        ];
        let total = counted_total(&rows);
        assert_eq!(
            (total.raw, total.gzip, total.brotli),
            (228_900, 87_400, Some(66_500))
        );
        let table = size_table(&rows);
        assert!(table.contains("(404.html)"), "{table}");
        assert!(table.contains("(favicon.svg)"), "{table}");
        assert!(table.contains("total html+js+wasm+css"), "{table}");
        assert!(table.contains("66500"), "{table}");
        assert!(table.contains("(sandbox-web_bg.wasm)"), "{table}");
        assert_eq!(on_demand_total(&rows).brotli, Some(58_500));
        let mut without_brotli = rows.clone();
        without_brotli[2].brotli = None;
        assert_eq!(counted_total(&without_brotli).brotli, None);
        assert!(size_table(&without_brotli).contains(" -\n"));
    }

    #[test]
    fn the_policy_allows_the_site_the_api_and_what_is_given() {
        let policy = csp(" 'sha256-abc='", " https://relay.example.com");
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc=';"),
            "{policy}"
        );
        assert!(
            policy.contains("connect-src 'self' https://api.turso.tech https://region.turso.io https://relay.example.com;"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("object-src 'none'"), "{policy}");
    }

    #[test]
    fn the_policy_goes_right_after_the_charset() {
        let meta = "<meta http-equiv=Content-Security-Policy>";
        assert_eq!(
            after_charset("<head>\n<meta charset=\"utf-8\" />\n<title>", meta).as_deref(),
            Ok("<head>\n<meta charset=\"utf-8\" /><meta http-equiv=Content-Security-Policy>\n<title>")
        );
        assert!(after_charset("<head><title>", meta).is_err());
    }

    #[test]
    fn integrities_pair_each_href_with_its_own_digest() {
        let html = r#"<link rel="stylesheet" href="/a.css" integrity="sha384-A"/>
<script type="module">import x from '/b.js';</script>
<link rel="modulepreload" href="/admin/b.js" crossorigin="anonymous" integrity="sha384-B"><link rel="preload" href="/b_bg.wasm" as="fetch">"#;
        assert_eq!(
            integrities(html),
            [("/a.css", "sha384-A"), ("/admin/b.js", "sha384-B")]
        );
    }

    #[test]
    fn comments_go_and_everything_else_stays() {
        let html = "<head>\n  <!-- a note\n  over lines -->\n  <base href=\"/\" /><!---->\n</head>";
        assert_eq!(
            strip_comments(html),
            "<head>\n  \n  <base href=\"/\" />\n</head>"
        );
        assert_eq!(strip_comments("no comment"), "no comment");
        assert_eq!(strip_comments("cut <!-- unclosed"), "cut ");
    }

    #[test]
    fn the_budget_is_256_kib() {
        assert_eq!(BROTLI_BUDGET, 262_144);
    }
}
