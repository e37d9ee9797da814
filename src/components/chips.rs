use crate::api::Location;
use crate::rules::table::location_name;
use leptos::prelude::*;

/// A group's locations as chips: human name and code, the primary marked.
#[component]
pub fn LocationChips(
    codes: Vec<String>,
    primary: Option<String>,
    locations: Signal<Vec<Location>>,
) -> impl IntoView {
    view! {
        <ul class="chips" aria-label="Locations">
            {codes
                .into_iter()
                .map(|code| {
                    let is_primary = primary.as_deref() == Some(code.as_str());
                    let name = {
                        let code = code.clone();
                        move || locations.with(|l| location_name(l, &code).map(str::to_owned))
                    };
                    view! {
                        <li class="chip" class:primary=is_primary data-code=code.clone()>
                            {move || name().map(|n| view! { <span class="chip-name">{n}</span> })}
                            <code>{code.clone()}</code>
                            {is_primary.then(|| view! { <span class="chip-badge">"primary"</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
