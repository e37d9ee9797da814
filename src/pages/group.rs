use crate::api::{ApiError, ErrorKind, Group, Location};
use crate::components::{CopyButton, ErrorMessage, LocationPicker, Modal};
use crate::pages::actions::{opener, GroupDialogs, ProtectionToggle, UnarchiveButton};
use crate::rules::table::location_name;
use crate::state::groups::{GroupInfo, GroupsStore, Load};
use crate::state::route::{Route, Router};
use leptos::prelude::*;

/// One group: every field the API gives, its locations (editable), its databases, and the
/// same actions as the table. Reached by `/groups/{name}`, which survives a reload.
#[component]
pub fn GroupPage(name: String) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialogs = expect_context::<GroupDialogs>();
    let router = expect_context::<Router>();
    let info = RwSignal::new(Load::<GroupInfo>::Loading);
    let load = {
        let name = name.clone();
        move || store.load_group_info(info, name.clone())
    };
    load();
    // The table shows what this page learnt.
    Effect::new(move || {
        if let Load::Ready(i) = info.get() {
            store.upsert(i.group);
        }
    });
    // A change made elsewhere (the dialogs, the chips) reaches the table first; follow it.
    let watched = name.clone();
    Effect::new(move || {
        if let Some(latest) = store.group(&watched) {
            if info.with_untracked(|i| i.ready().is_some_and(|i| i.group != latest)) {
                info.update(|i| {
                    if let Load::Ready(i) = i {
                        i.delete_protection =
                            latest.delete_protection.unwrap_or(i.delete_protection);
                        i.group = latest;
                    }
                });
            }
        }
    });
    let locations: Signal<Vec<Location>> = Memo::new(move |_| {
        store
            .locations
            .with(|l| l.ready().cloned().unwrap_or_default())
    })
    .into();
    let back = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        router.go(Route::Groups);
    };
    let title = name.clone();

    view! {
        <nav class="crumbs"><a href=router.href(&Route::Groups) on:click=back>"← All groups"</a></nav>
        <h2 class="group-title">{title}</h2>
        {move || match info.get() {
            Load::Loading => view! { <p class="loading" aria-busy="true">"Loading the group…"</p> }.into_any(),
            Load::Failed(e) if e.kind == ErrorKind::NotFound => view! {
                <div class="empty" role="alert">
                    <p>"There is no such group in this organization. It may have been deleted or transferred."</p>
                    <ErrorMessage error=e />
                </div>
            }.into_any(),
            Load::Failed(e) => view! { <ErrorMessage error=e retry=Callback::new({ let load = load.clone(); move |_| load() }) /> }.into_any(),
            Load::Ready(i) => view! { <GroupDetails info=i locations dialogs /> }.into_any(),
        }}
    }
}

