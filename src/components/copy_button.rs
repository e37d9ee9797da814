use crate::state::clipboard;
use leptos::prelude::*;

/// Copies `text` to the clipboard and says whether that worked (browsers may refuse, and
/// plain http pages have no clipboard); the label comes back after a few seconds.
#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    view! {
        <button type="button" class="small" on:click=move |_| clipboard::copy(text.clone(), said) aria-label=label>
            {move || said.get().unwrap_or(label)}
        </button>
        <span class="visually-hidden" role="status">{move || said.get()}</span>
    }
}
