//! Copying to the clipboard, where the browser offers it: `navigator.clipboard` exists only
//! on secure pages (https, localhost), so a panel served over plain http says so instead.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// How long "Copied" (or why not) stays before the button shows its label again.
const SAID_FOR_MS: u32 = 3000;

/// Whether this page may write to the clipboard.
pub fn available() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("clipboard"))
            .is_ok_and(|c| !c.is_undefined())
    })
}

/// Copies `text`, then puts what happened in `said` for a few seconds. `said` may belong to
/// a view that is gone by then: writes to it are then dropped.
pub fn copy(text: String, said: RwSignal<Option<&'static str>>) {
    let Some(window) = web_sys::window().filter(|_| available()) else {
        said.set(Some(
            "Copying is not available here: select and copy by hand",
        ));
        return;
    };
    spawn_local(async move {
        let promise = window.navigator().clipboard().write_text(&text);
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        said.set(Some(if ok {
            "Copied"
        } else {
            "Copy failed: select and copy by hand"
        }));
        gloo_timers::future::TimeoutFuture::new(SAID_FOR_MS).await;
        said.set(None);
    });
}
