//! The deployment's settings: an optional `config.json` beside `index.html`, so one build
//! serves many deployments. It may set `api_base_url` and `organization`, the defaults the
//! connect form offers. A missing or malformed file leaves the built-in defaults and says
//! why in the console; it never stops the panel.

use leptos::prelude::*;

/// Unknown members are ignored, so newer files work too.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Config {
    #[serde(default)]
    pub api_base_url: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        // serde would also read a struct from an array of its fields in order.
        if !text.trim_start().starts_with('{') {
            return Err("not a JSON object".to_owned());
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
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
    let text = crate::api::fetch_file(url).await?;
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
        assert!(Config::parse("[]").is_err());
        let wrong = Config::parse(r#"{"organization": 7}"#).unwrap_err();
        assert!(wrong.contains("invalid type: integer `7`"), "{wrong}");
    }
}
