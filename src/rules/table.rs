//! The group table without the browser: the list in name order with a revision per group,
//! location names, filtering and sorting as positions in that list, and which rows are in
//! view.

use crate::api::{Group, Location};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Primary,
    Locations,
    Version,
    Archived,
    DeleteProtection,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Name,
        Column::Primary,
        Column::Locations,
        Column::Version,
        Column::Archived,
        Column::DeleteProtection,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Column::Name => "Name",
            Column::Primary => "Primary location",
            Column::Locations => "Locations",
            Column::Version => "Version",
            Column::Archived => "Archived",
            Column::DeleteProtection => "Delete protection",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: Column::Name,
            ascending: true,
        }
    }
}

impl Sort {
    /// Clicking the sorted column flips it; another column starts ascending.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                column,
                ascending: true,
            }
        }
    }
}

/// One group as the server last answered it. Rows are keyed by the entry: two entries are
/// the same row when they have the same name and revision (hashing the name, not copying
/// it).
#[derive(Clone, Debug)]
pub struct Entry {
    pub group: Arc<Group>,
    pub rev: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev && self.group.name == other.group.name
    }
}

impl Eq for Entry {}

impl Hash for Entry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.group.name.hash(state);
        self.rev.hash(state);
    }
}

/// The organization's groups in name order (the table's default order, and a binary search
/// by name). A group's revision changes whenever the server's answer for it changes, so the
/// table redraws that row and no other.
#[derive(Clone, Debug, Default)]
pub struct GroupList {
    entries: Vec<Entry>,
    next_rev: u32,
}

