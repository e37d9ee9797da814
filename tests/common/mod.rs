//! Helpers shared by the browser test suites: the sandbox server's control routes, and
//! finding, typing, clicking and waiting in the page.
#![allow(dead_code)] // each suite uses its own subset

use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use groups_console::App;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit,
};

pub const SANDBOX: &str = match option_env!("SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};
pub const TOKEN: &str = "sandbox-token";

// ---- the sandbox's test-control routes ----

pub async fn reset_sandbox() {
    let res = Request::post(&format!("{SANDBOX}/__sandbox/reset"))
        .send()
        .await;
    assert!(
        res.is_ok_and(|r| r.ok()),
        "could not reset the sandbox at {SANDBOX}: is it running?"
    );
}

/// A reset that seeds `extra` more groups in `acme` (`tenant-00001`…), for a long table.
pub async fn reset_sandbox_with_groups(extra: usize) {
    let res = Request::post(&format!("{SANDBOX}/__sandbox/reset?groups={extra}"))
        .send()
        .await;
    assert!(
        res.is_ok_and(|r| r.ok()),
        "could not reset the sandbox at {SANDBOX} with {extra} groups"
    );
}

/// Every request that reached the sandbox's /v1 since the last reset.
pub async fn requests() -> Vec<Value> {
    let res = Request::get(&format!("{SANDBOX}/__sandbox/requests"))
        .send()
        .await
        .unwrap();
    res.json().await.unwrap()
}

pub async fn inject_fault(fault: Value) {
    let res = Request::post(&format!("{SANDBOX}/__sandbox/faults"))
        .header("Content-Type", "application/json")
        .body(fault.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(res.ok(), "fault not accepted");
}

/// Every answer to `method path` is `status` with `body` (JSON), until the faults are cleared.
pub async fn fault(method: &str, path: &str, status: u16, body: Value) {
    inject_fault(
        serde_json::json!({"method": method, "path": path, "status": status,
        "body": body.to_string()}),
    )
    .await;
}

/// `acme`'s group list and that group's own page answer with `group` (an object with a
/// `name`) alone, until the faults are cleared: a group the seeded sandbox cannot make.
pub async fn serve_only_group(group: Value) {
    let g = "/v1/organizations/acme/groups";
    let own = format!("{g}/{}", group["name"].as_str().expect("a group name"));
    fault(
        "GET",
        g,
        200,
        serde_json::json!({"groups": [group.clone()]}),
    )
    .await;
    fault("GET", &own, 200, serde_json::json!({ "group": group })).await;
}

pub fn summary(requests: &[Value]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect()
}

// ---- the page ----

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn find(selector: &str) -> Option<Element> {
    document().query_selector(selector).unwrap()
}

pub fn find_all(selector: &str) -> Vec<Element> {
    let list = document().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(selector: &str) -> String {
    find(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

pub fn input_value(selector: &str) -> String {
    find(selector)
        .expect(selector)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

/// Waits until `check` holds, giving the page and the network time; fails after 10 s
/// with what was awaited and what the page shows.
pub async fn wait_for(what: &str, check: impl Fn() -> bool) {
    for _ in 0..1000 {
        if check() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    let body = document().body().unwrap().inner_text();
    panic!("timed out waiting for {what}; the page shows:\n{body}");
}

pub async fn wait_for_element(selector: &str) -> Element {
    wait_for(selector, || find(selector).is_some()).await;
    find(selector).unwrap()
}

pub async fn wait_for_text(selector: &str, needle: &str) {
    wait_for(&format!("{selector} to contain {needle:?}"), || {
        text(selector).contains(needle)
    })
    .await;
}

pub fn type_into(selector: &str, value: &str) {
    let input = find(selector)
        .expect(selector)
        .unchecked_into::<HtmlInputElement>();
    input.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

pub fn press(selector: &str, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    find(selector).expect(selector).dispatch_event(&ev).unwrap();
}

pub fn click(selector: &str) {
    find(selector)
        .expect(selector)
        .unchecked_into::<HtmlElement>()
        .click();
}

pub fn is_disabled(selector: &str) -> bool {
    find(selector).is_some_and(|e| e.has_attribute("disabled"))
}

/// A clean browser state at `path`: no stored session, the given URL, and nothing left
/// on the page by an earlier test (one that failed never unmounted its panel).
pub fn fresh_page(path: &str) {
    // Only our own hosts and styles: the test runner keeps its output in the page too.
    for host in find_all(".test-host, style.test-style") {
        host.remove();
    }
    let window = web_sys::window().unwrap();
    // The browser keeps 250 timing entries at most; `answered` needs this test's.
    window.performance().unwrap().clear_resource_timings();
    window.session_storage().unwrap().unwrap().clear().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    scroll_to_top();
}

pub fn mount() -> leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable> {
    let host = document().create_element("div").unwrap();
    host.set_class_name("test-host");
    document().body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.unchecked_into(), App)
}

/// Mounts the panel at `path` as if the user had connected to `org` with `token` earlier
/// in this tab.
pub fn mount_connected_at(
    path: &str,
    org: &str,
    token: &str,
) -> leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable> {
    fresh_page(path);
    let session = groups_console::state::session::Session {
        base_url: format!("{SANDBOX}/v1"),
        org: org.into(),
        token: token.into(),
        remember: false,
    };
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item("groups-console.session", &session.encode())
        .unwrap();
    mount()
}

pub fn mount_connected(
    org: &str,
    token: &str,
) -> leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable> {
    mount_connected_at("/groups", org, token)
}

pub async fn connect_with(token: &str, org: &str) {
    wait_for_element("#connect-submit").await;
    type_into("#connect-base-url", &format!("{SANDBOX}/v1"));
    type_into("#connect-token", token);
    type_into("#connect-org", org);
    click("#connect-submit");
}

/// The groups of the rows drawn, in order: every row of a short table, the rows in view
/// (and a margin) of a long one.
pub fn row_names() -> Vec<String> {
    find_all("#groups-table tbody tr[data-group]")
        .iter()
        .map(|r| r.get_attribute("data-group").unwrap())
        .collect()
}

/// Gives the page the panel's stylesheet until the next `fresh_page`: a long table relies on
/// it for rows of one height (the tests run in a page of their own, without it).
pub fn use_panel_stylesheet() {
    let style = document().create_element("style").unwrap();
    style.set_class_name("test-style");
    style.set_text_content(Some(include_str!("../../style/main.css")));
    document().head().unwrap().append_child(&style).unwrap();
}

/// How many rows the group table says it has, its header row included (`aria-rowcount`).
pub fn table_row_count() -> Option<usize> {
    find("#groups-table")?
        .get_attribute("aria-rowcount")?
        .parse()
        .ok()
}

/// The `aria-rowindex` of the drawn row of `group`.
pub fn row_index(group: &str) -> Option<usize> {
    find(&format!("tr[data-group='{group}']"))?
        .get_attribute("aria-rowindex")?
        .parse()
        .ok()
}

/// Whether the row of `group` is drawn and inside the viewport (to a pixel: scrolling goes
/// by whole pixels).
pub fn in_view(group: &str) -> bool {
    let height = web_sys::window()
        .unwrap()
        .inner_height()
        .unwrap()
        .as_f64()
        .unwrap();
    find(&format!("tr[data-group='{group}']")).is_some_and(|row| {
        let rect = row.get_bounding_client_rect();
        rect.top() > -1.0 && rect.bottom() < height + 1.0
    })
}

/// Scrolls the page, as a user would, until the table's row at `position` (0 for the first
/// row under the header) would be at the top of the viewport, going by where the drawn rows
/// are and how far apart.
pub fn scroll_to_row(position: usize) {
    let rows = find_all("#groups-table tbody tr[data-group]");
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    let at = |row: &Element| {
        row.get_attribute("aria-rowindex")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let top = |row: &Element| row.get_bounding_client_rect().top();
    let pitch = (top(last) - top(first)) / (at(last) - at(first));
    let window = web_sys::window().unwrap();
    let y = window.scroll_y().unwrap() + top(first) + (position as f64 + 2.0 - at(first)) * pitch;
    window.scroll_to_with_x_and_y(0.0, y);
}

pub fn scroll_to_top() {
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
}

pub fn client(org: &str) -> groups_console::api::Client {
    groups_console::api::Client::new(&format!("{SANDBOX}/v1"), org, TOKEN)
}

pub fn chip_codes(selector: &str) -> Vec<String> {
    find_all(&format!("{selector} .chip[data-code]"))
        .iter()
        .map(|c| c.get_attribute("data-code").unwrap())
        .collect()
}

pub async fn wait_for_open(dialog: &str) {
    let selector = format!("dialog#{dialog}");
    wait_for(&format!("{selector} to open"), || {
        find(&selector).is_some_and(|d| d.has_attribute("open"))
    })
    .await;
}

pub async fn wait_for_closed(dialog: &str) {
    let selector = format!("dialog#{dialog}");
    wait_for(&format!("{selector} to close"), || {
        find(&selector).is_some_and(|d| !d.has_attribute("open"))
    })
    .await;
}

pub fn sent(log: &[Value], method: &str, path: &str) -> usize {
    log.iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .count()
}

pub async fn open_create_form() {
    wait_for_element("tr[data-group='default']").await;
    click("#new-group");
    wait_for("the create dialog", || {
        find("dialog#create-group").is_some_and(|d| d.has_attribute("open"))
    })
    .await;
    wait_for_element("#create-location-list [data-code='aws-eu-west-1']").await;
}

pub async fn fill_create_form(name: &str, search: &str) {
    type_into("#create-name", name);
    type_into("#create-location", search);
    // Keyboard: the first match is active; Enter chooses it, and the field then shows its
    // name. (The picker may already show a choice, the closest location: "Chosen" alone
    // would not say this one was made.)
    press("#create-location", "Enter");
    wait_for("a location to be chosen", || {
        input_value("#create-location") != search
    })
    .await;
}

pub async fn open_group(
    org: &str,
    name: &str,
) -> leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable> {
    let app = mount_connected_at(&format!("/groups/{name}"), org, TOKEN);
    wait_for_element("#group-uuid").await;
    wait_for_element("#add-location-list [role='option']").await;
    app
}

/// How many of the page's requests to a URL containing `needle` have had their whole answer
/// (resource timing entries are written when a response ends).
pub fn answered(needle: &str) -> usize {
    let performance = web_sys::window().unwrap().performance().unwrap();
    performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|e| e.name().contains(needle) && e.response_end() > 0.0)
        .count()
}

thread_local! {
    static PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// From now on, notes a panic of the panel: in wasm a panic traps, and the trap escapes
/// the task that ran it as an uncaught error or an unhandled rejection.
pub fn note_panics() {
    PANICKED.with(|p| p.set(false));
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let window = web_sys::window().unwrap();
    for event in ["error", "unhandledrejection"] {
        let noted =
            wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| PANICKED.with(|p| p.set(true)));
        window
            .add_event_listener_with_callback(event, noted.as_ref().unchecked_ref())
            .unwrap();
        noted.forget(); // for the whole test run
    }
}

pub fn panicked() -> bool {
    PANICKED.with(std::cell::Cell::get)
}
