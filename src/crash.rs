//! A panic must not leave a frozen page. The release build aborts at the panic itself
//! (`-Cpanic=immediate-abort`, see xtask's `BUNDLE_TOOLCHAIN`), so no Rust runs after it: the
//! wasm traps, and index.html's script replaces the page with a message and a way back.
//! Debug builds (the browser tests) also log the panic's message and place here first.

#[cfg(debug_assertions)]
pub fn install_panic_log() {
    use wasm_bindgen::JsValue;
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
    }));
}

#[cfg(not(debug_assertions))]
pub fn install_panic_log() {}
