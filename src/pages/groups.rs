use crate::api::{Group, Location};
use crate::components::{ErrorMessage, Link, LocationChips};
use crate::pages::actions::{ProtectionToggle, UnarchiveButton};
use crate::pages::create_group::CreateGroup;
use crate::pages::dialogs::{opener, GroupDialogs};
use crate::rules::table::{location_name, visible_rows, Column, Sort};
use crate::state::groups::{GroupsStore, Load};
use crate::state::route::Route;
use leptos::prelude::*;

/// The group table of the connected organization.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    let create_open = RwSignal::new(false);
    // A memo, so every chip reads one shared list instead of cloning it for each read.
    let locations: Signal<Vec<Location>> = Memo::new(move |_| {
        store
            .locations
            .with(|l| l.ready().cloned().unwrap_or_default())
    })
    .into();
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
    let loading = move || store.groups.with(|l| matches!(l, Load::Loading));
    let failure = move || {
        store.groups.with(|l| match l {
            Load::Failed(e) => Some(e.clone()),
            _ => None,
        })
    };
    let empty = Memo::new(move |_| store.groups.with(|l| l.ready().is_some_and(Vec::is_empty)));
    let has_rows = Memo::new(move |_| {
        store
            .groups
            .with(|l| l.ready().is_some_and(|g| !g.is_empty()))
    });

    view! {
            <div class="toolbar">
                <h1>"Groups"</h1>
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
            {move || loading().then(|| view! { <p class="loading" aria-busy="true">"Loading groups…"</p> })}
            {move || failure().map(|e| view! {
                <ErrorMessage error=e retry=Callback::new(move |_| store.load_groups()) />
            })}
            {move || empty.get().then(|| view! {
                <div class="empty">
                    <p>"This organization has no groups yet."</p>
                    <button type="button" class="primary" on:click=move |_| create_open.set(true)>
                        "Create a group"
                    </button>
                </div>
            })}
            // The table is built once; its rows follow the store (keyed), so a change to one
            // group redraws one row.
            {move || has_rows.get().then(|| view! { <GroupTable rows sort locations total=Signal::derive(total) /> })}
            {move || match store.locations.get() {
                Load::Failed(e) => Some(view! {
                    <div class="locations-error">
                        <p>"Location names could not be loaded."</p>
                        <ErrorMessage error=e retry=Callback::new(move |_| store.load_locations()) />
                    </div>
                }),
                _ => None,
            }}
        <CreateGroup open=create_open locations />
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
                        <th scope="col" class="actions-head">"Actions"</th>
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
    let dialogs = expect_context::<GroupDialogs>();
    let name = group.name.clone();
    let primary = group.primary.clone();
    let primary_cell = primary.clone().map(|code| {
        let shown = code.clone();
        view! {
            <span class="location-name">{move || locations.with(|l| location_name(l, &code).map(str::to_owned))}</span>
            <code>{shown}</code>
        }
    });
    let archived = group.is_archived();
    let protected = group.is_delete_protected();
    let route = Route::Group(name.clone());
    let label = name.clone();
    view! {
        <tr data-group=name.clone()>
            <th scope="row" class="name">
                <Link to=route>{label}</Link>
            </th>
            <td>{primary_cell}</td>
            <td><LocationChips codes=group.locations().to_vec() primary locations /></td>
            <td>{group.version.clone().unwrap_or_else(|| "—".into())}</td>
            <td class:flag=archived>
                {if archived { "Yes" } else { "No" }}
                {archived.then(|| view! { <UnarchiveButton name=name.clone() /> })}
            </td>
            <td>
                <ProtectionToggle name=name.clone() on=protected />
            </td>
            <td class="actions">
                <button type="button" class="small" aria-label=format!("Create a token for {name}")
                    on:click=opener(dialogs.token, &name)>"Token…"</button>
                <button type="button" class="small" aria-label=format!("Transfer {name}")
                    on:click=opener(dialogs.transfer, &name)>"Transfer…"</button>
                <button type="button" class="small danger-text" aria-label=format!("Delete {name}")
                    on:click=opener(dialogs.delete, &name)>"Delete…"</button>
            </td>
        </tr>
    }
}
