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
        if target.is_none() && is_plain_click(&ev) {
            ev.prevent_default();
            router.go(to.clone());
        }
    };
    view! {
        <a href=href class=class target=target on:click=follow>{children()}</a>
    }
}

/// A click an in-app link takes over: the main button, no modifier, not already handled.
pub fn is_plain_click(ev: &leptos::ev::MouseEvent) -> bool {
    let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
    ev.button() == 0 && !modified && !ev.default_prevented()
}
