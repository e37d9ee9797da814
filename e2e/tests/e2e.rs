//! End-to-end tests: the release build of Groups Console, served by the sandbox, driven in
//! headless Chromium through chromedriver.
//!
//! `cargo xtask test` sets everything up and runs these with
//! `E2E_BASE_URL` (the sandbox serving dist/ and /v1), `WEBDRIVER_URL` (chromedriver) and
//! `E2E_SCREENSHOT` (where to save a screenshot of the groups page), with `--include-ignored`.
//! A plain `cargo test --workspace` skips them and says so (they are `#[ignore]`d), rather
//! than counting them as passed; run without that setup, they fail.
//!
//! Tests never sleep to synchronise: every wait polls for a condition with a deadline and,
//! when it runs out, says what it was waiting for and what the page showed.

use std::ops::AsyncFnOnce;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// How long any single wait may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);
const TOKEN: &str = "sandbox-token";
const ORG: &str = "acme";
const GROUPS_PATH: &str = "/v1/organizations/acme/groups";
/// WebDriver key codes.
const ENTER: &str = "\u{e007}";
const ESCAPE: &str = "\u{e00c}";
const TAB: &str = "\u{e004}";
/// Control+A, release, Backspace: empties a field the way a user does (an input event).
const SELECT_ALL_DELETE: &str = "\u{e009}a\u{e000}\u{e003}";
const END: &str = "\u{e010}";
const HOME: &str = "\u{e011}";

/// The tests share one sandbox, whose state they reset: one at a time, also when the harness
/// runs them on several threads.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

type Res<T = ()> = Result<T, String>;

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

/// axe-core on every screen and open dialog, in light and dark, at desktop and phone width:
/// prints a table of violations per screen and look, and fails unless every cell is 0.
#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn axe_finds_nothing_on_any_screen_theme_or_width() {
    let found = std::sync::Mutex::new(Vec::<Audit>::new());
    for look in Look::ALL {
        let name = format!("axe audit, {}", look.label());
        e2e_in(&name, look, async |b: &Browser| {
            audit_every_screen(b, look, &found).await
        })
        .await;
    }
    let found = found.into_inner().unwrap();
    let mut table = format!("{:<28}", "screen");
    for look in Look::ALL {
        table.push_str(&format!("{:>12}", look.label()));
    }
    let mut screens: Vec<&str> = Vec::new();
    for audit in &found {
        if !screens.contains(&audit.screen.as_str()) {
            screens.push(&audit.screen);
        }
    }
    for screen in &screens {
        table.push_str(&format!("\n{screen:<28}"));
        for look in Look::ALL {
            let cell = found
                .iter()
                .find(|a| a.screen == *screen && a.look == look.label())
                .map_or("-".to_string(), |a| a.violations.len().to_string());
            table.push_str(&format!("{cell:>12}"));
        }
    }
    println!("axe-core violations per screen and look:\n{table}");
    let details: Vec<String> = found
        .iter()
        .flat_map(|a| {
            a.violations
                .iter()
                .map(move |v| format!("{} ({}): {v}", a.screen, a.look))
        })
        .collect();
    assert!(details.is_empty(), "violations:\n{}", details.join("\n"));
    assert_eq!(screens.len(), 19, "every screen was audited: {screens:?}");
}

/// One screen in one look: what axe-core found there.
struct Audit {
    screen: String,
    look: String,
    violations: Vec<String>,
}

