use crate::api::{ApiError, Client, ErrorKind, Organization};
use crate::components::ErrorMessage;
use crate::state::changes::{Change, Changes, Landing, Shown};
use crate::state::config::Deployment;
use crate::state::route::{Route, Router};
use crate::state::session::{default_base_url, Session, SessionState};
use leptos::prelude::*;

/// The connect page: API base URL, token and organization, checked before going on.
#[component]
pub fn Connect() -> impl IntoView {
    let state = expect_context::<SessionState>();
    let router = expect_context::<Router>();
    let deployment = expect_context::<Deployment>().0;
    let last = SessionState::last_connection();
    let fresh = last.base_url.is_empty();
    let base_url = RwSignal::new(if fresh {
        default_base_url()
    } else {
        last.base_url
    });
    let org = RwSignal::new(last.org);
    // The deployment's config.json, once read, replaces the built-in defaults; never what
    // the user typed or connected with before.
    Effect::new(move || {
        let Some(config) = deployment.get() else {
            return;
        };
        if fresh && base_url.get_untracked() == default_base_url() {
            if let Some(url) = config.api_base_url {
                base_url.set(url);
            }
        }
        if org.get_untracked().is_empty() {
            if let Some(slug) = config.organization {
                org.set(slug);
            }
        }
    });
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let changes = expect_context::<Changes>();
    let pending = move || changes.is_busy(&Change::Connect);
    // What stopped the connection: our own words, or the API's refusal.
    let problem = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    let orgs = RwSignal::new(Vec::<Organization>::new());
    // A connection's answer lands only while this page is on screen: the user may have gone
    // in another way (the sandbox) meanwhile, and that session must stay.
    let here = Shown::new().open();

    // Already connected (a reload, or a link to the connect page): go to the table.
    Effect::new(move || {
        if state.session.with(Option::is_some) {
            router.redirect(Route::Groups);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let base = base_url.get_untracked().trim().to_owned();
        let secret = token.get_untracked().trim().to_owned();
        let typed_org = org.get_untracked().trim().to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            problem.set(Some(
                "The API base URL must start with https:// (or http:// for a local server).".into(),
            ));
            return;
        }
        if secret.is_empty() {
            problem.set(Some("Paste a Platform API token.".into()));
            return;
        }
        problem.set(None);
        refusal.set(None);
        let remember = remember.get_untracked();
        let client = Client::new(&base, &typed_org, &secret);
        let _ = changes.run(
            Change::Connect,
            here,
            async move { connect(&client, &typed_org, orgs).await },
            Landing {
                confirmed: Box::new(|_| {}),
                shown: Box::new(move |outcome| match outcome {
                    Ok(Ok(slug)) => state.sign_in(Session {
                        base_url: base,
                        org: slug,
                        token: secret,
                        remember,
                    }),
                    Ok(Err(text)) => problem.set(Some(text)),
                    Err(e) => refusal.set(Some(e)),
                }),
                unseen: Box::new(drop),
            },
        );
    };

    view! {
        <main class="connect">
            <h1>"Groups Console"</h1>
            <p class="lede">"Manage the database groups of a Turso organization."</p>
            {move || state.notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <form on:submit=submit class="card" novalidate>
                <label for="connect-base-url">"API base URL"</label>
                <input id="connect-base-url" type="url" autocomplete="url"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev)) />
                <label for="connect-token">"Platform API token"</label>
                <input id="connect-token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby="connect-token-help"
                    prop:value=move || token.get()
                    on:input=move |ev| token.set(event_target_value(&ev)) />
                <p id="connect-token-help" class="help">
                    "Create one with " <code>"turso auth api-tokens mint"</code>
                    ". It stays in this tab unless you tick the box below."
                </p>
                <label for="connect-org">"Organization"</label>
                <input id="connect-org" type="text" list="connect-org-list" autocomplete="off"
                    placeholder="Leave empty to choose from your organizations"
                    prop:value=move || org.get()
                    on:input=move |ev| org.set(event_target_value(&ev)) />
                <datalist id="connect-org-list">
                    {move || orgs.get().into_iter().map(|o| {
                        let label = o.name.clone().unwrap_or_default();
                        view! { <option value=o.slug>{label}</option> }
                    }).collect_view()}
                </datalist>
                <label class="check">
                    <input id="connect-remember" type="checkbox"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    "Remember on this device (keeps the token in this browser's storage)"
                </label>
                <button id="connect-submit" type="submit" class="primary" disabled=pending>
                    {move || if pending() { "Connecting…" } else { "Connect" }}
                </button>
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                {move || refusal.get().map(|e| view! { <ErrorMessage error=e /> })}
            </form>
            <section class="card try-sandbox" aria-labelledby="try-sandbox-title">
                <h2 id="try-sandbox-title">"No account at hand?"</h2>
                <p>"The sandbox is a made-up organization that runs inside this page: every feature works, nothing reaches Turso, and changes stay in this browser until you reset them."</p>
                <button id="try-sandbox" type="button" on:click=move |_| state.sign_in(Session::in_page_sandbox())>
                    "Try the sandbox"
                </button>
            </section>
        </main>
    }
}

/// Checks the token, then settles on an organization the token can see. Answers the slug,
/// or (inside) why the input does not lead to one.
async fn connect(
    client: &Client,
    typed_org: &str,
    orgs: RwSignal<Vec<Organization>>,
) -> Result<Result<String, String>, ApiError> {
    client.validate_token().await?;
    let visible = match client.list_organizations().await {
        Ok(list) => list,
        // Some tokens may not list organizations; a typed one is then taken on trust and
        // the group list will say if it is wrong.
        Err(e)
            if !typed_org.is_empty()
                && matches!(e.kind, ErrorKind::Forbidden | ErrorKind::NotFound) =>
        {
            return Ok(Ok(typed_org.to_owned()))
        }
        Err(e) => return Err(e),
    };
    orgs.set(visible.clone());
    let slugs: Vec<&str> = visible.iter().map(|o| o.slug.as_str()).collect();
    Ok(match (typed_org.is_empty(), slugs.as_slice()) {
        (false, _) if slugs.contains(&typed_org) => Ok(typed_org.to_owned()),
        (true, [only]) => Ok((*only).to_owned()),
        (true, []) | (false, []) => Err("This token cannot see any organization.".into()),
        (true, _) => Err(format!(
            "Choose an organization: this token can see {}.",
            slugs.join(", ")
        )),
        (false, _) => Err(format!(
            "This token cannot see the organization “{typed_org}”. It can see {}.",
            slugs.join(", ")
        )),
    })
}
