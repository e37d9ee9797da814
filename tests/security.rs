//! Hostile and odd input, and the token: text from the server is shown as text and runs
//! nothing; over-long and odd input gets a message, never a panic; the token never appears in
//! the address, the console, a message or a request to anything but the API.
#![cfg(target_arch = "wasm32")]

use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

const XSS: [&str; 4] = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "<script>window.__pwned=2</script>",
    "javascript:window.__pwned=3",
    "<svg onload=\"window.__pwned=4\"></svg>",
];

fn pwned() -> bool {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into())
        .map(|v| !v.is_undefined())
        .unwrap_or(true)
}

/// No element of the kinds the payloads would create, inside the panel (the panel's own
/// map is an `svg`).
fn no_injected_elements() -> bool {
    find(".test-host img, .test-host script, .test-host svg:not(.map > svg), .test-host iframe")
        .is_none()
}

#[wasm_bindgen_test]
async fn names_and_messages_from_the_server_are_shown_as_text() {
    reset_sandbox().await;
    let g = "/v1/organizations/acme/groups";
    let groups: Vec<_> = XSS
        .iter()
        .map(|x| json!({"name": x, "primary": x, "locations": [x], "version": x}))
        .collect();
    fault("GET", g, 200, json!({"groups": groups})).await;
    // The organization's own list is refused, so the panel reads the documented one.
    fault(
        "GET",
        "/v2/organizations/acme/locations",
        404,
        json!({"error": "not found"}),
    )
    .await;
    fault(
        "GET",
        "/v1/locations",
        200,
        json!({"locations": {XSS[0]: XSS[1], XSS[2]: XSS[3]}}),
    )
    .await;
    let _app = mount_connected("acme", TOKEN);
    wait_for_text("#groups-table", XSS[0]).await;
    for x in XSS {
        assert!(text("#groups-table").contains(x), "{x} shown as text");
    }
    assert!(no_injected_elements() && !pwned(), "nothing ran");

    // A server message with markup, on a refused change.
    inject_fault(json!({"method": "POST", "path": g, "status": 400,
        "body": json!({"error": XSS[0]}).to_string()}))
    .await;
    click("#new-group");
    wait_for_element("#create-location-list [role='option']").await;
    type_into("#create-name", "fine-name");
    type_into("#create-location", "img");
    press("#create-location", "Enter");
    wait_for_text(".picker-chosen", "Chosen").await;
    click("#create-submit");
    wait_for_text("#create-group [role='alert']", XSS[0]).await;
    assert!(no_injected_elements() && !pwned(), "nothing ran");
}

#[wasm_bindgen_test]
async fn organization_and_database_names_are_shown_as_text() {
    reset_sandbox().await;
    fault(
        "GET",
        "/v1/organizations",
        200,
        json!([{"name": XSS[1], "slug": "acme"}, {"name": XSS[0], "slug": XSS[3]}]),
    )
    .await;
    fault(
        "GET",
        "/v1/organizations/acme/databases",
        200,
        json!({"databases": [{"Name": XSS[0], "Hostname": XSS[1], "primaryRegion": XSS[2]}]}),
    )
    .await;
    let _app = mount_connected_at("/groups/default", "acme", TOKEN);
    wait_for_text("#databases-table", XSS[0]).await;
    assert!(text("#databases-table").contains(XSS[1]));
    click("#group-transfer");
    wait_for_open("transfer-group").await;
    // The other organization's slug is offered as a value, its name as the label.
    wait_for("the suggestions", || {
        find_all("#transfer-org-list option")
            .iter()
            .any(|o| o.get_attribute("value").as_deref() == Some(XSS[3]))
    })
    .await;
    assert!(no_injected_elements() && !pwned(), "nothing ran");
}

#[wasm_bindgen_test]
async fn over_long_and_odd_input_gets_a_message_never_a_panic() {
    reset_sandbox().await;
    note_panics();
    let long = "a".repeat(10_000);
    let _app = mount_connected("acme", TOKEN);
    wait_for_element("tr[data-group='default']").await;
    // The filter: nothing matches, and it says so.
    type_into("#groups-filter", &long);
    wait_for_text("main", "No group matches").await;
    type_into("#groups-filter", "");

    click("#new-group");
    wait_for_element("#create-location-list [role='option']").await;
    for (name, says) in [
        ("", "name"),
        ("   ", "name"),
        ("grüppe", "lowercase"),
        ("名前", "lowercase"),
        ("a\u{200b}b", "lowercase"),
        ("-edge-", "dash"),
    ] {
        type_into("#create-name", name);
        click("#create-submit");
        wait_for_text("#create-group [role='alert']", says).await;
    }
    // Too long for the server: its own words come back.
    type_into("#create-name", &long);
    type_into("#create-location", "ireland");
    press("#create-location", "Enter");
    wait_for_text(".picker-chosen", "Chosen").await;
    click("#create-submit");
    wait_for_text("#create-group [role='alert']", "did not accept").await;
    assert_eq!(input_value("#create-name"), long, "what was typed stays");
    assert!(!panicked(), "no panic");
}

