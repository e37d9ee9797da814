use crate::api::{Group, Location};
use crate::components::{ErrorMessage, LocationChips};
use crate::pages::create_group::CreateGroup;
use crate::rules::table::{location_name, visible_rows, Column, Sort};
use crate::state::groups::{GroupsStore, Load};
use crate::state::route::{Route, Router};
use crate::state::session::SessionState;
use leptos::prelude::*;

/// The group table of the connected organization.
#[component]
pub fn Groups() -> impl IntoView {
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
            view! { <GroupsPage store /> }
        })
    }
}

#[component]
fn GroupsPage(store: GroupsStore) -> impl IntoView {
    let state = expect_context::<SessionState>();
    let org = store.client().org().to_owned();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    let create_open = RwSignal::new(false);
    let announcement = RwSignal::new(None::<String>);
    let locations = Signal::derive(move || match store.locations.get() {
        Load::Ready(l) => l,
        _ => Vec::new(),
    });
    let rows = Memo::new(move |_| {
        store.groups.with(|load| match load {
            Load::Ready(groups) => locations.with(|l| {
                let visible = visible_rows(groups, l, &filter.get(), sort.get());
                Some(
                    visible
                        .into_iter()
                        .map(|i| groups[i].clone())
                        .collect::<Vec<_>>(),
                )
            }),
            _ => None,
        })
    });
    let total = move || {
        store
            .groups
            .with(|l| if let Load::Ready(g) = l { g.len() } else { 0 })
    };
    let on_created = Callback::new(move |group: Group| {
        announcement.set(Some(format!("Group “{}” created.", group.name)));
        store.upsert(group);
        create_open.set(false);
    });

    view! {
        <header class="topbar">
            <h1>"Groups Console"</h1>
            <span class="org" title="Organization">{org.clone()}</span>
            <button id="sign-out" type="button" on:click=move |_| state.sign_out(None)>"Sign out"</button>
        </header>
        <main class="groups">
            <div class="toolbar">
                <h2>"Groups"</h2>
                <label class="visually-hidden" for="groups-filter">"Filter groups"</label>
                <input id="groups-filter" type="search" placeholder="Filter by name, location or version"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev)) />
                <button id="groups-refresh" type="button"
                    disabled=move || store.groups.with(|l| matches!(l, Load::Loading))
                    on:click=move |_| { store.load_groups(); store.load_locations(); }>
                    "Refresh"
                </button>
                <button id="new-group" type="button" class="primary" aria-haspopup="dialog"
                    on:click=move |_| create_open.set(true)>
                    "New group"
                </button>
            </div>
            <p class="visually-hidden" role="status">{move || announcement.get()}</p>
            {move || match store.groups.get() {
                Load::Loading => view! { <p class="loading" aria-busy="true">"Loading groups…"</p> }.into_any(),
                Load::Failed(e) => view! {
                    <ErrorMessage error=e retry=Callback::new(move |_| store.load_groups()) />
                }.into_any(),
                Load::Ready(list) if list.is_empty() => view! {
                    <div class="empty">
                        <p>"This organization has no groups yet."</p>
                        <button type="button" class="primary" on:click=move |_| create_open.set(true)>
                            "Create a group"
                        </button>
                    </div>
                }.into_any(),
                Load::Ready(_) => view! { <GroupTable rows sort locations total=Signal::derive(total) /> }.into_any(),
            }}
            {move || match store.locations.get() {
                Load::Failed(e) => Some(view! {
                    <div class="locations-error">
                        <p>"Location names could not be loaded."</p>
                        <ErrorMessage error=e retry=Callback::new(move |_| store.load_locations()) />
                    </div>
                }),
                _ => None,
            }}
        </main>
        <CreateGroup open=create_open locations on_created />
    }
}

#[component]
fn GroupTable(
    rows: Memo<Option<Vec<Group>>>,
    sort: RwSignal<Sort>,
    locations: Signal<Vec<Location>>,
    total: Signal<usize>,
) -> impl IntoView {
    let shown = move || rows.with(|r| r.as_ref().map_or(0, Vec::len));
    view! {
        <div class="table-wrap">
            <table id="groups-table">
                <caption class="visually-hidden">"Groups, sortable by any column"</caption>
                <thead>
                    <tr>
                        {Column::ALL.into_iter().map(|column| view! {
                            <th scope="col" aria-sort=move || {
                                let s = sort.get();
                                if s.column != column { "none" } else if s.ascending { "ascending" } else { "descending" }
                            }>
                                <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                                    {column.title()}
                                    <span aria-hidden="true" class="sort-mark">{move || {
                                        let s = sort.get();
                                        if s.column != column { "" } else if s.ascending { "▲" } else { "▼" }
                                    }}</span>
                                </button>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.get().unwrap_or_default()
                        key=|g: &Group| g.clone()
                        children=move |g| view! { <GroupRow group=g locations /> }
                    />
                </tbody>
            </table>
        </div>
        <p class="count">{move || format!("{} of {} groups", shown(), total.get())}</p>
        {move || (shown() == 0).then(|| view! { <p class="empty">"No group matches the filter."</p> })}
    }
}

#[component]
fn GroupRow(group: Group, locations: Signal<Vec<Location>>) -> impl IntoView {
    let primary = group.primary.clone();
    let primary_cell = primary.clone().map(|code| {
        let shown = code.clone();
        view! {
            <span class="location-name">{move || locations.with(|l| location_name(l, &code).map(str::to_owned))}</span>
            <code>{shown}</code>
        }
    });
    let yes_no = |b: bool| if b { "Yes" } else { "No" };
    view! {
        <tr data-group=group.name.clone()>
            <th scope="row" class="name">{group.name.clone()}</th>
            <td>{primary_cell}</td>
            <td><LocationChips codes=group.locations().to_vec() primary locations /></td>
            <td>{group.version.clone().unwrap_or_else(|| "—".into())}</td>
            <td class:flag=group.is_archived()>{yes_no(group.is_archived())}</td>
            <td class:flag=group.is_delete_protected()>{yes_no(group.is_delete_protected())}</td>
        </tr>
    }
}
