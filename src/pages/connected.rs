use crate::components::{ErrorMessage, Link};
use crate::pages::activity::{ActivityButton, ActivityPanel};
use crate::pages::dialogs::GroupDialogsView;
use crate::pages::group::GroupPage;
use crate::pages::groups::GroupsPage;
use crate::pages::history::{HistoryButton, HistoryPanel};
use crate::state::activity::Activity;
use crate::state::changes::{Change, Opening};
use crate::state::dialogs::GroupDialogs;
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
            router.redirect(Route::Connect);
        }
    });
    move || {
        state.client().map(|client| {
            // The session's changes, told by the client itself, so every change path is seen.
            let activity = Activity::new();
            provide_context(activity);
            let store = GroupsStore::new(client.with_journal(activity.journal()));
            provide_context(store);
            provide_context(GroupDialogs::default());
            let org = store.client().org().to_owned();
            let in_page = store.client().is_in_page();
            let activity_open = RwSignal::new(false);
            let history_open = RwSignal::new(false);
            view! {
                <header class="topbar">
                    <Link to=Route::Groups class="brand">"Groups Console"</Link>
                    {in_page.then(|| view! { <SandboxBadge store router /> })}
                    <span class="org" title="Organization">{org}</span>
                    <ActivityButton open=activity_open />
                    <HistoryButton open=history_open />
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
                <ActivityPanel open=activity_open />
                <HistoryPanel open=history_open />
            }
        })
    }
}

/// Says that this is the in-page sandbox, and puts it back to its first state on request.
#[component]
fn SandboxBadge(store: GroupsStore, router: Router) -> impl IntoView {
    let reset = move |_| {
        store.change(
            Change::ResetSandbox,
            Opening::PAGE,
            |c| async move { c.reset_in_page_sandbox().await },
            move |_| {
                router.redirect(Route::Groups);
                store.load_groups();
                store.report(Outcome::Done(
                    "The sandbox is back to its first state.".into(),
                ));
            },
            move |result| store.report_failure(&Change::ResetSandbox, result),
        );
    };
    view! {
        <span class="sandbox-badge" title="Runs inside this page; nothing reaches Turso">"Sandbox"</span>
        <button id="sandbox-reset" type="button" class="small" on:click=reset
            disabled=move || store.is_busy(&Change::ResetSandbox)>"Reset sandbox"</button>
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
