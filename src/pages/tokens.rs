//! Group tokens: the generator (expiration, access, read ATTACH, the equivalent `curl`, and
//! the token shown once with what it says about itself) and the invalidation of them all.

use crate::api::calls::create_group_token;
use crate::api::{Access, ApiError, TableRule, TokenRequest};
use crate::components::{CopyButton, DialogActions, ErrorMessage, Modal};
use crate::rules::claims::decode_claims;
use crate::rules::cli::turso_command;
use crate::rules::curl::curl_command;
use crate::rules::expiration::{
    describe_span, format_expiration, join_span, parse_expiration, split_span, Expiration, PRESETS,
};
use crate::rules::names::database_list;
use crate::rules::permissions::{
    check_rules, describe_rules, role, RuleProblem, RuleRow, ACTIONS, ROLES,
};
use crate::state::changes::Change;
use crate::state::dialogs::GroupDialogs;
use crate::state::groups::{GroupsStore, Load, Outcome};
use leptos::prelude::*;

/// Now, in unix seconds.
fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A unix time as the browser writes a local date and time.
fn local_time(unix_seconds: u64) -> String {
    let date = js_sys::Date::new(&((unix_seconds as f64) * 1000.0).into());
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// When a token with this expiration would expire, or why the text is not one.
fn expiry_preview(text: &str) -> Result<String, String> {
    match parse_expiration(text).map_err(|p| p.to_string())? {
        Expiration::Never => Ok("The token will never expire.".into()),
        Expiration::After(seconds) => Ok(format!(
            "Expires {}, in {}.",
            local_time(now().saturating_add(seconds)),
            describe_span(seconds)
        )),
    }
}

/// Number boxes beside the API form: (label, index in `split_span`'s counts).
const BOXES: [(&str, usize); 4] = [("Weeks", 0), ("Days", 1), ("Hours", 2), ("Minutes", 3)];

/// What the user chose in the form; kept while the dialog is open, so "Create another"
/// starts from the same choices.
#[derive(Clone, Copy)]
struct Choices {
    /// The API form (`never`, `7d`, `2w1d30m`) is the one source of truth; the radios and
    /// boxes write into it.
    expiration: RwSignal<String>,
    custom: RwSignal<bool>,
    access: RwSignal<Access>,
    ticked: RwSignal<Vec<String>>,
    typed: RwSignal<String>,
    /// Table permission rules, each its own signal so typing in one redraws nothing else;
    /// the number names the row for the labels. Reference-counted: a row is made in a click
    /// handler, where no reactive owner would keep an arena signal alive.
    rules: RwSignal<Vec<(u32, ArcRwSignal<RuleRow>)>>,
}

impl Choices {
    fn new() -> Self {
        Choices {
            expiration: RwSignal::new("never".to_owned()),
            custom: RwSignal::new(false),
            access: RwSignal::new(Access::FullAccess),
            ticked: RwSignal::new(Vec::new()),
            typed: RwSignal::new(String::new()),
            rules: RwSignal::new(Vec::new()),
        }
    }

    /// The table rules as checked, or the first problem with the row it is in.
    fn table_rules(self) -> Result<Vec<TableRule>, (usize, RuleProblem)> {
        let rows: Vec<RuleRow> = self
            .rules
            .with(|r| r.iter().map(|(_, row)| row.get()).collect());
        check_rules(&rows)
    }

    /// The request these choices make, once the expiration grammar accepts the text.
    fn request(self) -> Result<TokenRequest, String> {
        // Sent as chosen or typed (a preset's `7d` stays `7d`).
        let expiration = self.expiration.with(|e| match parse_expiration(e) {
            Ok(Expiration::Never) => Ok(None),
            Ok(Expiration::After(_)) => Ok(Some(e.trim().to_owned())),
            Err(problem) => Err(problem.to_string()),
        })?;
        let table_rules = self
            .table_rules()
            .map_err(|(row, problem)| format!("Rule {}: {problem}", row + 1))?;
        Ok(TokenRequest {
            expiration,
            access: self.access.get(),
            read_attach: self
                .typed
                .with(|t| self.ticked.with(|d| database_list(d, t))),
            table_rules,
        })
    }
}

#[component]
pub fn TokenDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().token;
    let choices = Choices::new();
    // The token, shown once, only in the opening that asked for it; dropped when the dialog
    // closes.
    let minted = RwSignal::new(None::<String>);
    Effect::new(move || match dialog.group() {
        // Database choices belong to the group the dialog was open for.
        Some(_) => choices.ticked.set(Vec::new()),
        None => minted.set(None),
    });
    let name = move || dialog.name();
    let close = dialog.closer(store);
    view! {
        <Modal id="create-token" title=Signal::derive(move || format!("Create a token for “{}”", name()))
            open=Signal::derive(move || dialog.is_open()) on_close=close>
            {move || match minted.get() {
                Some(jwt) => view! {
                    <TokenResult jwt on_another=Callback::new(move |_| minted.set(None)) on_done=close />
                }.into_any(),
                None => view! { <TokenForm choices minted on_cancel=close /> }.into_any(),
            }}
        </Modal>
    }
}

