use crate::api::{ApiError, ErrorKind, Group, Location};
use crate::components::{CopyButton, ErrorMessage, Link, LocationPicker, Marker, Modal, WorldMap};
use crate::pages::actions::{ProtectionToggle, UnarchiveButton};
use crate::pages::history::HistoryList;
use crate::rules::geo::location_name;
use crate::state::changes::{Change, Shown};
use crate::state::dialogs::GroupDialogs;
use crate::state::groups::{GroupsStore, Load, Read};
use crate::state::route::Route;
use leptos::prelude::*;

/// One group: every field the API gives, its locations (editable), its databases, and the
/// same actions as the table. Reached by `/groups/{name}`, which survives a reload.
///
/// The group itself comes from the store, so a change made anywhere (a dialog, the table,
/// the chips) shows here; the page reads it afresh once (a deep link, or a list grown old)
/// and keeps its own reads only for what the list does not carry: delete protection and
/// the databases. The page is built once: each field follows the store on its own.
#[component]
pub fn GroupPage(name: String) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let fresh = Read::<Group>::new();
    let ask = {
        let name = name.clone();
        move || {
            let (c, name) = (store.client(), name.clone());
            fresh.ask(async move { c.get_group(&name).await });
        }
    };
    ask();
    // The table shows what this page learnt, a group the server says is gone included.
    Effect::new({
        let name = name.clone();
        move || match fresh.state.get() {
            Load::Ready(g) => store.upsert(g),
            Load::Failed(e) if e.kind == ErrorKind::NotFound => store.remove(&name),
            _ => {}
        }
    });
    let group = {
        let name = name.clone();
        Memo::new(move |_| {
            store
                .group(&name)
                .or_else(|| fresh.state.with(|f| f.ready().cloned()))
        })
    };
    let shown = Memo::new(move |_| group.with(Option::is_some));
    let title = name.clone();
    let moved_to = {
        let name = name.clone();
        move || store.renamed_to(&name)
    };

    view! {
        <nav class="crumbs"><Link to=Route::Groups>"← All groups"</Link></nav>
        <h1 class="group-title">{title}</h1>
        {move || fresh.state.with(|f| match f {
            Load::Failed(e) if e.kind == ErrorKind::NotFound => Some(view! {
                <div class="empty" role="alert">
                    {match moved_to() {
                        Some(now) => view! {
                            <p>"This group was renamed in this session: it is now "
                                <Link to=Route::Group(now.clone())>{now.clone()}</Link>"."</p>
                        }.into_any(),
                        None => view! {
                            <p>"There is no such group in this organization. It may have been deleted, transferred or renamed."</p>
                        }.into_any(),
                    }}
                    <ErrorMessage error=e.clone() />
                </div>
            }.into_any()),
            Load::Failed(e) => Some(view! { <ErrorMessage error=e.clone() retry=Callback::new({ let ask = ask.clone(); move |_| ask() }) /> }.into_any()),
            Load::Loading if !shown.get() => Some(view! { <p class="loading" aria-busy="true">"Loading the group…"</p> }.into_any()),
            _ => None,
        })}
        <Show when=move || shown.get()>
            <GroupDetails name=name.clone() group />
        </Show>
    }
}

