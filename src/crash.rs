//! A panic must not leave a frozen page: it replaces the page with a message and a way
//! back. Nothing is formatted here (formatting machinery costs bundle bytes); the message
//! and location go to the console as they are.

use wasm_bindgen::JsValue;

const SCREEN: &str = "<main class=\"connect crash\" role=\"alert\"><h1>Something went wrong</h1>\
<p>The panel hit an internal error and stopped. Nothing was sent on your behalf after it.</p>\
<p><a href=\"\">Reload the panel</a></p></main>";

pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let (file, line) = info.location().map_or(("", 0), |l| (l.file(), l.line()));
        web_sys::console::error_3(
            &JsValue::from_str(message),
            &JsValue::from_str(file),
            &JsValue::from(line),
        );
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            body.set_inner_html(SCREEN);
        }
    }));
}
