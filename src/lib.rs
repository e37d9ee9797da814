//! Groups Console: a browser admin panel for Turso database groups.

pub mod api;
pub mod components;
pub mod crash;
pub mod pages;
pub mod rules;
pub mod state;

use components::Link;
use leptos::prelude::*;
use state::changes::Changes;
use state::config::Deployment;
use state::route::{Route, Router};
use state::session::SessionState;

/// The whole panel: session and router in context, then the page for the address.
#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::load();
    provide_context(session);
    provide_context(Changes::new(session));
    provide_context(Deployment::load(&state::route::base_path()));
    let router = Router::install();
    provide_context(router);
    // Moving between the table and a group keeps the connected pages (and their store).
    let connected =
        Memo::new(move |_| matches!(router.current.get(), Route::Groups | Route::Group(_)));
    let unknown = Memo::new(move |_| router.current.get() == Route::NotFound);
    move || {
        if connected.get() {
            view! { <pages::Connected /> }.into_any()
        } else if unknown.get() {
            view! { <NotFound /> }.into_any()
        } else {
            view! { <pages::Connect /> }.into_any()
        }
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="connect">
            <h1>"Page not found"</h1>
            <p><Link to=Route::Groups>"Go to the groups"</Link></p>
        </main>
    }
}
