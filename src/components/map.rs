//! A world map with a marker per location. The land is an image the browser fetches when a
//! map is first shown (`assets/map/world.svg`, outside the first load); `rules::geo` places
//! the markers. A code with no known place is listed under the map, never dropped.

use crate::rules::geo::{place, MAP_HEIGHT, MAP_WIDTH, VIEW_BOX};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// The land, copied beside index.html by trunk; it follows the system's light or dark theme.
const LAND: &str = "map/world.svg";

/// One location on a map.
pub struct Marker {
    pub code: String,
    /// What hovering or focusing it says, e.g. "London (lhr): 2 groups: a, b".
    pub says: String,
    /// In map units (see `marker_radius`).
    pub radius: u16,
    pub primary: bool,
}

/// The map, what the marker under the pointer or focus says, and the codes with no place.
/// With `pick`, each marker is a button that calls it with its code, and the same
/// locations are also listed as buttons (for screen readers, and a keyboard order by code).
/// The map and the list have one handler each for all their markers: a marker carries its
/// code and words as attributes.
#[component]
pub fn WorldMap(
    /// The map's accessible name: what it shows, in words.
    label: String,
    markers: Vec<Marker>,
    #[prop(optional)] pick: Option<Callback<String>>,
) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let marked = |ev: &Event, attribute: &str| {
        let target = ev.target()?.dyn_into::<Element>().ok()?;
        target
            .closest("[data-code]")
            .ok()??
            .get_attribute(attribute)
    };
    let show = move |ev: Event| said.set(marked(&ev, "data-says").unwrap_or_default());
    let run = move |ev: Event| {
        if let (Some(pick), Some(code)) = (pick, marked(&ev, "data-code")) {
            pick.run(code);
        }
    };
    let button = pick.map(|_| "button");
    let circles = markers
        .iter()
        .filter_map(|m| {
            let (x, y) = place(&m.code)?;
            Some(view! {
                <circle class=if m.primary { "marker primary" } else { "marker" }
                    cx=x.to_string() cy=y.to_string() r=m.radius.to_string()
                    data-code=m.code.clone() data-says=m.says.clone()
                    tabindex=button.map(|_| "0") role=button aria-label=button.map(|_| m.says.clone()) />
            })
        })
        .collect_view();
    let unplaced: Vec<&str> = markers
        .iter()
        .filter(|m| place(&m.code).is_none())
        .map(|m| m.says.as_str())
        .collect();
    let unplaced = (!unplaced.is_empty()).then(|| {
        view! { <p class="map-unplaced">"Not on the map (no known place): "{unplaced.join("; ")}</p> }
    });
    let list = pick.map(|_| {
        let items = markers
            .iter()
            .map(|m| view! { <li><button type="button" data-code=m.code.clone()>{m.says.clone()}</button></li> })
            .collect_view();
        view! {
            <details class="map-list">
                <summary>"The locations as a list"</summary>
                <ul on:click=move |ev| run(ev.into())>{items}</ul>
            </details>
        }
    });
    view! {
        <div class="map">
            <svg viewBox=VIEW_BOX role=if pick.is_some() { "group" } else { "img" } aria-label=label
                on:mouseover=move |ev| show(ev.into()) on:focusin=move |ev| show(ev.into())
                on:click=move |ev| run(ev.into())
                on:keydown=move |ev| if matches!(ev.key().as_str(), "Enter" | " ") {
                    ev.prevent_default();
                    run(ev.into());
                }>
                <image href=LAND width=MAP_WIDTH.to_string() height=MAP_HEIGHT.to_string() />
                {circles}
            </svg>
            <p class="map-said">{move || said.get()}</p>
            {unplaced}
            {list}
        </div>
    }
}