#[component]
fn GroupDetails(
    info: GroupInfo,
    locations: Signal<Vec<Location>>,
    dialogs: GroupDialogs,
) -> impl IntoView {
    let GroupInfo {
        group,
        delete_protection,
        databases,
    } = info;
    let name = group.name.clone();
    let uuid = group.uuid.clone().unwrap_or_default();
    let archived = group.is_archived();
    let primary = group.primary.clone().unwrap_or_default();
    let primary_name = {
        let code = primary.clone();
        move || {
            locations.with(|l| {
                location_name(l, &code)
                    .map(|n| format!("{n} "))
                    .unwrap_or_default()
            })
        }
    };
    view! {
        <div class="group-actions">
            {archived.then(|| view! { <UnarchiveButton name=name.clone() /> })}
            <button type="button" id="group-transfer" on:click=opener(dialogs.transfer, &name)>"Transfer…"</button>
            <button type="button" id="group-token" on:click=opener(dialogs.token, &name)>"Create token…"</button>
            <button type="button" id="group-rotate" on:click=opener(dialogs.rotate, &name)>"Invalidate tokens…"</button>
            <button type="button" id="group-version" on:click=opener(dialogs.version, &name)>"Update version…"</button>
            <button type="button" id="group-delete" class="danger-text" on:click=opener(dialogs.delete, &name)>"Delete…"</button>
        </div>
        <dl class="fields">
            <dt>"UUID"</dt>
            <dd><code id="group-uuid">{uuid.clone()}</code>" "<CopyButton text=uuid label="Copy UUID" /></dd>
            <dt>"Primary location"</dt>
            <dd>{primary_name}<code>{primary.clone()}</code></dd>
            <dt>"Version"</dt>
            <dd>{group.version.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Archived"</dt>
            <dd>{if archived { "Yes: its databases sleep until it is unarchived" } else { "No" }}</dd>
            <dt>"Delete protection"</dt>
            <dd><ProtectionToggle name=name.clone() on=delete_protection />
                <span class="help">" While on, the API refuses to delete the group."</span></dd>
        </dl>
        <LocationEditor group=group.clone() locations />
        <section class="databases" aria-labelledby="databases-title">
            <h3 id="databases-title">"Databases"</h3>
            {if databases.is_empty() {
                view! { <p class="empty">"No databases in this group."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table id="databases-table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Hostname"</th><th scope="col">"Primary region"</th></tr></thead>
                        <tbody>{databases.into_iter().map(|d| view! {
                            <tr data-database=d.name.clone()>
                                <th scope="row">{d.name.clone()}</th>
                                <td><code>{d.hostname.unwrap_or_default()}</code></td>
                                <td><code>{d.primary_region.unwrap_or_default()}</code></td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

/// The group's locations as chips: add with the picker, remove with each chip's button
/// after a confirmation. Each chip shows its own pending state; only the server's answer
/// changes the list.
#[component]
fn LocationEditor(group: Group, locations: Signal<Vec<Location>>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let name = group.name.clone();
    let primary = group.primary.clone().unwrap_or_default();
    let codes = group.locations().to_vec();
    let to_add = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    let confirm_remove = RwSignal::new(None::<String>);
    let exclude = Signal::stored(codes.clone());
    let human =
        move |code: &str| locations.with(|l| location_name(l, code).unwrap_or(code).to_owned());

    let apply = move |result: Result<Group, ApiError>| match result {
        Ok(g) => store.upsert(g),
        Err(e) => refusal.set(Some(e)),
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
                format!("add:{name}:{code}"),
                move |c| async move { c.add_location(&name, &code).await },
                apply,
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
                format!("remove:{name}:{code}"),
                move |c| async move { c.remove_location(&name, &code).await },
                apply,
            );
        }
    };
    let pending_adds = {
        let name = name.clone();
        move || {
            locations.with(|l| {
                l.iter()
                    .filter(|x| store.is_busy(&format!("add:{name}:{}", x.code)))
                    .map(|x| x.code.clone())
                    .collect::<Vec<_>>()
            })
        }
    };

    view! {
        <section class="location-editor" aria-labelledby="locations-title">
            <h3 id="locations-title">"Locations"</h3>
            <ul class="chips" id="group-locations">
                {codes.into_iter().map(|code| {
                    let is_primary = code == primary;
                    let key = format!("remove:{name}:{code}");
                    let removing = Signal::derive(move || store.is_busy(&key));
                    let label = { let code = code.clone(); move || human(&code) };
                    let c2 = code.clone();
                    view! {
                        <li class="chip" class:primary=is_primary class:pending=removing data-code=code.clone() aria-busy=move || removing.get().to_string()>
                            <span class="chip-name">{label.clone()}</span>
                            <code>{code.clone()}</code>
                            {is_primary.then(|| view! { <span class="chip-badge">"primary"</span> })}
                            {move || removing.get().then(|| view! { <span class="chip-badge">"removing…"</span> })}
                            {(!is_primary).then(|| view! {
                                <button type="button" class="chip-remove" aria-label=move || format!("Remove {}", label())
                                    disabled=removing on:click=move |_| confirm_remove.set(Some(c2.clone()))>"×"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
                {move || pending_adds().into_iter().map(|code| view! {
                    <li class="chip pending" aria-busy="true" data-pending=code.clone()>
                        <span class="chip-name">{human(&code)}</span><code>{code.clone()}</code>
                        <span class="chip-badge">"adding…"</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="help">"A location holds a replica of every database in the group. The primary cannot be removed."</p>
            <div class="add-location">
                <LocationPicker id="add-location" label="Add a location" locations selected=to_add exclude />
                <button type="button" id="add-location-submit" disabled=move || to_add.with(Option::is_none) on:click=add>"Add location"</button>
            </div>
            {move || refusal.get().map(|e| view! { <ErrorMessage error=e /> })}
            <Modal id="remove-location" title=Signal::derive(move || format!("Remove {}?", confirm_remove.get().map(|c| human(&c)).unwrap_or_default()))
                open=Signal::derive(move || confirm_remove.with(Option::is_some)) on_close=Callback::new(move |_| confirm_remove.set(None))>
                <p>{move || format!(
                    "The replica of every database in “{}” at {} goes away; reads from there will be served from elsewhere.",
                    name.clone(), confirm_remove.get().unwrap_or_default()
                )}</p>
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| confirm_remove.set(None)>"Cancel"</button>
                    <button type="button" id="remove-location-submit" class="danger" on:click=remove>"Remove location"</button>
                </div>
            </Modal>
        </section>
    }
}
