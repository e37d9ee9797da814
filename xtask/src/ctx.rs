//! What every module of xtask shares: where things are (`Ctx`), the error type, the `say!`
//! line and the helpers that make durations and paths readable. A leaf: it uses no other
//! module of xtask.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Print one of xtask's own lines (`xtask: …`), told apart from the output of the tools it runs.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("xtask: {}", format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Errors are messages meant for the user; the output of the failed child is already on screen.
pub type Result<T, E = String> = std::result::Result<T, E>;

/// The panel's compile target (rust-toolchain.toml installs it).
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where things are.
pub struct Ctx {
    /// The workspace root (it holds Cargo.toml, index.html and Trunk.toml).
    pub root: PathBuf,
    /// The cargo that runs us (`$CARGO`), else `cargo` from PATH.
    pub cargo: PathBuf,
}

impl Ctx {
    /// Also puts the project's tools first on PATH for every child (`use_project_tools`).
    pub fn new() -> Self {
        let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        let ctx = Ctx {
            root: root().to_path_buf(),
            cargo,
        };
        use_project_tools(&ctx.tools());
        ctx
    }

    /// `cargo <args>` in the workspace root.
    pub fn cargo(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(&self.cargo);
        cmd.current_dir(&self.root);
        cmd
    }

    /// Where setup installs tools: `bin/` (cargo install --root) and `npm/` (npm --prefix).
    pub fn tools(&self) -> PathBuf {
        self.root.join("target").join("tools")
    }

    /// The npm packages of the project (`target/tools/npm/node_modules`).
    pub fn npm_modules(&self) -> PathBuf {
        npm_modules(&self.tools())
    }

    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
}

fn npm_modules(tools: &Path) -> PathBuf {
    tools.join("npm").join("node_modules")
}

/// `4.2 s`, `3 min 05 s`.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{} min {:02} s", secs / 60, secs % 60)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A path for messages: relative to the project when inside it, marked as the user's own
/// otherwise.
pub fn shown(path: &Path) -> String {
    match path.strip_prefix(root()) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => format!("{}, yours", path.display()),
    }
}

/// Put the project's tools first on PATH (`target/tools/bin`, then
/// `target/tools/npm/node_modules/.bin`) and its npm packages on NODE_PATH, for this process
/// and every child it starts. Called once from `Ctx::new`, before any thread exists.
fn use_project_tools(tools: &Path) {
    let first = [tools.join("bin"), npm_modules(tools).join(".bin")];
    std::env::set_var("PATH", prepend(&first, std::env::var_os("PATH").as_deref()));
    let node_path = prepend(
        &[npm_modules(tools)],
        std::env::var_os("NODE_PATH").as_deref(),
    );
    std::env::set_var("NODE_PATH", node_path);
}

/// `dirs` followed by the entries of `list` that are not among them.
fn prepend(dirs: &[PathBuf], list: Option<&OsStr>) -> OsString {
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
    fn formats_durations() {
        assert_eq!(human(Duration::from_millis(4_200)), "4.2 s");
        assert_eq!(human(Duration::from_secs(185)), "3 min 05 s");
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

    #[test]
    fn paths_inside_the_project_are_shown_relative() {
        assert_eq!(
            shown(&root().join("target/tools/bin/trunk")),
            "target/tools/bin/trunk"
        );
        assert_eq!(shown(Path::new("/usr/bin/trunk")), "/usr/bin/trunk, yours");
    }
}