#[component]
fn GroupDetails(name: String, group: Memo<Option<Group>>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialogs = expect_context::<GroupDialogs>();
    let locations = store.location_list;
    let field =
        move |read: fn(&Group) -> Option<String>| move || group.with(|g| g.as_ref().and_then(read));
    let uuid = field(|g| g.uuid.clone());
    let primary = field(|g| g.primary.clone());
    let version = field(|g| g.version.clone());
    let archived = Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.archived)));
    let primary_name = move || {
        primary().and_then(|code| store.names.with(|n| n.get(&code).map(|n| format!("{n} "))))
    };
    // Delete protection: the group object may carry it; the configuration endpoint is asked
    // only when it does not.
    let configuration = {
        let name = name.clone();
        store.read(
            move || {
                group
                    .with(|g| g.as_ref().is_some_and(|g| g.delete_protection.is_none()))
                    .then(|| name.clone())
            },
            |c, name| async move { c.get_group_configuration(&name).await },
        )
    };
    let protection = Memo::new(move |_| {
        group
            .with(|g| g.as_ref().and_then(|g| g.delete_protection))
            .or_else(|| configuration.state.with(|c| c.ready().copied().flatten()))
    });
    let databases = {
        let name = name.clone();
        store.read(
            move || Some(name.clone()),
            |c, name| async move { c.list_databases(&name).await },
        )
    };
    let unarchive = name.clone();
    view! {
        <div class="group-actions">
            {move || (archived.get() != Some(false)).then(|| view! { <UnarchiveButton name=unarchive.clone() /> })}
            <button type="button" id="group-rename" on:click=dialogs.rename.opener(&name)>"Rename…"</button>
            <button type="button" id="group-transfer" on:click=dialogs.transfer.opener(&name)>"Transfer…"</button>
            <button type="button" id="group-token" on:click=dialogs.token.opener(&name)>"Create token…"</button>
            <button type="button" id="group-rotate" on:click=dialogs.rotate.opener(&name)>"Invalidate tokens…"</button>
            <button type="button" id="group-version" on:click=dialogs.version.opener(&name)>"Update version…"</button>
            <button type="button" id="group-delete" class="danger-text" on:click=dialogs.delete.opener(&name)>"Delete…"</button>
        </div>
        <dl class="fields">
            <dt>"UUID"</dt>
            <dd>{move || uuid().map(|uuid| view! { <code id="group-uuid">{uuid.clone()}</code>" "<CopyButton text=uuid label="Copy UUID" /> })}</dd>
            <dt>"Primary location"</dt>
            <dd>{primary_name}<code>{primary}</code></dd>
            <dt>"Version"</dt>
            <dd>{move || version().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Archived"</dt>
            <dd>{move || match archived.get() {
                Some(true) => "Yes: its databases sleep until it is unarchived",
                Some(false) => "No",
                None => "Not reported by the API; Unarchive does no harm to a group that is awake",
            }}</dd>
            <dt>"Delete protection"</dt>
            <dd>
                <ProtectionToggle name=name.clone() on=Signal::derive(move || protection.get() == Some(true)) />
                {move || match (protection.get(), configuration.state.get()) {
                    (Some(_), _) => view! { <span class="help">" While on, the API refuses to delete the group."</span> }.into_any(),
                    (None, Load::Failed(e)) => view! { <ErrorMessage error=e retry=Callback::new(move |_| configuration.retry()) /> }.into_any(),
                    (None, Load::Loading) => view! { <span class="help">" Asking the API…"</span> }.into_any(),
                    (None, Load::Ready(_)) => view! { <span class="help" id="protection-unknown">" Unknown: the API did not say whether it is on."</span> }.into_any(),
                }}
            </dd>
        </dl>
        <LocationEditor name=name.clone() group locations />
        <GroupMap group />
        <section class="databases" aria-labelledby="databases-title">
            <h2 id="databases-title">"Databases"</h2>
            {move || match databases.state.get() {
                Load::Loading => view! { <p class="loading">"Listing the group's databases…"</p> }.into_any(),
                Load::Failed(e) => view! { <ErrorMessage error=e retry=Callback::new(move |_| databases.retry()) /> }.into_any(),
                Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No databases in this group."</p> }.into_any(),
                Load::Ready(list) => view! {
                    <div class="table-wrap"><table id="databases-table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Hostname"</th><th scope="col">"Primary region"</th></tr></thead>
                        <tbody>{list.into_iter().map(|d| view! {
                            <tr data-database=d.name.clone()>
                                <th scope="row">{d.name.clone()}</th>
                                <td><code>{d.hostname.unwrap_or_default()}</code></td>
                                <td><code>{d.primary_region.unwrap_or_default()}</code></td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any(),
            }}
        </section>
        <section class="group-history" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <HistoryList group=Some(name.clone()) />
        </section>
    }
}

/// Where the group's locations are, the primary marked.
#[component]
fn GroupMap(group: Memo<Option<Group>>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    move || {
        group.with(|g| {
            let g = g.as_ref().filter(|g| !g.locations().is_empty())?;
            let markers: Vec<Marker> = store.names.with(|names| {
                g.locations()
                    .iter()
                    .map(|code| {
                        let primary = g.primary.as_ref() == Some(code);
                        let mut says = location_name(names.get(code), code);
                        if primary {
                            says.push_str(", primary");
                        }
                        Marker {
                            radius: if primary { 45 } else { 32 },
                            code: code.clone(),
                            says,
                            primary,
                        }
                    })
                    .collect()
            });
            let all: Vec<&str> = markers.iter().map(|m| m.says.as_str()).collect();
            let label = format!("Map of the group's locations: {}", all.join("; "));
            Some(view! { <WorldMap label markers /> })
        })
    }
}

/// The group's locations as chips: add with the picker, remove with each chip's button
/// after a confirmation. Each chip shows its own pending state; only the server's answer
/// changes the list, and the chips follow the store one by one (keyed by code), so the
/// picker keeps its text and focus.
#[component]
fn LocationEditor(
    name: String,
    group: Memo<Option<Group>>,
    locations: Signal<Vec<Location>>,
) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let codes = Memo::new(move |_| {
        group.with(|g| {
            g.as_ref()
                .map(|g| g.locations().to_vec())
                .unwrap_or_default()
        })
    });
    let primary = Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.primary.clone())));
    let to_add = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    let confirm_remove = RwSignal::new(None::<String>);
    let human = move |code: &str| store.names.with(|n| n.get(code).unwrap_or(code).to_owned());

    // A refusal lands in this editor only while it is on screen; after going to another
    // group's page it is said in the banner.
    let here = Shown::new().open();
    let confirmed = move |g: &Group| store.upsert(g.clone());
    let shown = move |result: Result<Group, ApiError>| {
        if let Err(e) = result {
            refusal.set(Some(e));
        }
    };
    let add = {
        let name = name.clone();
        move |_| {
            refusal.set(None);
            let Some(code) = to_add.get_untracked() else {
                return;
            };
            let name = name.clone();
            store.change(
                Change::AddLocation(name.clone(), code.clone()),
                here,
                move |c| async move { c.add_location(&name, &code).await },
                confirmed,
                shown,
            );
        }
    };
    let remove = {
        let name = name.clone();
        move |_| {
            let Some(code) = confirm_remove.get_untracked() else {
                return;
            };
            confirm_remove.set(None);
            refusal.set(None);
            let name = name.clone();
            store.change(
                Change::RemoveLocation(name.clone(), code.clone()),
                here,
                move |c| async move { c.remove_location(&name, &code).await },
                confirmed,
                shown,
            );
        }
    };
    let pending_adds = {
        let name = name.clone();
        move || {
            store.changes().pick(|c| match c {
                Change::AddLocation(g, code) if *g == name => Some(code.clone()),
                _ => None,
            })
        }
    };
    let chip_of = name.clone();
    let confirm_text = name.clone();

    view! {
        <section class="location-editor" aria-labelledby="locations-title">
            <h2 id="locations-title">"Locations"</h2>
            <ul class="chips" id="group-locations">
                <For each=move || codes.get() key=|code: &String| code.clone() children=move |code: String| {
                    let is_primary = Memo::new({ let code = code.clone(); move |_| primary.with(|p| p.as_deref() == Some(code.as_str())) });
                    let change = Change::RemoveLocation(chip_of.clone(), code.clone());
                    let removing = Signal::derive(move || store.is_busy(&change));
                    let label = { let code = code.clone(); move || human(&code) };
                    let c2 = code.clone();
                    view! {
                        <li class="chip" class:primary=is_primary class:pending=removing data-code=code.clone() aria-busy=move || removing.get().to_string()>
                            <span class="chip-name">{label.clone()}</span>
                            <code>{code.clone()}</code>
                            {move || is_primary.get().then(|| view! { <span class="chip-badge">"primary"</span> })}
                            {move || removing.get().then(|| view! { <span class="chip-badge">"removing…"</span> })}
                            {move || (!is_primary.get()).then(|| {
                                let (label, c2) = (label.clone(), c2.clone());
                                view! {
                                    <button type="button" class="chip-remove" aria-label=move || format!("Remove {}", label())
                                        disabled=removing on:click=move |_| confirm_remove.set(Some(c2.clone()))>"×"</button>
                                }
                            })}
                        </li>
                    }
                } />
                {move || pending_adds().into_iter().map(|code| view! {
                    <li class="chip pending" aria-busy="true" data-pending=code.clone()>
                        <span class="chip-name">{human(&code)}</span><code>{code.clone()}</code>
                        <span class="chip-badge">"adding…"</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="help">"A location holds a replica of every database in the group. The primary cannot be removed."</p>
            <div class="add-location">
                <LocationPicker id="add-location" label="Add a location" locations selected=to_add exclude=Signal::derive(move || codes.get()) />
                <button type="button" id="add-location-submit" disabled=move || to_add.with(Option::is_none) on:click=add>"Add location"</button>
            </div>
            {move || refusal.get().map(|e| view! { <ErrorMessage error=e /> })}
            <Modal id="remove-location" title=Signal::derive(move || format!("Remove {}?", confirm_remove.get().map(|c| human(&c)).unwrap_or_default()))
                open=Signal::derive(move || confirm_remove.with(Option::is_some)) on_close=Callback::new(move |_| confirm_remove.set(None))>
                <p>{move || format!(
                    "The replica of every database in “{}” at {} goes away; reads from there will be served from elsewhere.",
                    confirm_text.clone(), confirm_remove.get().unwrap_or_default()
                )}</p>
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| confirm_remove.set(None)>"Cancel"</button>
                    <button type="button" id="remove-location-submit" class="danger" on:click=remove>"Remove location"</button>
                </div>
            </Modal>
        </section>
    }
}
