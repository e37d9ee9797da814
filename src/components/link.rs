use crate::state::route::{Route, Router};
use leptos::prelude::*;

/// An in-app link: a plain click shows `to` without reloading; Ctrl, Cmd, Shift or Alt with
/// a click, another mouse button, or a `target` are left to the browser (a new tab, a
/// download), as for any link.
#[component]
pub fn Link(
    to: Route,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] target: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let router = expect_context::<Router>();
    let href = router.href(&to);
    let follow = move |ev: leptos::ev::MouseEvent| {
        let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
        if ev.button() != 0 || modified || target.is_some() || ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        router.go(to.clone());
    };
    view! {
        <a href=href class=class target=target on:click=follow>{children()}</a>
    }
}
