//! Groups Console: a browser admin panel for Turso database groups.

pub mod api;
pub mod components;
pub mod pages;
pub mod rules;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use state::session::SessionState;

/// The whole panel: session in context, then the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_context(SessionState::load());
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=pages::Connect />
                <Route path=path!("/groups") view=pages::Groups />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="connect">
            <h1>"Page not found"</h1>
            <p><a href="/groups">"Go to the groups"</a></p>
        </main>
    }
}
