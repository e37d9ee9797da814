use leptos::prelude::*;
use leptos::task::spawn_local;

/// Copies `text` to the clipboard and says whether that worked (browsers may refuse).
#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&text);
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            said.set(Some(if ok {
                "Copied"
            } else {
                "Copy failed: select and copy by hand"
            }));
        });
    };
    view! {
        <button type="button" class="small" on:click=copy aria-label=label>{move || said.get().unwrap_or(label)}</button>
        <span class="visually-hidden" role="status">{move || said.get()}</span>
    }
}