/// The generator: expiration, access, read ATTACH and the equivalent `curl`.
#[component]
fn TokenForm(
    choices: Choices,
    minted: RwSignal<Option<String>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().token;
    // The read-ATTACH choices: the databases of the group the dialog is open for, never
    // those of a group it was open for before.
    let databases = store.read(
        move || dialog.group(),
        |c, name| async move { c.list_databases(&name).await },
    );
    let refusal = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        if dialog.is_open() {
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    // The same request as curl and as the turso CLI's command (or why the CLI has none).
    // No command for the in-page sandbox: there is no URL that curl could reach.
    let commands = move || {
        let client = store.client();
        let request = choices.request().ok().filter(|_| !client.is_in_page());
        request.map(|r| {
            let call = create_group_token(client.org(), &name(), &r);
            let turso = turso_command(&call.request)
                .unwrap_or_else(|why| format!("# no turso command: {why}"));
            (curl_command(client.base_url(), &call.request), turso)
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(token) = choices.request() else {
            return;
        };
        let name = dialog.name_untracked();
        refusal.set(None);
        let from = dialog.opening();
        store.change(
            Change::Token(name.clone()),
            from,
            {
                let name = name.clone();
                move |c| async move { c.create_group_token(&name, &token).await }
            },
            // A token whose dialog is gone is never shown, anywhere: the user is told it
            // exists, and how to make it stop working.
            move |_| {
                if !from.on_screen() {
                    store.report(Outcome::Done(format!(
                        "A token for “{name}” was created after its dialog was closed, so it \
                         was not shown. If it should not work, invalidate the group's tokens \
                         (Invalidate tokens… on the group's page)."
                    )));
                }
            },
            move |result| match result {
                Ok(jwt) => minted.set(Some(jwt)),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let busy = move || store.is_busy(&Change::Token(name()));
    let Choices {
        access,
        ticked,
        typed,
        ..
    } = choices;
    let access_choice = move |value: Access, id: &'static str, label: &'static str| {
        view! {
            <label class="choice"><input type="radio" name="token-access" id=id checked=access.get_untracked() == value
                on:change=move |_| access.set(value) />{label}</label>
        }
    };
    view! {
        <form on:submit=submit novalidate>
            <ExpirationField expiration=choices.expiration custom=choices.custom />
            <fieldset>
                <legend>"Access"</legend>
                <div class="choices">
                    {access_choice(Access::FullAccess, "token-full", "Full access")}
                    {access_choice(Access::ReadOnly, "token-read-only", "Read-only")}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Read ATTACH"</legend>
                <p class="help">"Databases this token may also read with ATTACH."</p>
                {move || match databases.state.get() {
                    Load::Loading => view! { <p class="loading">"Listing the group's databases…"</p> }.into_any(),
                    Load::Failed(e) => view! { <ErrorMessage error=e retry=Callback::new(move |_| databases.retry()) /> }.into_any(),
                    Load::Ready(list) => view! {
                        <div class="choices" id="token-attach">
                            {list.into_iter().map(|d| {
                                let db = d.name;
                                let shown = db.clone();
                                view! {
                                    <label class="choice"><input type="checkbox" value=db.clone()
                                        checked=ticked.with_untracked(|t| t.contains(&db))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            ticked.update(|t| {
                                                t.retain(|n| *n != db);
                                                if on { t.push(db.clone()) }
                                            });
                                        } />{shown}</label>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }}
                <label for="token-attach-typed">"Other databases, separated by commas"</label>
                <input id="token-attach-typed" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </fieldset>
            <TableRules rules=choices.rules />
            {move || commands().map(|(curl, turso)| view! {
                <details class="curl">
                    <summary>"Equivalent curl command"</summary>
                    <pre><code id="token-curl">{curl.clone()}</code></pre>
                    <CopyButton text=curl label="Copy command" />
                </details>
                <details class="curl">
                    <summary>"Equivalent turso command"</summary>
                    <pre><code id="token-turso">{turso.clone()}</code></pre>
                    <CopyButton text=turso label="Copy turso command" />
                </details>
            })}
            <DialogActions submit_id="token-submit" label="Create token" busy_label="Creating…"
                busy=Signal::derive(busy) blocked=Signal::derive(move || choices.request().is_err())
                refusal on_cancel />
        </form>
    }
}

/// Fine-grained permissions: rules of (every table | named tables) × actions, added and
/// removed as rows, with the docs' roles as starting points. No rule: no table limits.
#[component]
fn TableRules(rules: RwSignal<Vec<(u32, ArcRwSignal<RuleRow>)>>) -> impl IntoView {
    let next = StoredValue::new(rules.with_untracked(|r| r.len() as u32));
    let add = move |row: RuleRow| {
        let id = next.get_value() + 1;
        next.set_value(id);
        rules.update(|r| r.push((id, ArcRwSignal::new(row))));
    };
    let role_button = move |(label, actions): (&'static str, &'static [&'static str])| {
        view! {
            <button type="button" class="small" on:click=move |_| { rules.set(Vec::new()); add(role(actions)); }>{label}</button>
        }
    };
    view! {
        <fieldset id="token-rules">
            <legend>"Table permissions"</legend>
            <p class="help">"Limit the token to some actions, on every table or on the ones named. With no rule, only Access above applies."</p>
            <div class="choices" role="group" aria-label="Start from a role">
                {ROLES.into_iter().map(role_button).collect_view()}
            </div>
            // Drawn again only when a rule is added or removed: typing changes a row's own
            // signal, so the field being typed in stays.
            <ol class="rules">
                {move || rules.get().into_iter().map(|(id, row)| {
                    // A handle for this drawing of the list; the row itself lives in `rules`.
                    let row = RwSignal::from(row);
                    let problem = move || row.with(|r| r.check().err().map(|p| p.to_string()));
                    let tables_id = format!("rule-{id}-tables");
                    view! {
                        <li class="rule" data-rule=id>
                            <label class="choice"><input type="checkbox" class="rule-all"
                                prop:checked=move || row.with(|r| r.all_tables)
                                on:change=move |ev| row.update(|r| r.all_tables = event_target_checked(&ev)) />"Every table"</label>
                            <span class="rule-tables" hidden=move || row.with(|r| r.all_tables)>
                                <label for=tables_id.clone()>"Tables, separated by commas"</label>
                                <input id=tables_id type="text" autocomplete="off" spellcheck="false"
                                    prop:value=move || row.with(|r| r.tables.clone())
                                    on:input=move |ev| row.update(|r| r.tables = event_target_value(&ev)) />
                            </span>
                            <fieldset class="choices">
                                <legend class="visually-hidden">"Actions"</legend>
                                {ACTIONS.into_iter().map(|action| view! {
                                    <label class="choice"><input type="checkbox" value=action
                                        prop:checked=move || row.with(|r| r.actions.contains(&action))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            row.update(|r| {
                                                r.actions.retain(|a| *a != action);
                                                if on { r.actions.push(action) }
                                            });
                                        } /><code>{action}</code></label>
                                }).collect_view()}
                            </fieldset>
                            {move || problem().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                            <button type="button" class="small" aria-label=format!("Remove rule {id}")
                                on:click=move |_| rules.update(|r| r.retain(|(i, _)| *i != id))>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <button type="button" id="token-rule-add" class="small" on:click=move |_| add(RuleRow::default())>"Add a rule"</button>
        </fieldset>
    }
}

/// When the token expires: never, a preset, or a custom span in boxes or the API's form,
/// with a preview of the date.
#[component]
fn ExpirationField(expiration: RwSignal<String>, custom: RwSignal<bool>) -> impl IntoView {
    let set_box = move |index: usize, value: String| {
        let mut counts = parse_expiration(&expiration.get_untracked())
            .ok()
            .and_then(|e| match e {
                Expiration::After(s) => Some(split_span(s)),
                Expiration::Never => None,
            })
            .unwrap_or_default();
        counts[index] = value.trim().parse().unwrap_or(0);
        expiration.set(join_span(counts).map_or_else(|| "too long".into(), format_expiration));
    };
    let box_value = move |index: usize| {
        expiration.with(|e| match parse_expiration(e) {
            Ok(Expiration::After(s)) => split_span(s)[index].to_string(),
            _ => String::new(),
        })
    };
    // Radios are left to the browser once drawn: they only change when clicked, and are
    // drawn again from the signals when the form comes back ("Create another").
    let choice = move |value: &'static str, label: &'static str| {
        let checked = !custom.get_untracked() && expiration.with_untracked(|e| e == value);
        view! {
            <label class="choice"><input type="radio" name="token-expiry" value=value checked=checked
                on:change=move |_| { custom.set(false); expiration.set(value.into()) } />{label}</label>
        }
    };
    let preview = move || expiration.with(|e| expiry_preview(e));
    view! {
        <fieldset>
            <legend>"Expiration"</legend>
            <div class="choices">
                {choice("never", "Never")}
                {PRESETS.iter().map(|&(label, value)| choice(value, label)).collect_view()}
                <label class="choice"><input type="radio" name="token-expiry" id="token-exp-custom"
                    checked=custom.get_untracked()
                    on:change=move |_| {
                        custom.set(true);
                        if expiration.with(|e| e == "never") { expiration.set(String::new()) }
                    } />"Custom"</label>
            </div>
            <div class="span-boxes" hidden=move || !custom.get()>
                {BOXES.iter().map(|&(label, index)| view! {
                    <label>{label}<input type="number" min="0" step="1" inputmode="numeric"
                        prop:value=move || box_value(index)
                        on:input=move |ev| set_box(index, event_target_value(&ev)) /></label>
                }).collect_view()}
                <label for="token-expiration">"Or in the API's form (w, d, h, m, s), e.g. 2w1d30m"</label>
                <input id="token-expiration" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="token-expiry-preview"
                    prop:value=move || expiration.get()
                    on:input=move |ev| expiration.set(event_target_value(&ev)) />
            </div>
            <p id="token-expiry-preview" aria-live="polite" class=move || if preview().is_ok() { "help" } else { "error" }>
                {move || preview().unwrap_or_else(|problem| problem)}
            </p>
        </fieldset>
    }
}

/// The token, shown once, with what it says about itself. Hidden until "Show"; the panel
/// forgets it when the dialog closes.
#[component]
fn TokenResult(jwt: String, on_another: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let claims = decode_claims(&jwt);
    view! {
        <div class="token-result">
            <p class="warning" role="status">"Copy the token now: it is shown only this once, and the panel forgets it when this dialog closes."</p>
            <label for="token-value">"Token"</label>
            <div class="token-row">
                <input id="token-value" readonly autocomplete="off" spellcheck="false"
                    type=move || if revealed.get() { "text" } else { "password" } prop:value=jwt.clone() />
                <button type="button" id="token-reveal" aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|r| *r = !*r)>{move || if revealed.get() { "Hide" } else { "Show" }}</button>
                <CopyButton text=jwt label="Copy token" />
            </div>
            <h3>"What the token says"</h3>
            {match claims {
                Ok(c) => view! {
                    <dl class="fields" id="token-claims">
                        <dt>"Access"</dt>
                        <dd>{if c.read_only { "Read-only" } else { "Full access" }}</dd>
                        <dt>"Expires"</dt>
                        <dd>{match c.expires_at {
                            Some(at) => format!("{} (in {})", local_time(at), describe_span(at.saturating_sub(now()))),
                            None => "Never".into(),
                        }}</dd>
                        <dt>"Read ATTACH"</dt>
                        <dd>{if c.read_attach.is_empty() { "No other databases".into() } else { c.read_attach.join(", ") }}</dd>
                        <dt>"Table permissions"</dt>
                        <dd id="token-claims-rules">{if c.table_rules.is_empty() { "No table limits".into() } else { describe_rules(&c.table_rules) }}</dd>
                    </dl>
                }.into_any(),
                Err(problem) => view! { <p class="error">"Its claims could not be read: "{problem}</p> }.into_any(),
            }}
            <div class="dialog-actions">
                <button type="button" id="token-another" on:click=move |_| on_another.run(())>"Create another"</button>
                <button type="button" class="primary" on:click=move |_| on_done.run(())>"Done"</button>
            </div>
        </div>
    }
}

#[component]
pub fn RotateDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().rotate;
    let refusal = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        if dialog.is_open() {
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    let busy = move || store.is_busy(&Change::Rotate(name()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = dialog.name_untracked();
        refusal.set(None);
        store.change(
            Change::Rotate(name.clone()),
            dialog.opening(),
            {
                let name = name.clone();
                move |c| async move { c.rotate_group_tokens(&name).await }
            },
            move |_| {
                store.report(Outcome::Done(format!(
                    "Every earlier token for “{name}” and its databases has stopped working."
                )))
            },
            move |result| match result {
                Ok(()) => dialog.close(),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let close = dialog.closer(store);
    view! {
        <Modal id="rotate-tokens" title=Signal::derive(move || format!("Invalidate the tokens of “{}”", name()))
            open=Signal::derive(move || dialog.is_open()) on_close=close>
            <form on:submit=submit novalidate>
                <p>"Every token created for this group and its databases stops working at once, and connections that use them drop."</p>
                <p class="warning">"Applications cannot connect again until they are given a new token."</p>
                <DialogActions submit_id="rotate-submit" label="Invalidate all tokens" busy_label="Invalidating…" danger=true
                    busy=Signal::derive(busy) refusal on_cancel=close />
            </form>
        </Modal>
    }
}
