//! Serves the built panel from `--dist`, with `index.html` as the fallback for deep links.

use std::path::{Path, PathBuf};

use crate::percent_decode;
use hyper::Method;

use super::Reply;

pub(crate) fn serve(dist: Option<&Path>, method: &Method, path: &str) -> Reply {
    let Some(dist) = dist else {
        return Reply::error(404, "not found");
    };
    if method != Method::GET && method != Method::HEAD {
        return Reply::error(405, "method not allowed");
    }
    let file = resolve(dist, path)
        .filter(|file| file.is_file())
        .unwrap_or_else(|| dist.join("index.html"));
    match std::fs::read(&file) {
        Ok(body) => Reply {
            status: 200,
            headers: vec![
                ("Content-Type".into(), content_type(&file).into()),
                // A rebuilt panel must show up on reload.
                ("Cache-Control".into(), "no-cache".into()),
            ],
            body,
        },
        Err(_) => Reply::error(404, "not found"),
    }
}

/// The file a URL path names inside `dist`; `None` for anything that could leave it.
fn resolve(dist: &Path, path: &str) -> Option<PathBuf> {
    let mut file = dist.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode(segment);
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

fn content_type(file: &Path) -> &'static str {
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_dist() {
        let dist = Path::new("/srv/dist");
        assert_eq!(
            resolve(dist, "/pkg/app.wasm"),
            Some(PathBuf::from("/srv/dist/pkg/app.wasm"))
        );
        assert_eq!(resolve(dist, "/../etc/passwd"), None);
        assert_eq!(resolve(dist, "/a/%2e%2e/b"), None);
        assert_eq!(resolve(dist, "/a%2Fb"), None);
    }

    #[test]
    fn knows_the_panel_content_types() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("a.js")), "text/javascript");
        assert_eq!(content_type(Path::new("a.css")), "text/css");
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
    }
}
