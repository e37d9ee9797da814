use crate::components::{is_plain_click, location_chips, ErrorMessage, Marker, WorldMap};
use crate::pages::actions::flip_protection;
use crate::pages::bulk::BulkBar;
use crate::pages::create_group::CreateGroup;
use crate::rules::bulk;
use crate::rules::geo::{groups_by_location, location_says, marker_radius};
use crate::rules::table::{filtered, in_view, needle, sorted, Column, Entry, Sort, Viewport};
use crate::state::bulk::Selection;
use crate::state::changes::Change;
use crate::state::dialogs::GroupDialogs;
use crate::state::groups::{GroupsStore, Load};
use crate::state::route::{Route, Router};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The group table of the connected organization.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    let create_open = RwSignal::new(false);
    let map_open = RwSignal::new(false);
    let selection = Selection::new();
    provide_context(selection);
    let locations = store.location_list;
    // Positions in the store's list, never copies of its groups: sorted when the list or
    // the sort changes, then filtered on each keystroke.
    let order = Memo::new(move |_| {
        store.groups.with(|l| {
            l.ready()
                .map(|l| sorted(l.entries(), sort.get()))
                .unwrap_or_default()
        })
    });
    let shown = Memo::new(move |_| {
        let needle = filter.with(|f| needle(f));
        order.with(|order| {
            store.groups.with(|l| {
                let entries = l.ready().map_or(&[][..], |l| l.entries());
                store
                    .names
                    .with(|names| filtered(entries, order, names, &needle))
            })
        })
    });
    let total = move || store.groups.with(|l| l.ready().map_or(0, |g| g.len()));
    let loading = move || store.groups.with(|l| matches!(l, Load::Loading));
    let failure = move || {
        store.groups.with(|l| match l {
            Load::Failed(e) => Some(e.clone()),
            _ => None,
        })
    };
    let empty = Memo::new(move |_| {
        store
            .groups
            .with(|l| l.ready().is_some_and(|g| g.is_empty()))
    });
    let has_rows = Memo::new(move |_| {
        store
            .groups
            .with(|l| l.ready().is_some_and(|g| !g.is_empty()))
    });
    let shown_names = Callback::new(move |()| shown_names(store, shown, 0..usize::MAX));

    view! {
            <div class="toolbar">
                <h1>"Groups"</h1>
                <label class="visually-hidden" for="groups-filter">"Filter groups"</label>
                <input id="groups-filter" type="search" placeholder="Filter by name, location or version"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev)) />
                <button id="groups-refresh" type="button"
                    disabled=move || store.groups.with(|l| matches!(l, Load::Loading))
                    on:click=move |_| { store.load_groups(); store.load_locations(); }>
                    "Refresh"
                </button>
                <button id="groups-map" type="button" aria-pressed=move || map_open.get().to_string()
                    on:click=move |_| map_open.update(|open| *open = !*open)>
                    "Map"
                </button>
                <button id="new-group" type="button" class="primary" aria-haspopup="dialog"
                    on:click=move |_| create_open.set(true)>
                    "New group"
                </button>
            </div>
            {move || loading().then(|| view! { <p class="loading" aria-busy="true">"Loading groups…"</p> })}
            {move || failure().map(|e| view! {
                <ErrorMessage error=e retry=Callback::new(move |_| store.load_groups()) />
            })}
            {move || empty.get().then(|| view! {
                <div class="empty">
                    <p>"This organization has no groups yet."</p>
                    <button type="button" class="primary" on:click=move |_| create_open.set(true)>
                        "Create a group"
                    </button>
                </div>
            })}
            {move || (map_open.get() && has_rows.get()).then(|| view! { <GroupsMap filter /> })}
            {move || has_rows.get().then(|| view! { <BulkBar selection shown_names /> })}
            // The table is built once; its rows follow the store (keyed), so a change to one
            // group redraws one row at most.
            {move || has_rows.get().then(|| view! { <GroupTable shown sort total=Signal::derive(total) /> })}
            {move || match store.locations.get() {
                Load::Failed(e) => Some(view! {
                    <div class="locations-error">
                        <p>"Location names could not be loaded."</p>
                        <ErrorMessage error=e retry=Callback::new(move |_| store.load_locations()) />
                    </div>
                }),
                _ => None,
            }}
        <CreateGroup open=create_open locations />
    }
}