/// Walks through every screen and dialog, auditing each.
async fn audit_every_screen(b: &Browser, look: Look, found: &std::sync::Mutex<Vec<Audit>>) -> Res {
    let audit = async |screen: &str| -> Res {
        let violations = b.axe().await?;
        found.lock().unwrap().push(Audit {
            screen: screen.into(),
            look: look.label(),
            violations,
        });
        Ok(())
    };
    let close = async |dialog: &str| -> Res {
        b.click(&format!("dialog#{dialog}[open] .dialog-header button"))
            .await?;
        b.wait_gone(&format!("dialog#{dialog}[open]")).await
    };
    b.sandbox_reset().await?;
    b.goto("/").await?;
    b.wait_for("#connect-submit").await?;
    let dark = b
        .eval(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await?;
    if dark != Value::Bool(look.dark) {
        return Err(format!(
            "the browser was meant to prefer dark={}",
            look.dark
        ));
    }
    audit("connect").await?;
    b.connect_as(ORG).await?;
    audit("group table").await?;
    b.click("#groups-map").await?;
    b.wait_for(".map circle[role=button]").await?;
    b.click(".map-list summary").await?;
    b.wait_for(".map-list[open] button").await?;
    audit("group table with its map").await?;
    b.click("#groups-map").await?;
    b.wait_gone(".map").await?;

    b.click("#new-group").await?;
    b.wait_for("dialog#create-group[open]").await?;
    audit("create group").await?;
    b.click("#create-location").await?;
    b.wait_for("#create-location[aria-expanded='true']").await?;
    audit("create group, picker open").await?;
    close("create-group").await?;

    b.click(r#"button[aria-label="Create a token for default"]"#)
        .await?;
    b.wait_for("dialog#create-token[open] #token-attach")
        .await?;
    audit("token form").await?;
    // Table permissions: a role's rule, and a new one that still names no table (its error).
    b.click("#token-rules button").await?;
    b.click("#token-rule-add").await?;
    b.wait_for("#token-rules li.rule:nth-child(2) .error")
        .await?;
    audit("token form with table rules").await?;
    b.click("#token-rules li.rule:nth-child(2) > button")
        .await?;
    b.wait_gone("#token-rules li.rule:nth-child(2)").await?;
    b.click("#token-submit").await?;
    b.wait_for("#token-value").await?;
    audit("token result").await?;
    close("create-token").await?;

    b.click(r#"button[aria-label="Transfer default"]"#).await?;
    b.wait_for("dialog#transfer-group[open]").await?;
    audit("transfer").await?;
    close("transfer-group").await?;

    b.click(r#"button[aria-label="Delete default"]"#).await?;
    b.wait_for_text("dialog#delete-group[open]", "will be destroyed")
        .await?;
    audit("delete").await?;
    close("delete-group").await?;

    b.click("#activity-open").await?;
    b.wait_for_text("dialog#activity[open]", "Create token")
        .await?;
    audit("activity").await?;
    close("activity").await?;

    b.click("#history-open").await?;
    b.wait_for("dialog#history[open] .history-entry").await?;
    audit("history").await?;
    close("history").await?;

    b.click("tr[data-group='default'] input.select").await?;
    b.wait_for_text("#bulk-count", "1 selected").await?;
    b.click("#bulk-delete").await?;
    b.wait_for_text("dialog#bulk[open]", "databases in all")
        .await?;
    audit("bulk delete").await?;
    close("bulk").await?;
    b.click("#bulk-clear").await?;

    b.click("tr[data-group='eu-replicated'] a").await?;
    b.wait_for("#databases-table").await?;
    b.wait_for(".map svg[role=img] circle.primary").await?;
    b.wait_for(".group-history .history-entry").await?;
    audit("group page").await?;
    b.click("#group-rename").await?;
    b.wait_for("dialog#rename-group[open]").await?;
    audit("rename").await?;
    close("rename-group").await?;
    b.click("#group-version").await?;
    b.wait_for("dialog#version-group[open]").await?;
    audit("version").await?;
    close("version-group").await?;
    b.click("#group-rotate").await?;
    b.wait_for("dialog#rotate-tokens[open]").await?;
    audit("invalidate tokens").await?;
    close("rotate-tokens").await?;
    b.click("#group-locations .chip[data-code='aws-us-east-1'] .chip-remove")
        .await?;
    b.wait_for("dialog#remove-location[open]").await?;
    audit("remove location").await?;
    close("remove-location").await?;

    b.click("#sign-out").await?;
    b.click("#try-sandbox").await?;
    b.wait_for("table#groups-table tbody tr[data-group]")
        .await?;
    audit("in-page sandbox").await
}

/// Connect, create a group with the picker, add a location, create a token and delete the
/// group with the keyboard alone, and a visible focus ring on each control on the way.
#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn keyboard_alone_from_connect_to_delete() {
    e2e(
        "keyboard_alone_from_connect_to_delete",
        async |b: &Browser| {
            b.sandbox_reset().await?;
            b.goto("/").await?;
            b.wait_for("#connect-submit").await?;
            b.tab_to("#connect-token").await?;
            b.keys(TOKEN).await?;
            b.tab_to("#connect-org").await?;
            b.keys(ORG).await?;
            b.keys(ENTER).await?;
            b.wait_for("table#groups-table tbody tr[data-group]")
                .await?;

            b.tab_to("#new-group").await?;
            b.keys(ENTER).await?;
            b.wait_for("dialog#create-group[open]").await?;
            b.tab_to("#create-name").await?;
            b.keys("kbd-group").await?;
            b.tab_to("#create-location").await?;
            b.keys("ireland").await?;
            b.wait_for("#create-location[aria-expanded='true']").await?;
            b.keys(ENTER).await?;
            b.wait_for_text(".picker-chosen", "aws-eu-west-1").await?;
            b.tab_to("#create-submit").await?;
            b.keys(ENTER).await?;
            b.wait_for("tr[data-group='kbd-group']").await?;

            b.tab_to("tr[data-group='kbd-group'] a").await?;
            b.keys(ENTER).await?;
            b.wait_for("#group-uuid").await?;
            b.tab_to("#add-location").await?;
            b.keys("frankfurt").await?;
            b.keys(ENTER).await?;
            b.tab_to("#add-location-submit").await?;
            b.keys(ENTER).await?;
            b.wait_for("#group-locations .chip[data-code='aws-eu-central-1']")
                .await?;

            b.tab_to("#group-token").await?;
            b.keys(ENTER).await?;
            b.wait_for("dialog#create-token[open]").await?;
            b.tab_to("#token-submit").await?;
            b.keys(ENTER).await?;
            b.wait_for("#token-value").await?;
            b.keys(ESCAPE).await?;
            b.wait_gone("dialog#create-token[open]").await?;

            b.tab_to("#group-delete").await?;
            b.keys(ENTER).await?;
            b.wait_for("dialog#delete-group[open]").await?;
            b.wait_for_text("dialog#delete-group", "no databases")
                .await?;
            b.tab_to("#delete-confirm").await?;
            b.keys("kbd-group").await?;
            b.tab_to("#delete-submit:enabled").await?;
            b.keys(ENTER).await?;
            b.wait_for_path("/groups").await?;
            b.wait_gone("tr[data-group='kbd-group']").await?;
            let log = b.sandbox_requests().await?;
            exactly_one(&log, "DELETE", &format!("{GROUPS_PATH}/kbd-group"))?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn connect_create_reload() {
    e2e("connect_create_reload", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;

        let base_url = b.value("#connect-base-url").await?;
        let expected = format!("{}/v1", b.base);
        if base_url != expected {
            return Err(format!(
                "#connect-base-url should be prefilled with `{expected}` when served from \
                 127.0.0.1, but holds `{base_url}`"
            ));
        }
        b.fill("#connect-token", TOKEN).await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for(r#"table#groups-table tbody tr[data-group="default"]"#)
            .await?;
        b.wait_for_path("/groups").await?;

        let log = b.sandbox_requests().await?;
        for path in ["/v1/auth/validate", GROUPS_PATH] {
            let hit = find_request(&log, "GET", path)
                .ok_or_else(|| format!("no GET {path} in the sandbox log:\n{}", brief(&log)))?;
            expect_bearer(hit, TOKEN)?;
        }

        b.click("#new-group").await?;
        b.wait_for("dialog#create-group[open]").await?;
        b.fill("#create-name", "e2e-group").await?;
        b.fill("#create-location", "ireland").await?;
        b.click(r#"#create-location-list [role="option"][data-code="aws-eu-west-1"]"#)
            .await?;
        b.click("#create-submit").await?;
        b.wait_for_text(r#"tr[data-group="e2e-group"]"#, "aws-eu-west-1")
            .await?;
        b.wait_gone("dialog#create-group[open]").await?;

        let log = b.sandbox_requests().await?;
        let posts: Vec<(usize, &Value)> = log
            .iter()
            .enumerate()
            .filter(|(_, r)| is_request(r, "POST", GROUPS_PATH))
            .collect();
        let [(post_at, post)] = posts[..] else {
            return Err(format!(
                "expected exactly one POST {GROUPS_PATH}, the sandbox saw {}:\n{}",
                posts.len(),
                brief(&log)
            ));
        };
        expect_bearer(post, TOKEN)?;
        let body = body_json(post);
        let wanted = json!({"name": "e2e-group", "location": "aws-eu-west-1"});
        if body != wanted {
            return Err(format!(
                "POST {GROUPS_PATH} sent {body}, expected exactly {wanted}"
            ));
        }
        if let Some(later) = log[post_at + 1..]
            .iter()
            .find(|r| is_request(r, "GET", GROUPS_PATH))
        {
            return Err(format!(
                "the groups list was fetched again after the create ({}); the new row should \
                 come from the create response",
                summary(later)
            ));
        }

        b.client
            .refresh()
            .await
            .map_err(|e| format!("reload: {e}"))?;
        b.wait_for_text(r#"tr[data-group="e2e-group"]"#, "aws-eu-west-1")
            .await?;
        b.wait_for_path("/groups").await?;

        if let Some(path) = std::env::var_os("E2E_SCREENSHOT").filter(|p| !p.is_empty()) {
            b.save_screenshot(Path::new(&path)).await?;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn bad_token_is_refused() {
    e2e("bad_token_is_refused", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;
        b.fill("#connect-token", "nope").await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for_text(r#"[role="alert"]"#, "invalid number of segments")
            .await?;

        let org = b.value("#connect-org").await?;
        if org != ORG {
            return Err(format!(
                "after the refusal #connect-org holds `{org}`, expected what was typed (`{ORG}`)"
            ));
        }
        let path = b.path().await?;
        if path != "/" {
            return Err(format!(
                "after the refusal the URL path is `{path}`, expected `/`"
            ));
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn deep_link_reload() {
    e2e("deep_link_reload", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;
        b.fill("#connect-token", TOKEN).await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for(r#"tr[data-group="default"]"#).await?;

        // A fresh page load of the deep link: the server's SPA fallback plus the stored session.
        b.goto("/groups").await?;
        b.wait_for(r#"table#groups-table tbody tr[data-group="default"]"#)
            .await?;
        b.wait_for_path("/groups").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn deep_link_group_page_after_reload() {
    e2e("deep_link_group_page_after_reload", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.connect_as(ORG).await?;

        // The group page's address typed in, then reloaded: the SPA fallback serves it and
        // the session comes back from sessionStorage.
        b.goto("/groups/eu-replicated").await?;
        b.wait_for_path("/groups/eu-replicated").await?;
        b.wait_for(r#"#databases-table tr[data-database="catalog"]"#)
            .await?;
        b.client
            .refresh()
            .await
            .map_err(|e| format!("reload: {e}"))?;
        b.wait_for_path("/groups/eu-replicated").await?;
        b.wait_for(r#"#databases-table tr[data-database="catalog"]"#)
            .await?;
        let uuid = b.text("#group-uuid").await?;
        if uuid.trim().is_empty() {
            return Err("after the reload #group-uuid is empty".into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn add_and_remove_a_location() {
    e2e("add_and_remove_a_location", async |b: &Browser| {
        const ADDED: &str = "aws-eu-west-1";
        let path = format!("{GROUPS_PATH}/default/locations/{ADDED}");
        let added_chip = format!(r#"#group-locations .chip[data-code="{ADDED}"]"#);

        b.sandbox_reset().await?;
        b.connect_as(ORG).await?;
        b.click(r#"tr[data-group="default"] a"#).await?;
        b.wait_for_path("/groups/default").await?;
        b.wait_for(r#"#group-locations .chip[data-code="aws-us-east-1"]"#)
            .await?;
        let primary_remove = b
            .count(r#"#group-locations .chip[data-code="aws-us-east-1"] .chip-remove"#)
            .await?;
        if primary_remove != 0 {
            return Err(format!(
                "the primary location's chip (aws-us-east-1) has {primary_remove} remove \
                 button(s); the primary cannot be removed"
            ));
        }

        // Choose with the keyboard: type, wait for the option, Enter.
        b.fill("#add-location", "ireland").await?;
        b.wait_for(&format!(
            r#"#add-location-list [role="option"][data-code="{ADDED}"]"#
        ))
        .await?;
        b.press("#add-location", ENTER).await?;
        b.wait_for_text(".picker-chosen", ADDED).await?;
        b.click("#add-location-submit:enabled").await?;
        b.wait_for(&added_chip).await?;

        let log = b.sandbox_requests().await?;
        let post = exactly_one(&log, "POST", &path)?;
        expect_bearer(post, TOKEN)?;

        // Remove it: the chip's button, then the confirmation.
        b.click(&format!("{added_chip} .chip-remove")).await?;
        b.wait_for("dialog#remove-location[open]").await?;
        b.click("#remove-location-submit").await?;
        b.wait_gone(&added_chip).await?;
        b.wait_gone("dialog#remove-location[open]").await?;
        b.wait_for(r#"#group-locations .chip[data-code="aws-us-east-1"]"#)
            .await?;

        let log = b.sandbox_requests().await?;
        exactly_one(&log, "POST", &path)?;
        let delete = exactly_one(&log, "DELETE", &path)?;
        expect_bearer(delete, TOKEN)?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn transfer_and_find_it_in_the_other_org() {
    e2e(
        "transfer_and_find_it_in_the_other_org",
        async |b: &Browser| {
            const MOVED: &str = "eu-replicated";
            let row = format!(r#"tr[data-group="{MOVED}"]"#);

            b.sandbox_reset().await?;
            b.connect_as(ORG).await?;
            b.wait_for(&row).await?;
            b.click(&format!(r#"button[aria-label="Transfer {MOVED}"]"#))
                .await?;
            b.wait_for("dialog#transfer-group[open]").await?;
            b.fill("#transfer-org", "globex").await?;
            b.click("#transfer-submit").await?;
            b.wait_gone(&row).await?;
            b.wait_for_text(
                ".outcome",
                &format!("Group “{MOVED}” moved to organization “globex”."),
            )
            .await?;
            b.wait_gone("dialog#transfer-group[open]").await?;

            let log = b.sandbox_requests().await?;
            let transfer = exactly_one(&log, "POST", &format!("{GROUPS_PATH}/{MOVED}/transfer"))?;
            let body = body_json(transfer);
            let wanted = json!({"organization": "globex"});
            if body != wanted {
                return Err(format!("the transfer sent {body}, expected {wanted}"));
            }

            b.click("#sign-out").await?;
            b.wait_for_path("/").await?;
            b.wait_for("#connect-submit").await?;
            let org = b.value("#connect-org").await?;
            if org != ORG {
                return Err(format!(
                "after signing out #connect-org holds `{org}`, expected it prefilled with `{ORG}`"
            ));
            }
            let token = b.value("#connect-token").await?;
            if !token.is_empty() {
                return Err(format!(
                    "after signing out #connect-token still holds `{token}`"
                ));
            }
            let kept = b
                .eval(
                    "const token = arguments[0];
                 const kept = [];
                 for (const store of [sessionStorage, localStorage])
                     for (let i = 0; i < store.length; i++) {
                         const key = store.key(i);
                         if ((store.getItem(key) || '').includes(token)) kept.push(key);
                     }
                 return kept;",
                    vec![json!(TOKEN)],
                )
                .await?;
            if kept.as_array().is_none_or(|k| !k.is_empty()) {
                return Err(format!(
                    "after signing out the token is still in the browser's storage under {kept}"
                ));
            }

            b.connect_as("globex").await?;
            b.wait_for(&format!(r#"table#groups-table tbody {row}"#))
                .await?;
            b.wait_for(r#"tr[data-group="analytics"]"#).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn protection_blocks_delete_then_delete() {
    e2e("protection_blocks_delete_then_delete", async |b: &Browser| {
        let switch = r#"tr[data-group="default"] input[aria-label="Delete protection for default"]"#;
        let default_path = format!("{GROUPS_PATH}/default");

        b.sandbox_reset().await?;
        b.connect_as(ORG).await?;
        b.wait_for(&format!("{switch}:not(:checked)")).await?;
        b.click(switch).await?;
        b.wait_for(&format!("{switch}:checked")).await?;
        let log = b.sandbox_requests().await?;
        let patch = exactly_one(&log, "PATCH", &format!("{default_path}/configuration"))?;
        let body = body_json(patch);
        if body != json!({"delete_protection": true}) {
            return Err(format!(
                "the protection switch sent {body}, expected {{\"delete_protection\":true}}"
            ));
        }

        b.click(r#"button[aria-label="Delete default"]"#).await?;
        b.wait_for("dialog#delete-group[open]").await?;
        b.wait_for_text("dialog#delete-group", "Delete protection is on")
            .await?;
        b.wait_for("dialog#delete-group #delete-unprotect").await?;
        b.fill("#delete-confirm", "default").await?;
        let typed = b.value("#delete-confirm").await?;
        if typed != "default" {
            return Err(format!("#delete-confirm holds `{typed}` after typing `default`"));
        }
        if !b.is_disabled("#delete-submit").await? {
            return Err(
                "#delete-submit is enabled while delete protection is on (the name was typed)"
                    .into(),
            );
        }
        let log = b.sandbox_requests().await?;
        if let Some(delete) = log.iter().find(|r| is_request(r, "DELETE", &default_path)) {
            return Err(format!(
                "{} was sent while delete protection was on",
                summary(delete)
            ));
        }

        b.click("#delete-unprotect").await?;
        b.wait_for("#delete-submit:enabled").await?;
        b.click("#delete-submit").await?;
        b.wait_gone(r#"tr[data-group="default"]"#).await?;
        b.wait_for_text(".outcome", "were deleted").await?;
        b.wait_gone("dialog#delete-group[open]").await?;

        let log = b.sandbox_requests().await?;
        let unprotect: Vec<Value> = matching(&log, "PATCH", &format!("{default_path}/configuration"))
            .into_iter()
            .map(body_json)
            .collect();
        if unprotect != [json!({"delete_protection": true}), json!({"delete_protection": false})] {
            return Err(format!(
                "expected the configuration to be patched on then off, the bodies were {unprotect:?}"
            ));
        }
        let delete = exactly_one(&log, "DELETE", &default_path)?;
        expect_bearer(delete, TOKEN)?;
        Ok(())
    })
    .await;
}

/// Extra groups for the long-table scenario: `tenant-n` is the row at position n + 3 (after
/// the four seeded groups), so its `aria-rowindex` is n + 5.
const LONG: usize = 3000;

/// Page helpers for the long table, run in the page: where rows are, and scrolling as a user
/// would (by the drawn rows' positions and spacing).
const TABLE_JS: &str = "
    const rows = () => [...document.querySelectorAll('#groups-table tbody tr[data-group]')];
    window.__inView = (name) => {
        const row = document.querySelector(`tr[data-group='${name}']`);
        if (!row) return false;
        const r = row.getBoundingClientRect();
        return r.top > -1 && r.bottom < innerHeight + 1; // scrolling goes by whole pixels
    };
    window.__scrollToRow = (position) => {
        const drawn = rows();
        const [a, b] = [drawn[0], drawn[drawn.length - 1]];
        const at = (row) => Number(row.getAttribute('aria-rowindex')) - 2;
        const pitch = (b.getBoundingClientRect().top - a.getBoundingClientRect().top) / (at(b) - at(a));
        scrollTo(0, scrollY + a.getBoundingClientRect().top + (position - at(a)) * pitch);
    };
    window.__drawn = () => rows().length;
    window.__rowIndex = (name) =>
        Number(document.querySelector(`tr[data-group='${name}']`)?.getAttribute('aria-rowindex'));
";

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn a_long_table_by_keyboard_filter_sort_and_on_a_phone() {
    e2e(
        "a_long_table_by_keyboard_filter_sort_and_on_a_phone",
        async |b: &Browser| {
            let (status, body) = b
                .sandbox_call("POST", &format!("/__sandbox/reset?groups={LONG}"))
                .await?;
            if status != 200 {
                return Err(format!(
                    "resetting with {LONG} groups answered {status}: {body}"
                ));
            }
            b.connect_as(ORG).await?;
            b.eval(TABLE_JS, vec![]).await?;
            b.wait_js(
                &format!(
                    "return document.querySelector('#groups-table')\
                     .getAttribute('aria-rowcount') === '{}';",
                    LONG + 5
                ),
                "the table to count every group",
            )
            .await?;
            let drawn = b.eval("return __drawn();", vec![]).await?;
            if drawn.as_u64().is_none_or(|n| n >= 100) {
                return Err(format!(
                    "{drawn} rows drawn of {}, expected a screenful",
                    LONG + 4
                ));
            }

            // The keyboard scrolls the page; the rows in view are drawn.
            let last = format!("tenant-{LONG:05}");
            b.press("body", END).await?;
            b.wait_js(
                &format!("return __inView('{last}');"),
                "the last row in view after End",
            )
            .await?;
            let index = b
                .eval(&format!("return __rowIndex('{last}');"), vec![])
                .await?;
            if index != json!(LONG + 5) {
                return Err(format!(
                    "the last row's aria-rowindex is {index}, expected {}",
                    LONG + 5
                ));
            }
            b.press("body", HOME).await?;
            b.wait_js(
                "return __inView('billing');",
                "the first row in view after Home",
            )
            .await?;

            // Tab goes from row to row past the first screenful: each focus scrolls its row
            // into view, which draws the rows after it.
            b.click("#groups-filter").await?;
            // Six stops a row (box, name, switch, three actions): 200 go well past row 25.
            for _ in 0..200 {
                let focused = b
                    .client
                    .active_element()
                    .await
                    .map_err(|e| format!("finding the focused element: {e}"))?;
                focused
                    .send_keys(TAB)
                    .await
                    .map_err(|e| format!("pressing Tab: {e}"))?;
            }
            b.wait_js(
                "const row = document.activeElement.closest('tr[data-group]');
                 return !!row && Number(row.getAttribute('aria-rowindex')) > 25
                     && __inView(row.getAttribute('data-group'));",
                "Tab to reach a row past the first screenful, in view",
            )
            .await?;

            // The filter and the sort act on every group, drawn or not.
            b.fill("#groups-filter", "tenant-0299").await?;
            b.wait_js(
                "return __drawn() === 10 && document.querySelector('#groups-table')\
                 .getAttribute('aria-rowcount') === '11' && !!__rowIndex('tenant-02999');",
                "the ten groups matching tenant-0299",
            )
            .await?;
            // A change to a group out of view: made where the filter shows it, seen after
            // scrolling to it.
            let switch = r#"input[aria-label="Delete protection for tenant-02990"]"#;
            b.click(switch).await?;
            b.wait_for(&format!("{switch}:checked")).await?;
            b.press("#groups-filter", SELECT_ALL_DELETE).await?;
            b.wait_js(
                &format!(
                    "return document.querySelector('#groups-table')\
                     .getAttribute('aria-rowcount') === '{}';",
                    LONG + 5
                ),
                "every group again",
            )
            .await?;
            b.eval("__scrollToRow(2993);", vec![]).await?;
            b.wait_js("return __inView('tenant-02990');", "tenant-02990 in view")
                .await?;
            b.wait_for(&format!("{switch}:checked")).await?;
            b.click(r#"#groups-table thead th:nth-child(1) button"#)
                .await?;
            b.eval("scrollTo(0, 0);", vec![]).await?;
            b.wait_js(
                &format!("return __rowIndex('{last}') === 2 && __inView('{last}');"),
                "the last name first after sorting descending",
            )
            .await?;

            // A phone: the rows become cards, still drawn only in view.
            b.client
                .set_window_size(400, 800)
                .await
                .map_err(|e| format!("resizing the window: {e}"))?;
            b.wait_js(
                "const row = document.querySelector('#groups-table tbody tr[data-group]');
                 return getComputedStyle(row).display === 'block';",
                "the card layout",
            )
            .await?;
            b.eval("__scrollToRow(1500);", vec![]).await?;
            // Descending: position 1500 is tenant-(3000 - 1500) = tenant-01500.
            b.wait_js(
                "return __inView('tenant-01500') && __rowIndex('tenant-01500') === 1502 \
                 && __drawn() < 100;",
                "tenant-01500's card in view",
            )
            .await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn dialog_keyboard() {
    e2e("dialog_keyboard", async |b: &Browser| {
        let opener = r#"button[aria-label="Transfer default"]"#;

        b.sandbox_reset().await?;
        b.connect_as(ORG).await?;
        b.click(opener).await?;
        b.wait_for("dialog#transfer-group[open]").await?;
        b.wait_js(
            "const d = document.querySelector('dialog#transfer-group');
             return !!d && d.open && d.contains(document.activeElement);",
            "the focused element to be inside dialog#transfer-group",
        )
        .await?;

        let focused = b
            .client
            .active_element()
            .await
            .map_err(|e| format!("finding the focused element: {e}"))?;
        focused
            .send_keys(ESCAPE)
            .await
            .map_err(|e| format!("pressing Escape: {e}"))?;
        b.wait_gone("dialog#transfer-group[open]").await?;
        b.wait_js(
            "return document.activeElement && \
             document.activeElement.getAttribute('aria-label') === 'Transfer default';",
            "focus to return to the `Transfer default` button",
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn tokens_carry_their_claims_and_rotation_revokes_them() {
    e2e(
        "tokens_carry_their_claims_and_rotation_revokes_them",
        async |b: &Browser| {
            const GROUP: &str = "eu-replicated";
            let tokens_path = format!("{GROUPS_PATH}/{GROUP}/auth/tokens");

            b.sandbox_reset().await?;
            b.connect_as(ORG).await?;
            b.click(&format!(
                r#"button[aria-label="Create a token for {GROUP}"]"#
            ))
            .await?;
            b.wait_for("dialog#create-token[open]").await?;
            b.wait_for(r#"#token-attach input[value="sessions"]"#)
                .await?;

            // 1. The defaults: never expires, full access, nothing to ATTACH.
            let never = b
                .mint_token(&["Full access", "ExpiresNever", "No other databases"])
                .await?;

            // 2. A preset expiration, read-only.
            b.click("#token-another").await?;
            b.click(r#"input[name="token-expiry"][value="1d"]"#).await?;
            b.click("#token-read-only").await?;
            let expiring = b
                .mint_token(&["Read-only", "(in 23 hours, 59 minutes)"])
                .await;
            // Within the same second the span still reads one whole day.
            let expiring = match expiring {
                Ok(jwt) => jwt,
                Err(_) => b.token_shown(&["Read-only", "(in 1 day)"]).await?,
            };

            // 3. Read ATTACH on two databases, never expiring, full access again.
            b.click("#token-another").await?;
            b.click(r#"input[name="token-expiry"][value="never"]"#)
                .await?;
            b.click("#token-full").await?;
            b.click(r#"#token-attach input[value="catalog"]"#).await?;
            b.fill("#token-attach-typed", "sessions").await?;
            let attach = b
                .mint_token(&["Full access", "ExpiresNever", "catalog, sessions"])
                .await?;

            let log = b.sandbox_requests().await?;
            let sent: Vec<(String, Value)> = matching(&log, "POST", &tokens_path)
                .iter()
                .map(|r| {
                    let body = Some(body_json(r)).filter(|b| *b != json!(""));
                    (
                        r["query"].as_str().unwrap_or("").to_string(),
                        body.unwrap_or(Value::Null),
                    )
                })
                .collect();
            let wanted = vec![
                (String::new(), Value::Null),
                (
                    "expiration=1d&authorization=read-only".to_string(),
                    Value::Null,
                ),
                (
                    String::new(),
                    json!({"permissions": {"read_attach": {"databases": ["catalog", "sessions"]}}}),
                ),
            ];
            if sent != wanted {
                return Err(format!(
                    "the token requests were {sent:?}, expected {wanted:?}"
                ));
            }
            for jwt in [&never, &expiring, &attach] {
                let (status, body) = b.sandbox_verify(jwt).await?;
                if status != 200 {
                    return Err(format!(
                        "the sandbox refused a fresh token: {status} {body}"
                    ));
                }
            }

            // Rotate from the group's page; every earlier token stops working.
            b.click("dialog#create-token .dialog-actions button.primary")
                .await?;
            b.wait_gone("dialog#create-token[open]").await?;
            b.click(&format!(r#"tr[data-group="{GROUP}"] a"#)).await?;
            b.click("#group-rotate").await?;
            b.wait_for("dialog#rotate-tokens[open]").await?;
            b.click("#rotate-submit").await?;
            b.wait_for_text(".outcome", "has stopped working").await?;
            exactly_one(
                &b.sandbox_requests().await?,
                "POST",
                &format!("{GROUPS_PATH}/{GROUP}/auth/rotate"),
            )?;
            for jwt in [&never, &expiring, &attach] {
                let (status, body) = b.sandbox_verify(jwt).await?;
                if status != 401 {
                    return Err(format!(
                        "after rotation the sandbox answered {status} for an old token: {body}"
                    ));
                }
            }
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn the_content_security_policy_blocks_injected_scripts() {
    e2e("the_content_security_policy_blocks_injected_scripts", async |b: &Browser| {
        b.goto("/").await?;
        b.wait_for("#connect-submit").await?;
        let policy = b
            .eval(
                "return document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content || '';",
                vec![],
            )
            .await?;
        let policy = policy.as_str().unwrap_or_default().to_string();
        for needed in ["script-src 'self' 'wasm-unsafe-eval' 'sha256-", "object-src 'none'"] {
            if !policy.contains(needed) {
                return Err(format!("the policy {policy:?} lacks {needed:?}"));
            }
        }
        let ran = b
            .eval(
                "const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
                 document.body.appendChild(s);
                 const a = document.createElement('a'); a.setAttribute('onclick', 'window.__injected = 2');
                 document.body.appendChild(a); a.click();
                 return window.__injected === undefined;",
                vec![],
            )
            .await?;
        if ran != json!(true) {
            return Err("an injected inline script or handler ran despite the policy".into());
        }
        Ok(())
    })
    .await;
}

/// A real panic in the release build (an `expect` on a browser API that the test breaks):
/// the panic hook logs its message and place to the console, then the abort traps the wasm
/// and index.html's listener puts up the crash screen with that text, the token taken out, and
/// a way back. Other scripts' errors leave the page. WebDriver's own scripts cannot throw an
/// error that reaches the page's listeners, so those are dispatched as the browser reports them.
#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn a_panic_logs_its_place_and_shows_the_crash_screen() {
    e2e("a_panic_logs_its_place_and_shows_the_crash_screen", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;
        b.wait_for("#connect-submit").await?;
        b.eval(
            "dispatchEvent(new ErrorEvent('error', { error: new TypeError('not ours') }));
             dispatchEvent(new PromiseRejectionEvent('unhandledrejection',
               { promise: Promise.resolve(), reason: new Error('not ours either') }));",
            vec![],
        )
        .await?;
        if b.count(".crash").await? != 0 || b.count("#connect-submit").await? != 1 {
            return Err("an error that is not a wasm trap replaced the page".into());
        }
        // The groups store asks for an AbortController (`expect`): make the browser refuse it,
        // with the token in the refusal, so the panic's own text carries the secret.
        b.eval(
            "window.logged = [];
             const token = arguments[0];
             const error = console.error;
             console.error = (...args) => { logged.push(args.join(' ')); error(...args); };
             window.AbortController = class {
               constructor() { throw new Error('no AbortController for ' + token); }
             };",
            vec![json!(TOKEN)],
        )
        .await?;
        b.fill("#connect-token", TOKEN).await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for_text(".crash[role=alert] h1", "Something went wrong")
            .await?;
        let shown = b.text(".crash pre").await?;
        for expected in ["AbortController is available in browsers", "src/state/groups.rs"] {
            if !shown.contains(expected) {
                return Err(format!("the crash screen says `{shown}`, without `{expected}`"));
            }
        }
        if shown.contains(TOKEN) || !shown.contains("[your token]") {
            return Err(format!("the crash screen must not show the token: `{shown}`"));
        }
        let logged = b.eval("return logged.join('\\n');", vec![]).await?;
        let logged = logged.as_str().unwrap_or_default();
        if !logged.contains("panicked at src/state/groups.rs") {
            return Err(format!("the console got no panic message and place: `{logged}`"));
        }
        if b.count("#connect-submit").await? + b.count("#groups-table").await? != 0 {
            return Err("the frozen panel is still on the page beside the crash screen".into());
        }
        // The way back: the link reloads the panel, still signed in, and it works again.
        b.click(".crash a").await?;
        b.wait_for("table#groups-table tbody tr[data-group]").await?;
        // A trap that no panic announced (say, out of memory) still gets the screen.
        b.eval(
            "dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') }));",
            vec![],
        )
        .await?;
        b.wait_for_text(".crash[role=alert] pre", "RuntimeError: unreachable")
            .await?;
        b.wait_for_text(".crash[role=alert]", "Reload the panel").await?;
        Ok(())
    })
    .await;
}

/// A filled button that cannot be pressed looks it, in both themes: its fill is not the one
/// it has once it can be (the dark theme's accent, merely faded, still read as ready).
#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn a_disabled_primary_button_does_not_look_ready() {
    for look in [Look::DESKTOP_LIGHT, Look::ALL[1]] {
        e2e_in(
            "a_disabled_primary_button_does_not_look_ready",
            look,
            async |b: &Browser| {
                b.sandbox_reset().await?;
                b.connect_as(ORG).await?;
                b.click("tr[data-group='default'] a").await?;
                b.click("#group-rename").await?;
                b.wait_for("dialog#rename-group[open]").await?;
                let fill = "return getComputedStyle(document.querySelector('#rename-submit'))\
                    .backgroundColor";
                if !b.is_disabled("#rename-submit").await? {
                    return Err("Rename group can be pressed with the group's own name".into());
                }
                let disabled = b.eval(fill, vec![]).await?;
                b.fill("#rename-name", "fresh-name").await?;
                b.wait_js(
                    "return !document.querySelector('#rename-submit').disabled;",
                    "Rename group to be enabled by a new name",
                )
                .await?;
                let enabled = b.eval(fill, vec![]).await?;
                if disabled == enabled {
                    return Err(format!(
                        "Rename group has the same fill, {enabled}, disabled and enabled"
                    ));
                }
                Ok(())
            },
        )
        .await;
    }
}

/// The map's land is not part of the first load: the release build serves it beside
/// index.html, and the browser fetches it only when a map is shown.
#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn the_map_is_fetched_only_when_shown() {
    e2e("the_map_is_fetched_only_when_shown", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.connect_as(ORG).await?;
        let fetched = "return performance.getEntriesByType('resource')
            .filter((e) => e.name.endsWith('/map/world.svg') && e.responseStatus === 200
                && e.encodedBodySize > 1000).length";
        if b.eval(fetched, vec![]).await? != json!(0) {
            return Err("the map's land was fetched before any map was shown".into());
        }
        b.click("#groups-map").await?;
        b.wait_for(".map circle[data-code='aws-us-east-1']").await?;
        b.wait_js(
            &format!("{fetched} === 1;"),
            "the land fetched once, with status 200",
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the release build and chromedriver: run by cargo xtask test"]
async fn sub_path_on_a_plain_static_host_with_the_in_page_sandbox_and_config() {
    // The release build for /admin/ (E2E_ADMIN_DIST), served with no API at all.
    let dir = std::env::var_os("E2E_ADMIN_DIST")
        .map(PathBuf::from)
        .expect("E2E_ADMIN_DIST (the build for /admin/) is not set: run `cargo xtask test`");
    let host = StaticHost::start(dir.clone());
    let config = dir.join("config.json");
    let _ = std::fs::remove_file(&config);
    e2e(
        "sub_path_on_a_plain_static_host_with_the_in_page_sandbox_and_config",
        async |b: &Browser| {
            let open = |url: String| async move {
                b.client
                    .goto(&url)
                    .await
                    .map_err(|e| format!("opening {url}: {e}"))
            };
            open(format!("{}/admin/", host.url)).await?;
            b.click("#try-sandbox").await?;
            b.wait_for(r#"tr[data-group="default"]"#).await?;
            b.wait_for_path("/admin/groups").await?;

            // A change in the in-page sandbox, then a deep link reloaded from the host's
            // 404.html: the panel comes back under /admin/ with the change kept.
            b.click("#new-group").await?;
            b.wait_for("dialog#create-group[open]").await?;
            b.fill("#create-name", "static-host").await?;
            b.fill("#create-location", "ireland").await?;
            b.press("#create-location", ENTER).await?;
            b.click("#create-submit").await?;
            b.click(r#"tr[data-group="static-host"] a"#).await?;
            b.wait_for_path("/admin/groups/static-host").await?;
            b.client
                .refresh()
                .await
                .map_err(|e| format!("reloading: {e}"))?;
            b.wait_for_text("#group-locations", "aws-eu-west-1").await?;
            b.wait_for_text(".sandbox-badge", "Sandbox").await?;
            let served = host.paths();
            if !served.iter().any(|p| p == "/admin/groups/static-host") {
                return Err(format!("the reload did not go to the host: {served:?}"));
            }
            if served.iter().any(|p| p.starts_with("/v1") || p.starts_with("/admin/v1")) {
                return Err(format!("the sandbox in the page used the network: {served:?}"));
            }

            // config.json sets the connect form's defaults.
            std::fs::write(
                &config,
                r#"{"api_base_url": "https://relay.example.com/v1", "organization": "globex"}"#,
            )
            .map_err(|e| e.to_string())?;
            b.click("#sign-out").await?;
            b.wait_for_path("/admin/").await?;
            open(format!("{}/admin/", host.url)).await?;
            b.wait_js(
                "return document.querySelector('#connect-base-url')?.value === 'https://relay.example.com/v1'
                    && document.querySelector('#connect-org')?.value === 'globex';",
                "the connect form to take config.json's base URL and organization",
            )
            .await
            .map_err(|e| format!("{e}\nthe host served: {:?}", host.paths()))?;

            // A broken one leaves the built-in defaults, and the page works.
            std::fs::write(&config, "{ not json").map_err(|e| e.to_string())?;
            open(format!("{}/admin/", host.url)).await?;
            b.wait_for("#try-sandbox").await?;
            let base = b.value("#connect-base-url").await?;
            if base != format!("{}/v1", host.url) {
                return Err(format!("with a broken config.json the base URL is {base:?}"));
            }
            Ok(())
        },
    )
    .await;
    let _ = std::fs::remove_file(&config);
}

/// A plain static file server, as GitHub Pages behaves: the files of `dir` under `/admin/`,
/// and anything else answered with `404.html` and status 404. It knows nothing of the API.
struct StaticHost {
    url: String,
    served: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl StaticHost {
    fn start(dir: PathBuf) -> StaticHost {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the static host");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = served.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut line = String::new();
                let mut reader = BufReader::new(&stream);
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Skip the rest of the head; the host ignores headers.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split(' ').nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/").to_string();
                log.lock().unwrap().push(path.clone());
                let file = path
                    .strip_prefix("/admin/")
                    .map(|rest| if rest.is_empty() { "index.html" } else { rest })
                    .filter(|rest| !rest.contains(".."))
                    .map(|rest| dir.join(rest))
                    .filter(|f| f.is_file());
                let (status, file) = match file {
                    Some(f) => ("200 OK", f),
                    None => ("404 Not Found", dir.join("404.html")),
                };
                let body = std::fs::read(&file).unwrap_or_default();
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("js") => "text/javascript",
                    Some("wasm") => "application/wasm",
                    Some("css") => "text/css",
                    Some("json") => "application/json",
                    _ => "text/html; charset=utf-8",
                };
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            }
        });
        StaticHost { url, served }
    }

    /// The paths asked for so far.
    fn paths(&self) -> Vec<String> {
        self.served.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/// Run one scenario in a fresh browser session; fail when the environment was not set up
/// (the tests are ignored by a plain `cargo test`). On failure, save a screenshot and the page's HTML to
/// e2e/artifacts/ before panicking; the session is closed in every case.
async fn e2e(name: &str, scenario: impl AsyncFnOnce(&Browser) -> Res) {
    e2e_in(name, Look::DESKTOP_LIGHT, scenario).await;
}

/// Runs `scenario` in a browser with `look`; see [`e2e`].
async fn e2e_in(name: &str, look: Look, scenario: impl AsyncFnOnce(&Browser) -> Res) {
    let base = std::env::var("E2E_BASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{name}: E2E_BASE_URL is not set: run `cargo xtask test`"));
    let webdriver =
        std::env::var("WEBDRIVER_URL").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
    let _one_at_a_time = ONE_AT_A_TIME.lock().await;

    let browser = Browser::connect(base.trim_end_matches('/'), &webdriver, look)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let result = scenario(&browser).await;
    let artifacts = match &result {
        Ok(()) => String::new(),
        Err(_) => browser.save_failure_artifacts(name).await,
    };
    let _ = browser.client.close().await;
    if let Err(message) = result {
        panic!("{name} failed: {message}{artifacts}");
    }
}

/// How the browser looks at the app: its window size and the system's colour scheme.
#[derive(Clone, Copy)]
struct Look {
    width: u32,
    height: u32,
    dark: bool,
}

impl Look {
    const DESKTOP_LIGHT: Look = Look {
        width: 1280,
        height: 800,
        dark: false,
    };
    /// Every look the accessibility audit checks.
    const ALL: [Look; 4] = [
        Look::DESKTOP_LIGHT,
        Look {
            width: 1280,
            height: 800,
            dark: true,
        },
        Look {
            width: 390,
            height: 844,
            dark: false,
        },
        Look {
            width: 390,
            height: 844,
            dark: true,
        },
    ];

    fn label(self) -> String {
        let theme = if self.dark { "dark" } else { "light" };
        format!("{} {theme}", self.width)
    }
}

/// A WebDriver session on the app.
struct Browser {
    client: Client,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    base: String,
}

impl Browser {
    async fn connect(base: &str, webdriver: &str, look: Look) -> Res<Self> {
        // Blink's preferred scheme: 0 is dark, 1 is light (what `prefers-color-scheme` says).
        let scheme = if look.dark {
            "--blink-settings=preferredColorScheme=0"
        } else {
            "--blink-settings=preferredColorScheme=1"
        };
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run",
                    format!("--window-size={},{}", look.width, look.height), scheme,
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(webdriver)
            .await
            .map_err(|e| {
                format!("cannot start Chromium through the WebDriver at {webdriver}: {e}")
            })?;
        Ok(Browser {
            client,
            base: base.to_string(),
        })
    }

    /// Load `path` of the app (a full page load).
    async fn goto(&self, path: &str) -> Res {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))
    }

    /// The first element matching `css`, once there is one.
    async fn wait_for(&self, css: &str) -> Res<Element> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(element) => return Ok(element),
                Err(e) if e.is_no_such_element() => {}
                Err(e) => return Err(format!("looking for `{css}`: {e}")),
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}` to appear")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching `css` whose text contains `text`, once there is one.
    async fn wait_for_text(&self, css: &str, text: &str) -> Res<Element> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            seen.clear();
            let elements = self
                .client
                .find_all(Locator::Css(css))
                .await
                .map_err(|e| format!("looking for `{css}`: {e}"))?;
            for element in elements {
                match element.text().await {
                    Ok(t) if t.contains(text) => return Ok(element),
                    Ok(t) => seen.push(t),
                    Err(e) if e.is_stale_element_reference() => {}
                    Err(e) => return Err(format!("reading the text of `{css}`: {e}")),
                }
            }
            if Instant::now() > deadline {
                let what = format!("`{css}` containing {text:?} (matching elements had: {seen:?})");
                return Err(self.timed_out(&what).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until nothing matches `css`.
    async fn wait_gone(&self, css: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self
                .client
                .find_all(Locator::Css(css))
                .await
                .map_err(|e| format!("looking for `{css}`: {e}"))?;
            if found.is_empty() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}` to go away")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until the URL's path is `path`.
    async fn wait_for_path(&self, path: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.path().await? == path {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(self
                    .timed_out(&format!("the URL path to be `{path}`"))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Type `text` into the field `css` (emptied first).
    async fn fill(&self, css: &str, text: &str) -> Res {
        let field = self.wait_for(css).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clearing `{css}`: {e}"))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| format!("typing {text:?} into `{css}`: {e}"))
    }

    /// Click the element `css`, retrying while it is missing, hidden, covered or re-rendered.
    async fn click(&self, css: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let attempt = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.click().await,
                Err(e) => Err(e),
            };
            let last = match attempt {
                Ok(()) => return Ok(()),
                Err(e) if retry_click(&e) => e,
                Err(e) => return Err(format!("clicking `{css}`: {e}")),
            };
            if Instant::now() > deadline {
                return Err(self
                    .timed_out(&format!("`{css}` to be clickable (last error: {last})"))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Connect with the sandbox token to `org` from a fresh load of the connect page, and
    /// wait for the group table.
    async fn connect_as(&self, org: &str) -> Res {
        self.goto("/").await?;
        self.fill("#connect-token", TOKEN).await?;
        self.fill("#connect-org", org).await?;
        self.click("#connect-submit").await?;
        self.wait_for("table#groups-table tbody tr[data-group]")
            .await?;
        self.wait_for_path("/groups").await
    }

    /// Press Tab until the focused element matches `css`, then check that it shows a focus
    /// ring (only keyboard focus does, through `:focus-visible`).
    async fn tab_to(&self, css: &str) -> Res {
        let matches = format!(
            "const e = document.activeElement; return !!e && e.matches({});",
            Value::String(css.into())
        );
        for _ in 0..150 {
            if self.eval(&matches, vec![]).await? == Value::Bool(true) {
                let ring = self
                    .eval(
                        "const s = getComputedStyle(document.activeElement);
                         return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;",
                        vec![],
                    )
                    .await?;
                return if ring == Value::Bool(true) {
                    Ok(())
                } else {
                    Err(format!("`{css}` has focus but no visible focus ring"))
                };
            }
            self.keys(TAB).await?;
        }
        Err(self.timed_out(&format!("Tab to reach `{css}`")).await)
    }

    /// Send `keys` to the focused element, as a keyboard does.
    async fn keys(&self, keys: &str) -> Res {
        self.client
            .active_element()
            .await
            .map_err(|e| format!("finding the focused element: {e}"))?
            .send_keys(keys)
            .await
            .map_err(|e| format!("typing {keys:?}: {e}"))
    }

    /// axe-core's violations on the page as it is now (injected once per page load), one
    /// line each: rule, impact, how many elements, the first of them.
    async fn axe(&self) -> Res<Vec<String>> {
        if self.eval("return typeof axe === 'object';", vec![]).await? != Value::Bool(true) {
            let source = axe_source()?;
            self.eval(&format!("{source}\nreturn true;"), vec![])
                .await?;
        }
        let answer = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(
                   (r) => done(r.violations.map((v) =>
                     `${v.id} (${v.impact}) on ${v.nodes.length}: ${v.nodes[0].target.join(' ')}`)),
                   (e) => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await
            .map_err(|e| format!("running axe-core: {e}"))?;
        Ok(answer
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Send `keys` (e.g. [`ENTER`]) to the element `css`.
    async fn press(&self, css: &str, keys: &str) -> Res {
        self.wait_for(css)
            .await?
            .send_keys(keys)
            .await
            .map_err(|e| format!("pressing {keys:?} in `{css}`: {e}"))
    }

    /// Whether the element `css` is disabled.
    async fn is_disabled(&self, css: &str) -> Res<bool> {
        self.wait_for(css)
            .await?
            .is_enabled()
            .await
            .map(|enabled| !enabled)
            .map_err(|e| format!("reading whether `{css}` is enabled: {e}"))
    }

    /// The visible text of the element `css`.
    async fn text(&self, css: &str) -> Res<String> {
        self.wait_for(css)
            .await?
            .text()
            .await
            .map_err(|e| format!("reading the text of `{css}`: {e}"))
    }

    /// How many elements match `css` now.
    async fn count(&self, css: &str) -> Res<usize> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|found| found.len())
            .map_err(|e| format!("looking for `{css}`: {e}"))
    }

    /// Run `script` (a function body; `arguments` are `args`) in the page.
    async fn eval(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        self.client
            .execute(script, args)
            .await
            .map_err(|e| format!("running a script in the page: {e}"))
    }

    /// Wait until `script` returns `true`. `awaited` says what for, in the timeout message,
    /// which also shows the focused element.
    async fn wait_js(&self, script: &str, awaited: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.eval(script, vec![]).await? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let focused = self
                    .eval(
                        "const e = document.activeElement;
                         return e ? e.outerHTML.slice(0, 300) : '(none)';",
                        vec![],
                    )
                    .await
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .unwrap_or_else(|e| format!("? ({e})"));
                return Err(format!(
                    "{}\n(the focused element: {focused})",
                    self.timed_out(awaited).await
                ));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The `value` property of the field `css`.
    async fn value(&self, css: &str) -> Res<String> {
        let field = self.wait_for(css).await?;
        field
            .prop("value")
            .await
            .map(Option::unwrap_or_default)
            .map_err(|e| format!("reading the value of `{css}`: {e}"))
    }

    async fn path(&self) -> Res<String> {
        self.client
            .current_url()
            .await
            .map(|url| url.path().to_string())
            .map_err(|e| format!("reading the URL: {e}"))
    }

    /// A timeout message: what was awaited and what the page showed instead.
    async fn timed_out(&self, awaited: &str) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map_or_else(|e| format!("? ({e})"), |u| u.to_string());
        let text = self
            .client
            .execute(
                "return document.body ? document.body.innerText : '(no body)';",
                vec![],
            )
            .await
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|e| format!("(could not read the page: {e})"));
        format!(
            "timed out after {} s waiting for {awaited}; the page at {url} shows:\n{}",
            TIMEOUT.as_secs(),
            clip(&text, 2000)
        )
    }

    async fn save_screenshot(&self, path: &Path) -> Res {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("taking a screenshot: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!("screenshot saved to {}", path.display());
        Ok(())
    }

    /// Screenshot and HTML of the page into e2e/artifacts/; returns a note for the panic message.
    async fn save_failure_artifacts(&self, name: &str) -> String {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        let png = dir.join(format!("{name}.png"));
        let html = dir.join(format!("{name}.html"));
        let shot = self.save_screenshot(&png).await;
        let source = match self.client.source().await {
            Ok(source) => std::fs::write(&html, source).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match (shot, source) {
            (Ok(()), Ok(())) => format!(
                "\n(the page is saved in {} and {})",
                png.display(),
                html.display()
            ),
            (shot, source) => format!("\n(could not save the page: {shot:?} {source:?})"),
        }
    }

    // --- the sandbox's test hooks -------------------------------------------------------------

    /// Every request that reached /v1 since the last reset, oldest first.
    async fn sandbox_requests(&self) -> Res<Vec<Value>> {
        let (status, body) = self.sandbox_call("GET", "/__sandbox/requests").await?;
        if status != 200 {
            return Err(format!("GET /__sandbox/requests answered {status}: {body}"));
        }
        match serde_json::from_str(&body) {
            Ok(Value::Array(requests)) => Ok(requests),
            _ => Err(format!(
                "GET /__sandbox/requests did not answer a JSON array: {}",
                clip(&body, 500)
            )),
        }
    }

    /// Submit the token form, then read the token shown: its claims must contain each of
    /// `claims`, and the token is read after revealing it.
    async fn mint_token(&self, claims: &[&str]) -> Res<String> {
        self.click("#token-submit").await?;
        self.wait_for("#token-claims").await?;
        self.token_shown(claims).await
    }

    async fn token_shown(&self, claims: &[&str]) -> Res<String> {
        let shown = self.text("#token-claims").await?.replace('\n', "");
        if let Some(missing) = claims.iter().find(|c| !shown.contains(*c)) {
            return Err(format!(
                "the decoded claims read {shown:?}, without {missing:?}"
            ));
        }
        let masked = "return document.querySelector('#token-value').type === 'password';";
        if self.eval(masked, vec![]).await? != json!(true) {
            return Err("the token is shown unmasked before Show is pressed".into());
        }
        self.click("#token-reveal").await?;
        self.wait_js(
            "return document.querySelector('#token-value').type === 'text';",
            "the token to be revealed",
        )
        .await?;
        self.value("#token-value").await
    }

    /// Asks the sandbox's own route whether it accepts `jwt` as a database token.
    async fn sandbox_verify(&self, jwt: &str) -> Res<(u16, String)> {
        const FETCH: &str = "const [url, jwt, done] = arguments;
            fetch(url, {cache: 'no-store', headers: {Authorization: 'Bearer ' + jwt}})
                .then(r => r.text().then(t => done([r.status, t])))
                .catch(e => done([null, String(e)]));";
        let url = format!("{}/__sandbox/verify-token", self.base);
        let answer = self
            .client
            .execute_async(FETCH, vec![json!(url), json!(jwt)])
            .await
            .map_err(|e| format!("GET {url} from the browser: {e}"))?;
        match (answer[0].as_u64(), answer[1].as_str()) {
            (Some(status), Some(body)) => Ok((status as u16, body.to_string())),
            _ => Err(format!("GET {url} failed in the browser: {}", answer[1])),
        }
    }

    /// Back to the seed data, with an empty request log.
    async fn sandbox_reset(&self) -> Res {
        let (status, body) = self.sandbox_call("POST", "/__sandbox/reset").await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(format!("POST /__sandbox/reset answered {status}: {body}"))
        }
    }

    /// `method path` on the sandbox, sent by `fetch` in the browser: status and body text.
    async fn sandbox_call(&self, method: &str, path: &str) -> Res<(u16, String)> {
        // Chromium refuses a fetch to 127.0.0.1 from a fresh session's `data:,` page: before the
        // app is loaded, open a sandbox page (the log as JSON, which touches no /v1 state).
        let here = self.client.current_url().await;
        if !here.is_ok_and(|u| u.as_str().starts_with(&format!("{}/", self.base))) {
            self.goto("/__sandbox/requests").await?;
        }
        const FETCH: &str = "const [url, method, done] = arguments;
            fetch(url, {method, cache: 'no-store', headers: {Accept: 'application/json'}})
                .then(r => r.text().then(t => done([r.status, t])))
                .catch(e => done([null, String(e)]));";
        let url = format!("{}{path}", self.base);
        let answer = self
            .client
            .execute_async(FETCH, vec![json!(url), json!(method)])
            .await
            .map_err(|e| format!("{method} {url} from the browser: {e}"))?;
        let status = answer[0].as_u64().and_then(|s| u16::try_from(s).ok());
        match (status, answer[1].as_str()) {
            (Some(status), Some(body)) => Ok((status, body.to_string())),
            _ => Err(format!(
                "{method} {url} failed in the browser: {}",
                answer[1]
            )),
        }
    }
}

/// Errors after which a click is worth another try.
fn retry_click(e: &CmdError) -> bool {
    e.is_no_such_element()
        || e.is_element_not_interactable()
        || e.is_stale_element_reference()
        || matches!(e, CmdError::Standard(w) if w.error.to_string().contains("intercepted"))
}

// ---------------------------------------------------------------------------------------------
// The sandbox's request log
// ---------------------------------------------------------------------------------------------

fn is_request(entry: &Value, method: &str, path: &str) -> bool {
    entry["method"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case(method))
        && entry["path"].as_str() == Some(path)
}

fn find_request<'a>(log: &'a [Value], method: &str, path: &str) -> Option<&'a Value> {
    log.iter().find(|r| is_request(r, method, path))
}

fn matching<'a>(log: &'a [Value], method: &str, path: &str) -> Vec<&'a Value> {
    log.iter().filter(|r| is_request(r, method, path)).collect()
}

/// The one `method path` request of the log; an error when there are none or several.
fn exactly_one<'a>(log: &'a [Value], method: &str, path: &str) -> Res<&'a Value> {
    match matching(log, method, path)[..] {
        [only] => Ok(only),
        ref found => Err(format!(
            "expected exactly one {method} {path}, the sandbox saw {}:\n{}",
            found.len(),
            brief(log)
        )),
    }
}

/// A header of a logged request, by case-insensitive name. Accepts headers logged as an object
/// (`{"name": "value"}` or `{"name": ["value"]}`), as `[name, value]` pairs or as
/// `{"name", "value"}` objects.
fn header(entry: &Value, name: &str) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(values) => values.first().and_then(|v| v.as_str()).map(str::to_string),
        _ => None,
    };
    match &entry["headers"] {
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| text(v)),
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::Array(pair) if pair.len() == 2 => pair[0]
                .as_str()
                .filter(|k| k.eq_ignore_ascii_case(name))
                .and_then(|_| text(&pair[1])),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .filter(|k| k.eq_ignore_ascii_case(name))
                .and_then(|_| o.get("value").and_then(text)),
            _ => None,
        }),
        _ => None,
    }
}

fn expect_bearer(entry: &Value, token: &str) -> Res {
    let wanted = format!("Bearer {token}");
    match header(entry, "authorization") {
        Some(value) if value == wanted => Ok(()),
        other => Err(format!(
            "{} was sent with authorization {other:?}, expected {wanted:?}",
            summary(entry)
        )),
    }
}

/// The logged body as JSON: the sandbox may log it as a string of JSON or as JSON itself.
fn body_json(entry: &Value) -> Value {
    match &entry["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
        other => other.clone(),
    }
}

fn summary(entry: &Value) -> String {
    let query = entry["query"].as_str().filter(|q| !q.is_empty());
    format!(
        "{} {}{}",
        entry["method"].as_str().unwrap_or("?"),
        entry["path"].as_str().unwrap_or("?"),
        query.map(|q| format!("?{q}")).unwrap_or_default()
    )
}

fn brief(log: &[Value]) -> String {
    log.iter()
        .map(|r| format!("  {}\n", summary(r)))
        .collect::<String>()
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[test]
fn reads_logged_requests_in_every_shape() {
    let object = json!({"method": "GET", "path": GROUPS_PATH, "query": "",
        "headers": {"Authorization": "Bearer t"}, "body": null});
    let pairs = json!({"method": "post", "path": GROUPS_PATH,
        "headers": [["authorization", "Bearer t"]], "body": "{\"name\":\"x\"}"});
    let named = json!({"method": "GET", "path": "/v1/auth/validate",
        "headers": [{"name": "authorization", "value": "Bearer t"}]});
    for entry in [&object, &pairs, &named] {
        assert_eq!(expect_bearer(entry, "t"), Ok(()), "{entry}");
    }
    assert!(is_request(&pairs, "POST", GROUPS_PATH));
    assert_eq!(body_json(&pairs), json!({"name": "x"}));
}

/// axe-core's script, from the npm packages `cargo xtask setup` installs (on NODE_PATH).
fn axe_source() -> Res<String> {
    let dirs = std::env::var("NODE_PATH").unwrap_or_default();
    let found = std::env::split_paths(&dirs)
        .map(|dir| dir.join("axe-core").join("axe.min.js"))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!("axe-core is not in NODE_PATH ({dirs:?}); `cargo xtask test` installs it")
        })?;
    std::fs::read_to_string(&found).map_err(|e| format!("reading {}: {e}", found.display()))
}
