use leptos::html::{Dialog, Div};
use leptos::prelude::*;

/// A native `<dialog>` shown modally while `open` is true: the browser moves focus in,
/// closes it on Esc and returns focus to what opened it. Its content is built when it first
/// opens and kept after: building every dialog at start delayed the first table by about a
/// third (profiled in issue 14), and most sessions open few of them.
#[component]
pub fn Modal(
    /// The dialog's `id`, for tests and `aria-controls`.
    id: &'static str,
    /// Title, also the dialog's accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// Shown while true.
    #[prop(into)]
    open: Signal<bool>,
    /// Called when the user closes the dialog (Esc, the × button).
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let body = NodeRef::<Div>::new();
    let opened = Memo::new(move |was: Option<&bool>| was == Some(&true) || open.get());
    let children = StoredValue::new_local(Some(children));
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        // Shown once its content is in the page, so that focus can move into the form.
        if open.get() && body.get().is_some() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        // The browser fires `close` a task after the dialog closes: by then it may have been
        // opened again (for another group), and that late event must not close it.
        <dialog id=id node_ref=dialog aria-labelledby=labelled_by
            on:close=move |_| if dialog.get_untracked().is_some_and(|d| !d.open()) { on_close.run(()) }>
            <header class="dialog-header">
                <h2 id=title_id>{title}</h2>
                <button type="button" class="icon-button" aria-label="Close" on:click=move |_| on_close.run(())>
                    "×"
                </button>
            </header>
            {move || opened.get().then(|| view! {
                <div class="dialog-body" node_ref=body>
                    {children.try_update_value(Option::take).flatten().map(|children| children())}
                </div>
            })}
        </dialog>
    }
}

/// The foot of a dialog's form: the server's refusal, if any, then Cancel and the submit
/// button, which shows progress and is disabled while its request is in flight.
#[component]
pub fn DialogActions(
    submit_id: &'static str,
    label: &'static str,
    busy_label: &'static str,
    #[prop(into)] busy: Signal<bool>,
    /// Disabled for another reason (input not valid yet).
    #[prop(optional, into)]
    blocked: Signal<bool>,
    /// A destructive action.
    #[prop(optional)]
    danger: bool,
    refusal: RwSignal<Option<crate::api::ApiError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        {move || refusal.get().map(|e| view! { <crate::components::ErrorMessage error=e /> })}
        <div class="dialog-actions">
            <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            <button id=submit_id type="submit" class=if danger { "danger" } else { "primary" }
                disabled=move || busy.get() || blocked.get()>
                {move || if busy.get() { busy_label } else { label }}
            </button>
        </div>
    }
}
