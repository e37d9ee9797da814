use crate::api::Group;
use crate::rules::table::LocationNames;
use leptos::prelude::*;

/// Chips a table row shows; the rest are counted in a "+N more" chip. This keeps every row
/// one line of chips high, so the table knows where each row is without drawing it (it
/// draws only the rows in view). The group's page lists every location.
pub const TABLE_CHIPS: usize = 2;

/// A group's locations as chips for the table: the code, the primary marked, and the human
/// name on hover and for screen readers (the primary's is in its own column; the names
/// would not fit one line).
pub fn location_chips(group: &Group, names: &LocationNames) -> impl IntoView {
    let codes = group.locations();
    let (shown, rest) = codes.split_at(codes.len().min(TABLE_CHIPS));
    let chips = shown
        .iter()
        .map(|code| {
            let is_primary = group.primary.as_ref() == Some(code);
            let name = names.get(code).map(str::to_owned);
            let title = name.clone();
            view! {
                <li class="chip" class:primary=is_primary data-code=code.clone() title=title>
                    {name.map(|n| view! { <span class="visually-hidden">{n}</span> })}
                    <code>{code.clone()}</code>
                    {is_primary.then(|| view! { <span class="chip-badge">"primary"</span> })}
                </li>
            }
        })
        .collect_view();
    let more = (!rest.is_empty())
        .then(|| view! { <li class="chip more">{format!("+{} more", rest.len())}</li> });
    view! { <ul class="chips" aria-label="Locations">{chips}{more}</ul> }
}
