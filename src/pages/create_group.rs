use crate::api::{ApiError, Extensions, Location, NewGroup, EXTENSION_NAMES};
use crate::components::{DialogActions, LocationPicker, Modal};
use crate::rules::names::{check_group_name, NameProblem};
use crate::state::changes::{Change, Shown};
use crate::state::groups::{GroupsStore, Outcome};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExtensionChoice {
    None,
    All,
    Chosen,
}

/// The create-group form, in a dialog. What was typed stays until a group is created, so a
/// refusal (or closing the dialog) loses nothing. The created group goes into the store,
/// even when the form is gone by the time the answer comes.
#[component]
pub fn CreateGroup(open: RwSignal<bool>, locations: Signal<Vec<Location>>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let name = RwSignal::new(String::new());
    let location = RwSignal::new(None::<String>);
    let extension_choice = RwSignal::new(ExtensionChoice::None);
    let chosen = RwSignal::new(Vec::<String>::new());
    let pending = move || store.is_busy(&Change::Create);
    let refusal = RwSignal::new(None::<ApiError>);
    let local_problem = RwSignal::new(None::<String>);
    let touched = RwSignal::new(false);
    // The location closest to the user, asked once when the form is first shown: marked in
    // the picker and chosen for the user, only when the organization offers it.
    let region = store.read(|| Some(()), |c, ()| async move { c.closest_region().await });
    let closest = Memo::new(move |_| {
        let code = region.state.with(|r| r.ready().cloned())?;
        locations
            .with(|l| l.iter().any(|x| x.code == code))
            .then_some(code)
    });
    Effect::new(move || {
        if let Some(code) = closest.get() {
            if location.with_untracked(Option::is_none) {
                location.set(Some(code));
            }
        }
    });
    // Each opening of the dialog is its own: a creation answered after the dialog was closed
    // (and maybe opened again) reaches the table and the banner, not the form.
    let shown = Shown::new();
    Effect::new(move || {
        if open.get() {
            shown.open();
        } else {
            shown.close();
        }
    });

    let name_check = Memo::new(move |_| check_group_name(name.get().trim()));
    let name_hint = move || match name_check.get() {
        Ok(()) => None,
        Err(NameProblem::Empty) if !touched.get() => None,
        Err(p) => Some(p.to_string()),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        refusal.set(None);
        let group_name = name.get_untracked().trim().to_owned();
        // A name that is only too long may still be accepted: the server's limit is its own.
        if let Err(p) = check_group_name(&group_name) {
            if !matches!(p, NameProblem::TooLong(_)) {
                local_problem.set(Some(p.to_string()));
                return;
            }
        }
        let Some(code) = location.get_untracked() else {
            local_problem.set(Some("Choose a primary location.".into()));
            return;
        };
        let extensions = match extension_choice.get_untracked() {
            ExtensionChoice::None => Extensions::None,
            ExtensionChoice::All => Extensions::All,
            ExtensionChoice::Chosen if chosen.with_untracked(Vec::is_empty) => {
                local_problem.set(Some(
                    "Tick at least one extension, or choose “None”.".into(),
                ));
                return;
            }
            ExtensionChoice::Chosen => Extensions::Some(chosen.get_untracked()),
        };
        local_problem.set(None);
        let new = NewGroup {
            name: group_name,
            location: code,
            extensions,
        };
        store.change(
            Change::Create,
            shown.current(),
            move |c| async move { c.create_group(&new).await },
            move |group| {
                store.report(Outcome::Done(format!("Group “{}” created.", group.name)));
                store.upsert(group.clone());
            },
            move |result| match result {
                Ok(_) => {
                    name.set(String::new());
                    location.set(closest.get_untracked());
                    extension_choice.set(ExtensionChoice::None);
                    chosen.set(Vec::new());
                    touched.set(false);
                    open.set(false);
                }
                Err(e) => refusal.set(Some(e)),
            },
        );
    };

    let radio = move |value: ExtensionChoice, label: &'static str, id: &'static str| {
        view! {
            <label class="check" for=id>
                <input type="radio" id=id name="create-extensions"
                    prop:checked=move || extension_choice.get() == value
                    on:change=move |_| extension_choice.set(value) />
                {label}
            </label>
        }
    };

    // Closed while the group is being created: the banner says where the answer will go.
    let close = Callback::new(move |_| {
        if store.changes().is_busy_untracked(&Change::Create) {
            store.report(Outcome::Done(Change::Create.in_flight()));
        }
        open.set(false);
    });
    view! {
        <Modal id="create-group" title="New group" open on_close=close>
            <form on:submit=submit novalidate>
                <label for="create-name">"Name"</label>
                <input id="create-name" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="create-name-hint" autofocus
                    prop:value=move || name.get()
                    on:input=move |ev| { touched.set(true); name.set(event_target_value(&ev)); } />
                <p id="create-name-hint" class="help" class:warn=move || name_hint().is_some()>
                    {move || name_hint().unwrap_or_else(|| "Lowercase letters, digits and dashes; unique in the organization.".into())}
                </p>
                <LocationPicker id="create-location" label="Primary location" locations selected=location closest />
                <fieldset>
                    <legend>"Extensions"</legend>
                    {radio(ExtensionChoice::None, "None", "create-ext-none")}
                    {radio(ExtensionChoice::All, "All", "create-ext-all")}
                    {radio(ExtensionChoice::Chosen, "Choose…", "create-ext-chosen")}
                    <Show when=move || extension_choice.get() == ExtensionChoice::Chosen>
                        <div class="extension-list">
                            {EXTENSION_NAMES.into_iter().map(|ext| view! {
                                <label class="check">
                                    <input type="checkbox" value=ext
                                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == ext))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                c.retain(|x| x != ext);
                                                if on { c.push(ext.to_owned()); }
                                            });
                                        } />
                                    {ext}
                                </label>
                            }).collect_view()}
                        </div>
                    </Show>
                </fieldset>
                {move || local_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <DialogActions submit_id="create-submit" label="Create group" busy_label="Creating…"
                    busy=Signal::derive(pending) refusal on_cancel=close />
            </form>
        </Modal>
    }
}
