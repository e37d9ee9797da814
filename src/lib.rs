//! Groups Console: a browser admin panel for Turso database groups.

pub mod api;
pub mod components;
pub mod pages;
pub mod rules;
pub mod state;

use leptos::prelude::*;
use state::route::{Route, Router};
use state::session::SessionState;

/// The whole panel: session and router in context, then the page for the address.
#[component]
pub fn App() -> impl IntoView {
    provide_context(SessionState::load());
    let router = Router::install();
    provide_context(router);
    move || match router.current.get() {
        Route::Connect => view! { <pages::Connect /> }.into_any(),
        Route::Groups => view! { <pages::Groups /> }.into_any(),
        Route::NotFound => view! { <NotFound /> }.into_any(),
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
