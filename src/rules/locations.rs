//! Searching the locations list for the picker.

use crate::api::Location;

/// Locations whose code or human name contains `query` (case-insensitive), leaving out
/// `exclude`, with `closest` first when it is among them.
pub fn search(
    locations: &[Location],
    query: &str,
    exclude: &[String],
    closest: Option<&str>,
) -> Vec<Location> {
    let needle = query.trim().to_ascii_lowercase();
    let mut found: Vec<Location> = locations
        .iter()
        .filter(|l| !exclude.contains(&l.code))
        .filter(|l| {
            needle.is_empty()
                || l.code.to_ascii_lowercase().contains(&needle)
                || l.name.to_ascii_lowercase().contains(&needle)
        })
        .cloned()
        .collect();
    found.sort_unstable_by_key(|l| {
        (
            Some(l.code.as_str()) != closest,
            l.name.to_ascii_lowercase(),
        )
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs() -> Vec<Location> {
        [
            ("aws-us-east-1", "AWS US East (Virginia)"),
            ("aws-eu-west-1", "AWS EU West (Ireland)"),
            ("aws-eu-west-2", "AWS EU West (London)"),
        ]
        .into_iter()
        .map(|(c, n)| Location {
            code: c.into(),
            name: n.into(),
        })
        .collect()
    }

    fn codes(v: Vec<Location>) -> Vec<String> {
        v.into_iter().map(|l| l.code).collect()
    }

    #[test]
    fn matches_code_or_name_in_any_case() {
        assert_eq!(
            codes(search(&locs(), "IRELAND", &[], None)),
            ["aws-eu-west-1"]
        );
        assert_eq!(
            codes(search(&locs(), "eu-west", &[], None)),
            ["aws-eu-west-1", "aws-eu-west-2"]
        );
        assert_eq!(search(&locs(), "", &[], None).len(), 3);
        assert!(search(&locs(), "mars", &[], None).is_empty());
    }

    #[test]
    fn leaves_out_excluded_and_puts_closest_first() {
        assert_eq!(
            codes(search(&locs(), "", &["aws-eu-west-1".into()], None)),
            ["aws-eu-west-2", "aws-us-east-1"]
        );
        assert_eq!(
            codes(search(&locs(), "", &[], Some("aws-us-east-1")))[0],
            "aws-us-east-1"
        );
    }
}
