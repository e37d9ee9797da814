use leptos::html::Dialog;
use leptos::prelude::*;

/// A native `<dialog>` shown modally while `open` is true: the browser moves focus in,
/// closes it on Esc and returns focus to what opened it.
#[component]
pub fn Modal(
    /// The dialog's `id`, for tests and `aria-controls`.
    id: &'static str,
    /// Title, also the dialog's accessible name.
    title: &'static str,
    /// Shown while true; set to false when the user closes the dialog.
    open: RwSignal<bool>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        <dialog id=id node_ref=dialog aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            <header class="dialog-header">
                <h2 id=title_id>{title}</h2>
                <button type="button" class="icon-button" aria-label="Close" on:click=move |_| open.set(false)>
                    "×"
                </button>
            </header>
            {children()}
        </dialog>
    }
}