/// The names of the groups at positions `at` of the table as shown (filtered and sorted).
fn shown_names(
    store: GroupsStore,
    shown: Memo<Vec<u32>>,
    at: std::ops::Range<usize>,
) -> Vec<String> {
    shown.with_untracked(|shown| {
        store.groups.with_untracked(|l| {
            let entries = l.ready().map_or(&[][..], |l| l.entries());
            let at = at.start.min(shown.len())..at.end.min(shown.len());
            shown[at]
                .iter()
                .filter_map(|&i| Some(entries.get(i as usize)?.group.name.clone()))
                .collect()
        })
    })
}

/// Where the organization's groups are: a marker per location, as large as the number of
/// groups there; picking one filters the table by its code.
#[component]
fn GroupsMap(filter: RwSignal<String>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    move || {
        let markers: Vec<Marker> = store.groups.with(|list| {
            let entries = list.ready().map_or(&[][..], |l| l.entries());
            store.names.with(|names| {
                groups_by_location(entries.iter().map(|e| &*e.group))
                    .into_iter()
                    .map(|(code, groups)| Marker {
                        says: location_says(names.get(code), code, &groups),
                        radius: marker_radius(groups.len()),
                        code: code.to_owned(),
                        primary: false,
                    })
                    .collect()
            })
        });
        let label = format!("Map of the {} locations the groups use", markers.len());
        view! { <WorldMap label markers pick=Callback::new(move |code| filter.set(code)) /> }
    }
}

/// Row height (px) assumed until a drawn row is measured.
const ROW_GUESS: f64 = 63.0;

