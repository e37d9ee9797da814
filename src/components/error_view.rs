use crate::api::{ApiError, ErrorKind};
use leptos::prelude::*;

/// An API failure in words: what happened, the server's own message (as text), and Retry
/// when the caller can try again.
#[component]
pub fn ErrorMessage(
    error: ApiError,
    /// Called by the Retry button; no button without it.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let status = error.status.map(|s| format!(" (HTTP {s})"));
    let wait = error.retry_after.map(|s| format!(" Try again in {s} s."));
    let detail = (!error.message.is_empty()).then(|| error.message.clone());
    let advice = error.plan_advice();
    view! {
        <div class="error" role="alert">
            <p class="error-headline">{error.headline()}{status}{wait}</p>
            {detail.map(|d| view! { <p class="error-detail">{d}</p> })}
            {advice.map(|a| view! { <p class="error-detail">{a}</p> })}
            {(error.kind == ErrorKind::Network).then(|| view! {
                <p class="error-detail">"If the network is fine, the API refuses calls from this site. Ways through: open the panel through its relay ("<code>"cargo xtask run --relay https://api.turso.tech"</code>"), which forwards the API on the panel's own origin, or use Try the sandbox."</p>
            })}
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
        </div>
    }
}