impl GroupList {
    pub fn new(groups: Vec<Arc<Group>>) -> Self {
        let by_name = order_by(groups.len(), true, &|a, b| {
            groups[a].name.cmp(&groups[b].name)
        });
        let entries = by_name
            .into_iter()
            .map(|i| Entry {
                group: groups[i as usize].clone(),
                rev: i,
            })
            .collect();
        GroupList {
            entries,
            next_rev: groups.len() as u32,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|e| e.group.name.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Group>> {
        self.position(name).ok().map(|i| &self.entries[i].group)
    }

    /// Puts the server's answer for a group in place of the one of that name (a new
    /// revision if anything differs), or adds it in its place by name.
    pub fn upsert(&mut self, group: Group) {
        match self.position(&group.name) {
            Ok(i) if *self.entries[i].group == group => {}
            Ok(i) => {
                let rev = self.take_rev();
                self.entries[i] = Entry {
                    group: Arc::new(group),
                    rev,
                };
            }
            Err(i) => {
                let rev = self.take_rev();
                let group = Arc::new(group);
                self.entries.insert(i, Entry { group, rev });
            }
        }
    }

    /// Delete protection as the configuration route answered. The revision stays: the
    /// table binds its switch to the list, so the row (and the keyboard focus on its
    /// switch) stays too.
    pub fn set_protected(&mut self, name: &str, on: bool) {
        if let Ok(i) = self.position(name) {
            Arc::make_mut(&mut self.entries[i].group).delete_protection = Some(on);
        }
    }

    pub fn remove(&mut self, name: &str) {
        if let Ok(i) = self.position(name) {
            self.entries.remove(i);
        }
    }

    fn take_rev(&mut self) -> u32 {
        self.next_rev += 1;
        self.next_rev
    }

    /// Applies a change the server confirmed.
    pub fn apply(&mut self, change: ListChange) {
        match change {
            ListChange::Upsert(group) => self.upsert(group),
            ListChange::Protected(name, on) => self.set_protected(&name, on),
            ListChange::Removed(name) => self.remove(&name),
        }
    }
}

/// A change to the list that the server confirmed. Kept while a list read is in flight: that
/// list may have been computed before the change, and must not undo it when it lands.
#[derive(Clone, Debug, PartialEq)]
pub enum ListChange {
    Upsert(Group),
    Protected(String, bool),
    Removed(String),
}

/// The list as the server answered it, with the changes confirmed since it was asked laid on
/// top: a change the panel saw confirmed is never undone by an older picture.
pub fn answered_list(groups: Vec<Arc<Group>>, since_asked: Vec<ListChange>) -> GroupList {
    let mut list = GroupList::new(groups);
    for change in since_asked {
        list.apply(change);
    }
    list
}

/// Human names by location code, built once per locations answer: chips and the filter
/// look a code up instead of scanning the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocationNames(Vec<Location>);

impl LocationNames {
    pub fn new(locations: &[Location]) -> Self {
        let by_code = order_by(locations.len(), true, &|a, b| {
            locations[a].code.cmp(&locations[b].code)
        });
        LocationNames(
            by_code
                .into_iter()
                .map(|i| locations[i as usize].clone())
                .collect(),
        )
    }

    pub fn get(&self, code: &str) -> Option<&str> {
        self.0
            .binary_search_by(|l| l.code.as_str().cmp(code))
            .ok()
            .map(|i| self.0[i].name.as_str())
    }
}

/// The filter text as `matches` wants it.
pub fn needle(filter: &str) -> String {
    filter.trim().to_ascii_lowercase()
}

/// Whether `hay` contains `needle_lower`, ignoring ASCII case, without lowering a copy.
fn contains_folded(hay: &str, needle_lower: &str) -> bool {
    let needle = needle_lower.as_bytes();
    needle.is_empty()
        || hay
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Does the group match the filter text? Matches name, location codes and their human
/// names, and version, ignoring ASCII case (names and codes are ASCII; full Unicode case
/// folding costs its tables in the bundle).
pub fn matches(group: &Group, names: &LocationNames, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    let hit = |s: &str| contains_folded(s, needle_lower);
    hit(&group.name)
        || group.version.as_deref().is_some_and(hit)
        || group
            .primary
            .iter()
            .chain(group.locations())
            .any(|code| hit(code) || names.get(code).is_some_and(hit))
}

/// Positions in `entries` (which are in name order) in the order `sort` asks; ties keep
/// name order, and descending is ascending reversed.
pub fn sorted(entries: &[Entry], sort: Sort) -> Vec<u32> {
    let group = |i: usize| &*entries[i].group;
    order_by(entries.len(), sort.ascending, &|a, b| {
        let (ga, gb) = (group(a), group(b));
        match sort.column {
            // Positions are in name order already.
            Column::Name => std::cmp::Ordering::Equal,
            Column::Primary => ga.primary.cmp(&gb.primary),
            Column::Locations => ga.locations().len().cmp(&gb.locations().len()),
            Column::Version => ga.version.cmp(&gb.version),
            Column::Archived => ga.is_archived().cmp(&gb.is_archived()),
            Column::DeleteProtection => ga.is_delete_protected().cmp(&gb.is_delete_protected()),
        }
    })
}

/// Positions `0..n` ordered by `cmp`, ties by position, or all of it reversed. The one
/// sort of the table: each sort call site costs its own copy of the sort in the bundle.
fn order_by(
    n: usize,
    ascending: bool,
    cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering,
) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let ord = cmp(a as usize, b as usize).then(a.cmp(&b));
        if ascending {
            ord
        } else {
            ord.reverse()
        }
    });
    order
}

/// The positions of `order` whose group matches the filter, in that order.
pub fn filtered(entries: &[Entry], order: &[u32], names: &LocationNames, needle: &str) -> Vec<u32> {
    if needle.is_empty() {
        return order.to_vec();
    }
    order
        .iter()
        .copied()
        .filter(|&i| matches(&entries[i as usize].group, names, needle))
        .collect()
}

/// Where the table's body is, in CSS pixels: its top relative to the viewport (negative once
/// scrolled past), the viewport's height, and the distance from one row to the next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub top: f64,
    pub height: f64,
    pub pitch: f64,
}

/// Up to this many rows are all rendered: more than a screenful at any row height.
pub const ALL_ROWS: usize = 40;
/// Rows rendered above the viewport: one, so that Shift+Tab finds a row to move to.
pub const OVERSCAN_ABOVE: usize = 1;
/// Rows rendered below it, for Tab and small scrolls. Each row drawn costs every frame of a
/// fast scroll (where every row is new), so the margin is lopsided.
pub const OVERSCAN_BELOW: usize = 3;

