//! A panic must not leave a frozen page, nor a silent one. The hook logs the panic's message
//! and place to the console (`console_error_panic_hook`, with the JavaScript stack) and leaves
//! them on `<html data-panic>` for the crash screen, the user's token taken out. Then the
//! release build aborts (`panic = "abort"`): the wasm traps, no Rust runs after it, and
//! index.html's script replaces the page with what happened and a way back.

use crate::state::session::stored_session;

/// The longest panic text the crash screen shows; the console has all of it.
const SHOWN: usize = 600;

pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let token = stored_session().map(|s| s.token);
        let text = for_the_screen(&info.to_string(), token.as_deref());
        let html = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(html) = html {
            let _ = html.set_attribute("data-panic", &text);
        }
    }));
}

/// The panic's text as the crash screen may show it: without the token, and not endless.
pub fn for_the_screen(panic: &str, token: Option<&str>) -> String {
    let text = match token {
        Some(token) if !token.is_empty() => panic.replace(token, "[your token]"),
        _ => panic.to_string(),
    };
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crash_screen_never_shows_the_token() {
        let panic = "panicked at src/api/client.rs:9:5:\nbad answer for tok_secret_123";
        let shown = for_the_screen(panic, Some("tok_secret_123"));
        assert_eq!(
            shown,
            "panicked at src/api/client.rs:9:5:\nbad answer for [your token]"
        );
        assert_eq!(for_the_screen(panic, None), panic);
        assert_eq!(for_the_screen(panic, Some("")), panic);
        let long = "é".repeat(SHOWN + 5);
        assert_eq!(for_the_screen(&long, None).chars().count(), SHOWN + 1);
    }
}
