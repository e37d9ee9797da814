use crate::api::Location;
use crate::rules::locations::search;
use leptos::prelude::*;

/// A searchable location list (WAI-ARIA combobox): the list opens on focus or typing and
/// closes on Escape, a choice or leaving the field; type to narrow by name or code, move
/// with the arrow keys, Enter or a click to choose.
#[component]
pub fn LocationPicker(
    /// The text input's id; the list is `{id}-list`.
    id: &'static str,
    label: &'static str,
    locations: Signal<Vec<Location>>,
    /// The chosen location code.
    selected: RwSignal<Option<String>>,
    /// Codes not to offer (those a group already has).
    #[prop(optional, into)]
    exclude: Signal<Vec<String>>,
    /// The region closest to the user, when known: listed first and marked.
    #[prop(optional, into)]
    closest: Signal<Option<String>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let open = RwSignal::new(false);
    let list_id = format!("{id}-list");
    let option_id = move |code: &str| format!("{id}-opt-{code}");
    let found = Memo::new(move |_| {
        locations.with(|l| {
            // Once a location is chosen the input shows its name; list everything again
            // (the choice marked) rather than just that one.
            let typed = query.get();
            let shows_choice = selected.with(|s| {
                s.as_ref()
                    .is_some_and(|code| l.iter().any(|x| &x.code == code && x.name == typed))
            });
            let needle = if shows_choice { "" } else { typed.as_str() };
            exclude.with(|ex| closest.with(|c| search(l, needle, ex, c.as_deref())))
        })
    });
    let choose = move |location: &Location| {
        selected.set(Some(location.code.clone()));
        query.set(location.name.clone());
        open.set(false);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let count = found.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if !open.get_untracked() => {
                ev.prevent_default();
                open.set(true);
            }
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1).min(count - 1));
            }
            // The first Escape closes the list; only the next one closes the dialog.
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                ev.stop_propagation();
                open.set(false);
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = a.saturating_sub(1));
            }
            "Enter" => {
                // Enter chooses; it must not submit the surrounding form.
                ev.prevent_default();
                if !open.get_untracked() {
                    return;
                }
                if let Some(l) = found.with(|f| f.get(active.get_untracked()).cloned()) {
                    choose(&l);
                }
            }
            _ => {}
        }
    };
    let chosen_text = move || {
        selected.get().map(|code| {
            let name =
                locations.with(|l| l.iter().find(|x| x.code == code).map(|x| x.name.clone()));
            match name {
                Some(name) => format!("Chosen: {name} ({code})"),
                None => format!("Chosen: {code}"),
            }
        })
    };
    view! {
        <div class="picker">
            <label for=id>{label}</label>
            <div class="picker-field">
            <input
                id=id
                type="text"
                role="combobox"
                autocomplete="off"
                placeholder="Search by city or code"
                aria-autocomplete="list"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=list_id.clone()
                aria-activedescendant=move || open.get().then(|| found.with(|f| f.get(active.get()).map(|l| option_id(&l.code)))).flatten()
                prop:value=move || query.get()
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                    selected.set(None);
                    open.set(true);
                }
                on:keydown=on_key
            />
            <ul id=list_id role="listbox" aria-label=label class="picker-list" hidden=move || !open.get()>
                // A dozen options: redrawing them all on a keystroke is cheaper, in code and
                // time, than a keyed list.
                {move || found.get().into_iter().enumerate().map(|(i, location)| {
                    let code = location.code.clone();
                    let is_closest = closest.with(|c| c.as_deref() == Some(code.as_str()));
                    let is_selected = {
                        let code = code.clone();
                        move || selected.with(|s| s.as_deref() == Some(code.as_str()))
                    };
                    let name = location.name.clone();
                    view! {
                        <li
                            role="option"
                            id=option_id(&code)
                            data-code=code.clone()
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            class:active=move || active.get() == i
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| choose(&location)
                        >
                            <span>{name}</span>
                            <code>{code.clone()}</code>
                            {is_closest.then(|| view! { <span class="chip-badge">"closest to you"</span> })}
                        </li>
                    }
                }).collect_view()}
                {move || found.with(Vec::is_empty).then(|| view! {
                    <li class="picker-empty" aria-disabled="true">"No location matches."</li>
                })}
            </ul>
            </div>
            <p class="picker-chosen" aria-live="polite">{chosen_text}</p>
        </div>
    }
}
