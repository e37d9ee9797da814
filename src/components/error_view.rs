use crate::api::ApiError;
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
    let detail = (!error.message.is_empty()).then(|| error.message.clone());
    view! {
        <div class="error" role="alert">
            <p class="error-headline">{error.headline()}{status}</p>
            {detail.map(|d| view! { <p class="error-detail">{d}</p> })}
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
        </div>
    }
}
