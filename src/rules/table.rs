//! Filtering and sorting of the group table, kept apart from the view.

use crate::api::{Group, Location};

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

/// The human name of a location code, when the locations list knows it.
pub fn location_name<'a>(locations: &'a [Location], code: &str) -> Option<&'a str> {
    locations
        .iter()
        .find(|l| l.code == code)
        .map(|l| l.name.as_str())
}

/// Does the group match the filter text? Matches name, location codes and their human
/// names, and version, ignoring ASCII case (names and codes are ASCII; full Unicode case
/// folding costs its tables in the bundle).
pub fn matches(group: &Group, locations: &[Location], needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    let hit = |s: &str| s.to_ascii_lowercase().contains(needle_lower);
    hit(&group.name)
        || group.version.as_deref().is_some_and(hit)
        || group
            .primary
            .iter()
            .chain(group.locations())
            .any(|code| hit(code) || location_name(locations, code).is_some_and(hit))
}

/// Indices of the groups to show, filtered and sorted; ties keep name order.
pub fn visible_rows(
    groups: &[Group],
    locations: &[Location],
    filter: &str,
    sort: Sort,
) -> Vec<usize> {
    let needle = filter.trim().to_ascii_lowercase();
    let mut rows: Vec<usize> = (0..groups.len())
        .filter(|&i| matches(&groups[i], locations, &needle))
        .collect();
    // Names are unique, so the name tie-break makes an unstable sort deterministic.
    rows.sort_unstable_by(|&a, &b| {
        let (ga, gb) = (&groups[a], &groups[b]);
        let ord = match sort.column {
            Column::Name => std::cmp::Ordering::Equal,
            Column::Primary => ga.primary.cmp(&gb.primary),
            Column::Locations => ga.locations().len().cmp(&gb.locations().len()),
            Column::Version => ga.version.cmp(&gb.version),
            Column::Archived => ga.is_archived().cmp(&gb.is_archived()),
            Column::DeleteProtection => ga.is_delete_protected().cmp(&gb.is_delete_protected()),
        }
        .then_with(|| ga.name.cmp(&gb.name));
        if sort.ascending {
            ord
        } else {
            ord.reverse()
        }
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, primary: &str, locations: &[&str]) -> Group {
        Group {
            name: name.into(),
            primary: Some(primary.into()),
            locations: Some(locations.iter().map(|s| s.to_string()).collect()),
            ..Group::default()
        }
    }

    fn locs() -> Vec<Location> {
        vec![
            Location {
                code: "aws-eu-west-1".into(),
                name: "AWS EU West (Ireland)".into(),
            },
            Location {
                code: "aws-us-east-1".into(),
                name: "AWS US East (Virginia)".into(),
            },
        ]
    }

    #[test]
    fn filters_by_name_code_and_human_name() {
        let groups = vec![
            group("beta", "aws-eu-west-1", &["aws-eu-west-1"]),
            group(
                "alpha",
                "aws-us-east-1",
                &["aws-us-east-1", "aws-eu-west-1"],
            ),
            group("gamma", "aws-us-east-1", &["aws-us-east-1"]),
        ];
        let names = |rows: Vec<usize>| {
            rows.iter()
                .map(|&i| groups[i].name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(visible_rows(&groups, &locs(), "", Sort::default())),
            ["alpha", "beta", "gamma"]
        );
        assert_eq!(
            names(visible_rows(&groups, &locs(), "IRELAND", Sort::default())),
            ["alpha", "beta"]
        );
        assert_eq!(
            names(visible_rows(&groups, &locs(), " gam ", Sort::default())),
            ["gamma"]
        );
        assert!(visible_rows(&groups, &locs(), "nothing", Sort::default()).is_empty());
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let groups = vec![
            group("b", "aws-us-east-1", &["aws-us-east-1"]),
            group("a", "aws-us-east-1", &["aws-us-east-1", "aws-eu-west-1"]),
            group("c", "aws-eu-west-1", &["aws-eu-west-1"]),
        ];
        let by = |column, ascending| {
            visible_rows(&groups, &[], "", Sort { column, ascending })
                .iter()
                .map(|&i| groups[i].name.as_str())
                .collect::<String>()
        };
        assert_eq!(by(Column::Name, true), "abc");
        assert_eq!(by(Column::Name, false), "cba");
        assert_eq!(by(Column::Primary, true), "cab");
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
}