/// Which of `count` rows to render: those in view plus the overscan margins, or all of
/// them when there are few. The rows `drawn` now stay while they still cover the view with
/// a row to spare and are not much more than needed: a small scroll, or the first
/// measurement after a guess, redraws nothing.
pub fn in_view(count: usize, view: Viewport, drawn: Option<&Range<usize>>) -> Range<usize> {
    if count <= ALL_ROWS || view.pitch <= 0.0 {
        return 0..count;
    }
    let row_at = |y: f64| (y.max(0.0) / view.pitch) as usize;
    let first = row_at(-view.top);
    let last = (row_at(view.height - view.top) + 1).min(count);
    if let Some(drawn) = drawn {
        let covers = drawn.start <= first.saturating_sub(1) && (last + 1).min(count) <= drawn.end;
        if covers
            && drawn.end <= count
            && drawn.len() <= last - first.min(last) + 2 * (OVERSCAN_ABOVE + OVERSCAN_BELOW)
        {
            return drawn.clone();
        }
    }
    let end = (last + OVERSCAN_BELOW).min(count);
    first.saturating_sub(OVERSCAN_ABOVE).min(end)..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, primary: &str, locations: &[&str]) -> Arc<Group> {
        Arc::new(plain(name, primary, locations))
    }

    fn plain(name: &str, primary: &str, locations: &[&str]) -> Group {
        Group {
            name: name.into(),
            primary: Some(primary.into()),
            locations: Some(locations.iter().map(|s| s.to_string()).collect()),
            ..Group::default()
        }
    }

    #[test]
    fn a_list_answer_keeps_the_changes_confirmed_after_it_was_asked() {
        // Asked before "old" was deleted, "new" created and "kept" protected: answered as the
        // server saw it then.
        let before = vec![
            group("kept", "lhr", &["lhr"]),
            group("old", "lhr", &["lhr"]),
        ];
        let since = vec![
            ListChange::Removed("old".into()),
            ListChange::Upsert(plain("new", "ams", &["ams"])),
            ListChange::Protected("kept".into(), true),
        ];
        let list = answered_list(before.clone(), since);
        let names: Vec<&str> = list
            .entries()
            .iter()
            .map(|e| e.group.name.as_str())
            .collect();
        assert_eq!(names, ["kept", "new"]);
        assert_eq!(list.get("kept").unwrap().delete_protection, Some(true));
        // Nothing confirmed since: the answer as it came.
        assert_eq!(answered_list(before, Vec::new()).len(), 2);
    }

    fn names() -> LocationNames {
        LocationNames::new(&[
            Location {
                code: "aws-us-east-1".into(),
                name: "AWS US East (Virginia)".into(),
            },
            Location {
                code: "aws-eu-west-1".into(),
                name: "AWS EU West (Ireland)".into(),
            },
        ])
    }

    fn shown<'a>(list: &'a GroupList, filter: &str, sort: Sort) -> Vec<&'a str> {
        let entries = list.entries();
        filtered(entries, &sorted(entries, sort), &names(), &needle(filter))
            .iter()
            .map(|&i| entries[i as usize].group.name.as_str())
            .collect()
    }

    #[test]
    fn filters_by_name_code_and_human_name() {
        let list = GroupList::new(vec![
            group("beta", "aws-eu-west-1", &["aws-eu-west-1"]),
            group(
                "alpha",
                "aws-us-east-1",
                &["aws-us-east-1", "aws-eu-west-1"],
            ),
            group("gamma", "aws-us-east-1", &["aws-us-east-1"]),
        ]);
        assert_eq!(
            shown(&list, "", Sort::default()),
            ["alpha", "beta", "gamma"]
        );
        assert_eq!(shown(&list, "IRELAND", Sort::default()), ["alpha", "beta"]);
        assert_eq!(shown(&list, " gam ", Sort::default()), ["gamma"]);
        assert_eq!(shown(&list, "Us-EaSt", Sort::default()), ["alpha", "gamma"]);
        assert!(shown(&list, "nothing", Sort::default()).is_empty());
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let list = GroupList::new(vec![
            group("b", "aws-us-east-1", &["aws-us-east-1"]),
            group("a", "aws-us-east-1", &["aws-us-east-1", "aws-eu-west-1"]),
            group("c", "aws-eu-west-1", &["aws-eu-west-1"]),
        ]);
        let by = |column, ascending| shown(&list, "", Sort { column, ascending }).concat();
        assert_eq!(by(Column::Name, true), "abc");
        assert_eq!(by(Column::Name, false), "cba");
        assert_eq!(by(Column::Primary, true), "cab");
        assert_eq!(by(Column::Primary, false), "bac");
        assert_eq!(by(Column::Locations, false), "acb");
    }

    #[test]
    fn toggling_flips_then_resets() {
        let s = Sort::default().toggled(Column::Name);
        assert!(!s.ascending);
        let s = s.toggled(Column::Version);
        assert_eq!(
            s,
            Sort {
                column: Column::Version,
                ascending: true
            }
        );
    }

    #[test]
    fn a_changed_answer_gets_a_new_revision_and_keeps_name_order() {
        let mut list = GroupList::new(vec![group("b", "x", &["x"]), group("a", "x", &["x"])]);
        let rev = |list: &GroupList, name: &str| {
            list.entries()
                .iter()
                .find(|e| e.group.name == name)
                .map(|e| e.rev)
        };
        let (a, b) = (rev(&list, "a"), rev(&list, "b"));
        list.upsert(plain("a", "x", &["x"]));
        assert_eq!(rev(&list, "a"), a, "the same answer keeps the row");
        list.upsert(plain("a", "y", &["y"]));
        assert_ne!(rev(&list, "a"), a);
        assert_eq!(rev(&list, "b"), b);
        list.upsert(plain("ab", "x", &["x"]));
        let order: Vec<&str> = list
            .entries()
            .iter()
            .map(|e| e.group.name.as_str())
            .collect();
        assert_eq!(order, ["a", "ab", "b"]);
        let revs: std::collections::HashSet<u32> = list.entries().iter().map(|e| e.rev).collect();
        assert_eq!(revs.len(), 3, "revisions are unique");
        list.set_protected("b", true);
        assert_eq!(rev(&list, "b"), b);
        assert_eq!(list.get("b").unwrap().delete_protection, Some(true));
        list.remove("ab");
        assert!(list.get("ab").is_none());
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn location_names_by_code() {
        assert_eq!(names().get("aws-eu-west-1"), Some("AWS EU West (Ireland)"));
        assert_eq!(names().get("lhr"), None);
    }

    #[test]
    fn few_rows_are_all_rendered() {
        let far_below = Viewport {
            top: 5000.0,
            height: 800.0,
            pitch: 60.0,
        };
        assert_eq!(in_view(ALL_ROWS, far_below, None), 0..ALL_ROWS);
        assert_eq!(in_view(0, far_below, None), 0..0);
    }

    #[test]
    fn many_rows_render_the_view_and_a_margin() {
        let view = |top| Viewport {
            top,
            height: 600.0,
            pitch: 60.0,
        };
        // At the top: rows 0..10 in view, and the margin below.
        assert_eq!(in_view(10_000, view(0.0), None), 0..14);
        // Scrolled 100 rows down, half a row in.
        assert_eq!(in_view(10_000, view(-6030.0), None), 99..114);
        // At the bottom.
        assert_eq!(in_view(10_000, view(-599_400.0), None), 9989..10_000);
        // The table below the viewport: only the first rows.
        assert_eq!(in_view(10_000, view(900.0), None), 0..4);
        // Scrolled past the table entirely.
        assert_eq!(in_view(10_000, view(-700_000.0), None), 10_000..10_000);
    }

    #[test]
    fn drawn_rows_stay_while_they_cover_the_view() {
        let view = |top| Viewport {
            top,
            height: 600.0,
            pitch: 60.0,
        };
        let drawn = 99..114;
        // A few pixels, or a row down: still covered with a row to spare.
        assert_eq!(in_view(10_000, view(-6040.0), Some(&drawn)), drawn);
        assert_eq!(in_view(10_000, view(-6100.0), Some(&drawn)), drawn);
        // Two rows further: the next screenful is drawn.
        assert_eq!(in_view(10_000, view(-6200.0), Some(&drawn)), 102..117);
        // A row up: the row above it is drawn, so that Shift+Tab has somewhere to go.
        assert_eq!(in_view(10_000, view(-5970.0), Some(&drawn)), 98..113);
        // Far more rows than needed (the first guess was too generous): still kept while
        // not much more than needed.
        assert_eq!(in_view(10_000, view(180.0), Some(&(0..14))), 0..14);
        // A shorter list (a filter) that ends above the view: nothing is drawn until the
        // browser pulls the page up to its new end.
        assert_eq!(in_view(100, view(-6100.0), Some(&drawn)), 100..100);
    }
}