#[wasm_bindgen_test]
async fn over_long_token_inputs_are_refused_with_a_message() {
    reset_sandbox().await;
    note_panics();
    let _app = mount_connected_at("/groups/eu-replicated", "acme", TOKEN);
    wait_for_element("#group-token").await;
    click("#group-token");
    wait_for_element("#token-attach").await;
    click("#token-exp-custom");
    type_into("#token-expiration", &"9".repeat(10_000));
    wait_for_text("#token-expiry-preview", "needs a unit").await;
    type_into("#token-expiration", &format!("{}d", "9".repeat(10_000)));
    wait_for_text("#token-expiry-preview", "too long").await;
    type_into("#token-expiration", "1d\u{1F600}");
    wait_for_text("#token-expiry-preview", "not a unit").await;
    assert!(is_disabled("#token-submit"));
    type_into("#token-attach-typed", &"x,".repeat(5_000));
    type_into("#token-expiration", "1d");
    wait_for("submit enabled", || !is_disabled("#token-submit")).await;
    click("#token-submit");
    // `x` (deduplicated) is a well-formed name, and ATTACH names are not checked for existence.
    wait_for_element("#token-value").await;
    assert!(!panicked(), "no panic");
}

/// Records every console message from now on.
fn record_console() {
    js_sys::Function::new_no_args(
        "window.__console = [];
         for (const k of ['log', 'info', 'warn', 'error', 'debug']) {
             const original = console[k];
             console[k] = (...args) => { window.__console.push(args.map(String).join(' ')); original.apply(console, args); };
         }",
    )
    .call0(&JsValue::NULL)
    .unwrap();
}

fn console_lines() -> Vec<String> {
    let lines = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__console".into()).unwrap();
    js_sys::Array::from(&lines)
        .iter()
        .filter_map(|l| l.as_string())
        .collect()
}

/// URLs the page fetched (the Resource Timing entries of `fetch` calls).
fn fetched_urls() -> Vec<String> {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let entries = performance.get_entries_by_type("resource");
    entries
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|e| e.initiator_type() == "fetch")
        .map(|e| e.name())
        .collect()
}

#[wasm_bindgen_test]
async fn the_token_stays_out_of_the_address_the_console_messages_and_other_hosts() {
    reset_sandbox().await;
    record_console();
    web_sys::window()
        .unwrap()
        .performance()
        .unwrap()
        .clear_resource_timings();
    // A server that echoes the token in its refusal.
    inject_fault(json!({"method": "POST", "path": "/v1/organizations/acme/groups", "status": 400,
        "body": json!({"error": format!("bad request from Bearer {TOKEN}")}).to_string(), "times": 1}))
    .await;
    fresh_page("/");
    let _app = mount();
    connect_with(TOKEN, "acme").await;
    wait_for_element("tr[data-group='default']").await;
    click("#new-group");
    wait_for_element("#create-location-list [role='option']").await;
    type_into("#create-name", "echo");
    type_into("#create-location", "ireland");
    press("#create-location", "Enter");
    wait_for_text(".picker-chosen", "Chosen").await;
    click("#create-submit");
    wait_for_text("#create-group [role='alert']", "[your token]").await;
    assert!(
        !document().body().unwrap().inner_text().contains(TOKEN),
        "not on screen"
    );
    click("tr[data-group='eu-replicated'] a");
    wait_for_element("#group-uuid").await;

    let href = web_sys::window().unwrap().location().href().unwrap();
    assert!(!href.contains(TOKEN), "not in the address: {href}");
    let leaked: Vec<String> = console_lines()
        .into_iter()
        .filter(|l| l.contains(TOKEN))
        .collect();
    assert!(leaked.is_empty(), "not in the console: {leaked:?}");
    let urls = fetched_urls();
    assert!(!urls.is_empty());
    for url in &urls {
        assert!(!url.contains(TOKEN), "not in a URL: {url}");
        let own = web_sys::window().unwrap().location().origin().unwrap();
        assert!(
            url.starts_with(&format!("{SANDBOX}/")) || url.starts_with(&own),
            "only the API (and the page's own files) were asked: {url}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_token_is_kept_only_where_the_user_chose_and_wiped_on_sign_out() {
    reset_sandbox().await;
    let window = web_sys::window().unwrap();
    let stored = |local: bool| {
        let store = if local {
            window.local_storage()
        } else {
            window.session_storage()
        };
        let store = store.unwrap().unwrap();
        (0..store.length().unwrap())
            .filter_map(|i| store.key(i).unwrap())
            .any(|k| {
                store
                    .get_item(&k)
                    .unwrap()
                    .unwrap_or_default()
                    .contains(TOKEN)
            })
    };
    for remember in [false, true] {
        fresh_page("/");
        let app = mount();
        wait_for_element("#connect-submit").await;
        if remember {
            click("#connect-remember");
        }
        connect_with(TOKEN, "acme").await;
        wait_for_element("tr[data-group='default']").await;
        assert_eq!(stored(true), remember, "localStorage only when remembered");
        assert_eq!(stored(false), !remember, "sessionStorage otherwise");
        click("#sign-out");
        wait_for_element("#connect-submit").await;
        assert!(!stored(true) && !stored(false), "gone from every store");
        drop(app);
    }
}
