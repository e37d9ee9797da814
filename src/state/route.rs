//! The address bar. The panel has few pages, so a small router does: the path is parsed
//! into a `Route`, `go` pushes history, and Back/Forward come in through `popstate`.
//! (leptos_router cost 36 KB of the 160 KB brotli budget, measured.)

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Connect,
    Groups,
    NotFound,
}

impl Route {
    /// Reads a path as the browser gives it (`/groups`, `/groups/`, `/`).
    pub fn parse(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" | "/index.html" => Route::Connect,
            "/groups" => Route::Groups,
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> &'static str {
        match self {
            Route::Connect | Route::NotFound => "/",
            Route::Groups => "/groups",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Router {
    pub current: RwSignal<Route>,
}

impl Router {
    /// Starts from the current address and follows Back and Forward.
    pub fn install() -> Self {
        let router = Router {
            current: RwSignal::new(Route::parse(&current_path())),
        };
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            router.current.set(Route::parse(&current_path()))
        });
        on_cleanup(move || listener.remove());
        router
    }

    /// Shows `route`, adding a history entry when the address changes.
    pub fn go(&self, route: Route) {
        if self.current.get_untracked() == route {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(route.path()));
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
        assert_eq!(Route::parse(Route::Groups.path()), Route::Groups);
    }
}
