//! The address bar. The panel has few pages, so a small router does: the path is parsed
//! into a `Route`, `go` pushes history (a link), `redirect` replaces it (the panel moving
//! on by itself, so Back leaves instead of bouncing), and Back/Forward come in through
//! `popstate`.
//! (leptos_router cost 36 KB brotli, measured; the first-load budget is 200 KB.)

use crate::api::calls::encode_component;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Connect,
    Groups,
    /// One group's page, by name.
    Group(String),
    NotFound,
}

impl Route {
    /// Reads a path as the browser gives it (`/groups`, `/groups/`, `/groups/my%20g`, `/`).
    pub fn parse(path: &str) -> Route {
        let path = path.trim_end_matches('/');
        match path {
            "" | "/index.html" => return Route::Connect,
            "/groups" => return Route::Groups,
            _ => {}
        }
        match path.strip_prefix("/groups/").map(percent_decode) {
            Some(Some(name)) if !name.is_empty() && !name.contains('/') => Route::Group(name),
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> String {
        match self {
            Route::Connect | Route::NotFound => "/".into(),
            Route::Groups => "/groups".into(),
            Route::Group(name) => format!("/groups/{}", encode_component(name)),
        }
    }
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8, or when one is not an escape
/// at all (`%zz`): percent-encoding's decoder would pass that through as text, and a link
/// that no name can come from must read as not found.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Strips the base path (`--public-url`) off an address; `None` for one outside it.
pub fn within<'a>(base: &str, path: &'a str) -> Option<&'a str> {
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The path the panel is served under, from the `<base>` that trunk writes for
/// `--public-url`, without its trailing slash: "" at the root, "/admin" under /admin/. The
/// document's base URI is the `<base href>` resolved, so a relative and an absolute
/// (`https://host/admin/`) one both work.
pub fn base_path() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    let has_base = document
        .as_ref()
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .is_some();
    document
        .filter(|_| has_base)
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| base_of(&url.pathname()))
        .unwrap_or_default()
}

/// The directory part of a base URL's path, without its trailing slash.
fn base_of(pathname: &str) -> String {
    pathname
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_owned()
}

#[derive(Clone, Copy)]
pub struct Router {
    pub current: RwSignal<Route>,
    base: StoredValue<String>,
}

impl Router {
    /// Starts from the current address and follows Back and Forward.
    pub fn install() -> Self {
        let base = base_path();
        let parse =
            move |base: &str| within(base, &current_path()).map_or(Route::NotFound, Route::parse);
        let router = Router {
            current: RwSignal::new(parse(&base)),
            base: StoredValue::new(base),
        };
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            router.current.set(router.base.with_value(|b| parse(b)))
        });
        on_cleanup(move || listener.remove());
        router
    }

    /// The address of `route`, under the base path, for links.
    pub fn href(&self, route: &Route) -> String {
        self.base.with_value(|b| format!("{b}{}", route.path()))
    }

    /// Shows `route`, adding a history entry when the address changes (a followed link).
    pub fn go(&self, route: Route) {
        self.show(route, false);
    }

    /// Shows `route` in place of the current entry: the panel moving on by itself (connected,
    /// signed out, the group is gone), so Back does not return to a page that moves on again.
    pub fn redirect(&self, route: Route) {
        self.show(route, true);
    }

    fn show(&self, route: Route, replace: bool) {
        if self.current.get_untracked() == route {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let url = self.href(&route);
            let null = &wasm_bindgen::JsValue::NULL;
            let _ = if replace {
                history.replace_state_with_url(null, "", Some(&url))
            } else {
                history.push_state_with_url(null, "", Some(&url))
            };
        }
        self.current.set(route);
    }
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths() {
        assert_eq!(Route::parse("/"), Route::Connect);
        assert_eq!(Route::parse(""), Route::Connect);
        assert_eq!(Route::parse("/groups"), Route::Groups);
        assert_eq!(Route::parse("/groups/"), Route::Groups);
        assert_eq!(Route::parse("/nope"), Route::NotFound);
        assert_eq!(Route::parse(&Route::Groups.path()), Route::Groups);
        assert_eq!(
            Route::parse("/groups/default"),
            Route::Group("default".into())
        );
        assert_eq!(
            Route::parse("/groups/a%20b%2Fc"),
            Route::NotFound,
            "no slash in a name"
        );
        assert_eq!(Route::parse("/groups/%E2%9C%93"), Route::Group("✓".into()));
        assert_eq!(Route::parse("/groups/%zz"), Route::NotFound);
        assert_eq!(within("/admin", "/admin/groups"), Some("/groups"));
        assert_eq!(within("/admin", "/admin"), Some(""));
        assert_eq!(within("/admin", "/administrator"), None);
        assert_eq!(within("", "/groups"), Some("/groups"));
        assert_eq!(base_of("/admin/"), "/admin");
        assert_eq!(base_of("/admin/index.html"), "/admin");
        assert_eq!(base_of("/"), "");
        for name in ["default", "a b", "<img src=x>", "é✓"] {
            let route = Route::Group(name.into());
            assert_eq!(Route::parse(&route.path()), route, "{name}");
        }
    }
}