/// The table draws only the rows in view plus a margin (`in_view`), between two spacer rows
/// as high as the rows left out, so the scrollbar, the keyboard (arrows, Page Down, End)
/// and Tab (focus scrolls the next row into view, which draws the rows after it) work as if
/// every row were there; the filter finds a row that is not drawn. Every row has the same
/// height (style/main.css), measured once drawn, in the table and in the phones' card
/// layout alike.
#[component]
fn GroupTable(shown: Memo<Vec<u32>>, sort: RwSignal<Sort>, total: Signal<usize>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialogs = expect_context::<GroupDialogs>();
    let router = expect_context::<Router>();
    let viewport = RwSignal::new(Viewport {
        top: 0.0,
        height: viewport_height(),
        pitch: ROW_GUESS,
    });
    let count = move || shown.with(Vec::len);
    let range = Memo::new(move |drawn| in_view(count(), viewport.get(), drawn));
    let first = move || range.with(|r| r.start);
    let pitch = move || viewport.with(|v| v.pitch);

    // Where the body is now, and with `rows`, how far apart its rows are (in a scroll or
    // resize handler, or just after rows were drawn: the layout is up to date then). A
    // scroll moves the body only: its rows keep their height.
    let measure = move |rows: bool| {
        let Ok(Some(body)) = document().query_selector("#groups-table > tbody") else {
            return;
        };
        let mut next = viewport.get_untracked();
        next.top = body.get_bounding_client_rect().top();
        if rows {
            next.height = viewport_height();
            next.pitch = row_pitch(&body).unwrap_or(next.pitch);
        }
        if next != viewport.get_untracked() {
            viewport.set(next);
        }
    };
    for (event, rows) in [("scroll", false), ("resize", true)] {
        let listener = window_event_listener_untyped(event, move |_| measure(rows));
        on_cleanup(move || listener.remove());
    }
    // Once rows are drawn (again), their height is known.
    Effect::new(move |drawn: Option<bool>| {
        let now = count() > 0;
        if now && drawn != Some(true) {
            measure(true);
        }
        now
    });

    // One listener each for the whole body instead of one per control and row: the row's
    // `data-group` names the group.
    let selection = expect_context::<Selection>();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some((control, name)) = control_in_row(&ev, "input.select") {
            // The box has already flipped: every group in a Shift-click range takes its state.
            let on = control
                .unchecked_ref::<web_sys::HtmlInputElement>()
                .checked();
            let at = control
                .closest("tr")
                .ok()
                .flatten()
                .and_then(|row| row.get_attribute("aria-rowindex")?.parse::<usize>().ok())
                .map_or(0, |index| index - 2);
            let names = if ev.shift_key() {
                let span = bulk::range(selection.anchor.get_value(), at);
                shown_names(store, shown, *span.start()..*span.end() + 1)
            } else {
                vec![name]
            };
            selection.anchor.set_value(Some(at));
            selection.set(names, on);
            return;
        }
        let Some((control, name)) = control_in_row(&ev, "a, button[data-act]") else {
            return;
        };
        match control.get_attribute("data-act").as_deref() {
            Some("token") => dialogs.token.open(&name),
            Some("transfer") => dialogs.transfer.open(&name),
            Some("delete") => dialogs.delete.open(&name),
            Some("unarchive") => store.unarchive(name),
            _ if is_plain_click(&ev) => {
                ev.prevent_default();
                router.go(Route::Group(name));
            }
            _ => {}
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some((switch, name)) = control_in_row(&ev, "input[role=switch]") {
            flip_protection(store, name, switch.unchecked_ref());
        }
    };

    let spacer = move |rows: fn(usize, std::ops::Range<usize>) -> usize| {
        view! {
            <tr class="spacer" aria-hidden="true">
                <td colspan="7" style:height=move || {
                    let n = range.with(|r| rows(count(), r.clone()));
                    // Whole pixels: formatting a float would cost 11 KB of bundle.
                    format!("{}px", (n as f64 * pitch()).round() as u64)
                }></td>
            </tr>
        }
        .into_any()
    };
    let each = move || {
        let range = range.get();
        let start = range.start;
        shown.with(|shown| {
            store.groups.with(|l| {
                let entries = l.ready().map_or(&[][..], |l| l.entries());
                let at = shown.get(range).unwrap_or_default().iter().zip(start..);
                at.filter_map(|(&i, at)| Some((entries.get(i as usize)?.clone(), at)))
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <div class="table-wrap">
            <table id="groups-table" aria-rowcount=move || count() + 1>
                <caption class="visually-hidden">"Groups, sortable by any column; the filter finds any group"</caption>
                <thead>
                    <tr aria-rowindex="1">
                        {Column::ALL.into_iter().map(|column| view! {
                            <th scope="col" aria-sort=move || {
                                let s = sort.get();
                                if s.column != column { "none" } else if s.ascending { "ascending" } else { "descending" }
                            }>
                                <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                                    {column.title()}
                                    <span aria-hidden="true" class="sort-mark">{move || {
                                        let s = sort.get();
                                        if s.column != column { "" } else if s.ascending { "▲" } else { "▼" }
                                    }}</span>
                                </button>
                            </th>
                        }).collect_view()}
                        <th scope="col" class="actions-head">"Actions"</th>
                    </tr>
                </thead>
                <tbody on:click=on_click on:change=on_change>
                    {move || (first() > 0).then(|| spacer(|_, r| r.start))}
                    // Keyed by name and revision, and by position, which the row shows as its
                    // aria-rowindex: scrolling keeps every row, a change to one group redraws
                    // its row, and filtering or sorting redraws only the rows that moved.
                    <For
                        each
                        key=|row: &(Entry, usize)| row.clone()
                        children=move |(entry, at)| group_row(store, router, selection, entry, at)
                    />
                    {move || (range.with(|r| r.end) < count()).then(|| spacer(|n, r| n - r.end))}
                </tbody>
            </table>
        </div>
        <p class="count">{move || format!("{} of {} groups", count(), total.get())}</p>
        {move || (count() == 0).then(|| view! { <p class="empty">"No group matches the filter."</p> })}
    }
}

/// The control matching `selector` that an event came from, and the name of its row's group.
fn control_in_row(ev: &leptos::ev::Event, selector: &str) -> Option<(Element, String)> {
    let target: Element = ev.target()?.dyn_into().ok()?;
    let control = target.closest(selector).ok()??;
    let row = control.closest("tr[data-group]").ok()??;
    Some((control, row.get_attribute("data-group")?))
}

/// One row, built once for a revision of its group at a position: bound to the store only
/// where a value changes without a new revision (delete protection, a change in flight, the
/// location names arriving).
fn group_row(
    store: GroupsStore,
    router: Router,
    selection: Selection,
    entry: Entry,
    at: usize,
) -> AnyView {
    let group = entry.group;
    let name = group.name.clone();
    let archived = group.is_archived();
    let busy = |change: Change| move || store.is_busy(&change);
    let protected = {
        let name = name.clone();
        move || store.is_protected(&name)
    };
    let primary = {
        let group = group.clone();
        move || {
            group.primary.clone().map(|code| {
                let place = store.names.with(|n| n.get(&code).map(str::to_owned));
                view! { <span class="location-name">{place}</span><code>{code}</code> }.into_any()
            })
        }
    };
    let chips = {
        let group = group.clone();
        move || store.names.with(|n| location_chips(&group, n).into_any())
    };
    view! {
        <tr data-group=name.clone() aria-rowindex=at + 2>
            <th scope="row" class="name">
                <input type="checkbox" class="select" aria-label=format!("Select {name}")
                    prop:checked={ let name = name.clone(); move || selection.has(&name) } />
                <a href=router.href(&Route::Group(name.clone()))>{name.clone()}</a>
            </th>
            <td>{primary}</td>
            <td>{chips}</td>
            <td>{group.version.clone().unwrap_or_else(|| "—".into())}</td>
            <td class:flag=archived>
                {if archived { "Yes" } else { "No" }}
                {archived.then(|| view! {
                    <button type="button" class="small" data-act="unarchive" aria-label=format!("Unarchive {name}")
                        disabled=busy(Change::Unarchive(name.clone()))>"Unarchive"</button>
                })}
            </td>
            <td>
                <label class="switch">
                    <input type="checkbox" role="switch" aria-label=format!("Delete protection for {name}")
                        prop:checked=protected.clone() disabled=busy(Change::Protection(name.clone())) />
                    {move || if protected() { "On" } else { "Off" }}
                </label>
            </td>
            <td class="actions">
                <button type="button" class="small" data-act="token" aria-label=format!("Create a token for {name}")>"Token…"</button>
                <button type="button" class="small" data-act="transfer" aria-label=format!("Transfer {name}")>"Transfer…"</button>
                <button type="button" class="small danger-text" data-act="delete" aria-label=format!("Delete {name}")>"Delete…"</button>
            </td>
        </tr>
    }
    .into_any()
}

fn viewport_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0)
}

/// The distance from one row to the next, from the first and last rows drawn (every row
/// has the same height; the first may differ by half a border).
fn row_pitch(body: &Element) -> Option<f64> {
    let row = |selector: &str| {
        let row = body.query_selector(selector).ok()??;
        // An integer: parsing a float would cost 10 KB of bundle.
        let at: u32 = row.get_attribute("aria-rowindex")?.parse().ok()?;
        Some((at as f64, row.get_bounding_client_rect()))
    };
    let (first_at, first) = row("tr[data-group]")?;
    let (last_at, last) = row("tr:nth-last-child(1 of [data-group])")?;
    let pitch = if last_at > first_at {
        (last.top() - first.top()) / (last_at - first_at)
    } else {
        first.height()
    };
    Some(pitch).filter(|p| *p > 0.0)
}
