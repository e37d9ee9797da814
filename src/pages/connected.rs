use crate::components::ErrorMessage;
use crate::pages::actions::{GroupDialogs, GroupDialogsView};
use crate::pages::group::GroupPage;
use crate::pages::groups::GroupsPage;
use crate::state::groups::{GroupsStore, Outcome};
use crate::state::route::{Route, Router};
use crate::state::session::SessionState;
use leptos::prelude::*;

/// Everything behind a connection: the top bar, the outcome of the last change, the page
/// for the address, and the group dialogs. One store serves both pages, so going from the
/// table to a group and back refetches nothing.
#[component]
pub fn Connected() -> impl IntoView {
    let state = expect_context::<SessionState>();
    let router = expect_context::<Router>();
    Effect::new(move || {
        if state.session.with(Option::is_none) {
            router.go(Route::Connect);
        }
    });
    move || {
        state.client().map(|client| {
            let store = GroupsStore::new(state, client);
            provide_context(store);
            provide_context(GroupDialogs::new());
            let org = store.client().org().to_owned();
            view! {
                <header class="topbar">
                    <a class="brand" href="/groups" on:click=move |ev| { ev.prevent_default(); router.go(Route::Groups); }>
                        "Groups Console"
                    </a>
                    <span class="org" title="Organization">{org}</span>
                    <button id="sign-out" type="button" on:click=move |_| state.sign_out(None)>"Sign out"</button>
                </header>
                <main class="groups">
                    <OutcomeBanner store />
                    {move || match router.current.get() {
                        Route::Group(name) => view! { <GroupPage name /> }.into_any(),
                        _ => view! { <GroupsPage /> }.into_any(),
                    }}
                </main>
                <GroupDialogsView />
            }
        })
    }
}

#[component]
fn OutcomeBanner(store: GroupsStore) -> impl IntoView {
    let dismiss = move |_| store.outcome.set(None);
    view! {
        <div class="outcome" role="status">
            {move || store.outcome.get().map(|outcome| match outcome {
                Outcome::Done(text) => view! {
                    <div class="done">
                        <p>{text}</p>
                        <button type="button" class="icon-button" aria-label="Dismiss" on:click=dismiss>"×"</button>
                    </div>
                }.into_any(),
                Outcome::Failed { what, error } => view! {
                    <div class="failed">
                        <p>{what}</p>
                        <ErrorMessage error />
                        <button type="button" class="icon-button" aria-label="Dismiss" on:click=dismiss>"×"</button>
                    </div>
                }.into_any(),
            })}
        </div>
    }
}
