//! The deployment's settings: an optional `config.json` beside `index.html`, so one build
//! serves many deployments. It may set `api_base_url` and `organization`, the defaults the
//! connect form offers. A missing or malformed file leaves the built-in defaults and says
//! why in the console; it never stops the panel.

use crate::api::json::Json;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub api_base_url: Option<String>,
    pub organization: Option<String>,
}

impl Config {
    /// Reads the file's text; unknown members are ignored, so newer files work too.
    pub fn parse(text: &str) -> Result<Config, String> {
        let json = Json::parse(text)?;
        let json = json.object()?;
        Ok(Config {
            api_base_url: json.field("api_base_url")?,
            organization: json.field("organization")?,
        })
    }
}

/// The settings in context: `None` until `config.json` has been read or given up on.
#[derive(Clone, Copy)]
pub struct Deployment(pub RwSignal<Option<Config>>);

impl Deployment {
    /// Starts reading `<base>/config.json`.
    pub fn load(base_path: &str) -> Deployment {
        let settings = Deployment(RwSignal::new(None));
        let url = format!("{base_path}/config.json");
        leptos::task::spawn_local(async move {
            let config = fetch_config(&url).await.unwrap_or_else(|why| {
                web_sys::console::warn_1(&format!("{why}; using the built-in defaults").into());
                Config::default()
            });
            settings.0.set(Some(config));
        });
        settings
    }
}

async fn fetch_config(url: &str) -> Result<Config, String> {
    let failed = |_| format!("{url} could not be fetched");
    let window = web_sys::window().ok_or("no window")?;
    // Revalidated on every start: the file changes without a rebuild.
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("no {url} (HTTP {})", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    // Servers with a single-page fallback answer a missing file with index.html.
    if text.trim_start().starts_with('<') {
        return Err(format!("no {url} (the server sent a web page instead)"));
    }
    Config::parse(&text).map_err(|e| format!("{url} is not a valid settings file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_settings_and_ignores_the_rest() {
        let config = Config::parse(
            r#"{"api_base_url": "https://relay.example.com/v1", "organization": "acme", "x": 1}"#,
        )
        .unwrap();
        assert_eq!(
            config.api_base_url.as_deref(),
            Some("https://relay.example.com/v1")
        );
        assert_eq!(config.organization.as_deref(), Some("acme"));
        assert_eq!(Config::parse("{}").unwrap(), Config::default());
    }

    #[test]
    fn malformed_files_are_explained() {
        assert!(Config::parse("<!doctype html>").is_err());
        assert!(Config::parse("[]").unwrap_err().contains("not an object"));
        assert_eq!(
            Config::parse(r#"{"organization": 7}"#).unwrap_err(),
            "`organization` is not a string"
        );
    }
}
