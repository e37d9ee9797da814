//! Where a location code sits on the world map: the linear projection that
//! `tools/map/generate.mjs` draws `assets/map/world.svg` with (viewBox 0 0 360 150:
//! x = lon + 180, y = 84 - lat), in tenths of those units, so markers are placed with
//! whole numbers (formatting floats would cost the bundle several KB).

use crate::api::Group;

/// The map's size in the units `place` returns (the asset's viewBox times ten).
pub const MAP_WIDTH: u16 = 3600;
pub const MAP_HEIGHT: u16 = 1500;
/// The map's `viewBox`, written out (`format!` would run for each map).
pub const VIEW_BOX: &str = "0 0 3600 1500";

/// Location code, latitude and longitude of its data centre's city in tenths of a degree,
/// sorted by code. AWS regions are listed without their `aws-` prefix.
const PLACES: &[(&str, i16, i16)] = &[
    ("ams", 524, 49),               // Amsterdam
    ("ap-northeast-1", 357, 1397),  // Tokyo
    ("ap-south-1", 191, 729),       // Mumbai
    ("ap-southeast-1", 13, 1038),   // Singapore
    ("ap-southeast-2", -339, 1512), // Sydney
    ("arn", 593, 181),              // Stockholm
    ("bog", 47, -741),              // Bogotá
    ("bos", 424, -711),             // Boston
    ("ca-central-1", 455, -736),    // Montreal
    ("cdg", 489, 24),               // Paris
    ("den", 397, -1050),            // Denver
    ("dfw", 328, -968),             // Dallas
    ("eu-central-1", 501, 87),      // Frankfurt
    ("eu-west-1", 533, -63),        // Dublin
    ("eu-west-2", 515, -1),         // London
    ("ewr", 408, -741),             // Secaucus, NJ
    ("fra", 501, 87),               // Frankfurt
    ("gdl", 207, -1033),            // Guadalajara
    ("gig", -229, -432),            // Rio de Janeiro
    ("gru", -235, -466),            // São Paulo
    ("hkg", 223, 1142),             // Hong Kong
    ("iad", 390, -775),             // Ashburn, VA
    ("jnb", -262, 280),             // Johannesburg
    ("lax", 341, -1182),            // Los Angeles
    ("lhr", 515, -1),               // London
    ("mad", 404, -37),              // Madrid
    ("mia", 258, -802),             // Miami
    ("nrt", 357, 1397),             // Tokyo
    ("ord", 419, -876),             // Chicago
    ("otp", 444, 261),              // Bucharest
    ("qro", 206, -1004),            // Querétaro
    ("sa-east-1", -235, -466),      // São Paulo
    ("scl", -334, -707),            // Santiago
    ("sea", 476, -1223),            // Seattle
    ("sin", 13, 1038),              // Singapore
    ("sjc", 373, -1219),            // San Jose
    ("syd", -339, 1512),            // Sydney
    ("us-east-1", 390, -775),       // Ashburn, Virginia
    ("us-east-2", 400, -830),       // Columbus, Ohio
    ("us-west-2", 458, -1197),      // Boardman, Oregon
    ("waw", 522, 210),              // Warsaw
    ("yul", 455, -736),             // Montreal
    ("yyz", 437, -794),             // Toronto
];

/// The marker position of location `code` (see `MAP_WIDTH`), `None` for a code with no
/// place (unknown, or `local`). AWS regions are found with or without `aws-`.
pub fn place(code: &str) -> Option<(u16, u16)> {
    let key = code
        .strip_prefix("aws-")
        .filter(|region| region.contains('-'))
        .unwrap_or(code);
    let i = PLACES.binary_search_by(|p| p.0.cmp(key)).ok()?;
    let (_, lat, lon) = PLACES[i];
    // In range by construction: every latitude is within 84N..66S (tested).
    Some(((1800 + lon) as u16, (840 - lat) as u16))
}

/// Each location code the groups use, in code order, with the names of the groups there.
pub fn groups_by_location<'a>(
    groups: impl IntoIterator<Item = &'a Group>,
) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut found: Vec<(&str, Vec<&str>)> = Vec::new();
    for group in groups {
        for code in group.locations() {
            match found.binary_search_by(|(c, _)| (*c).cmp(code)) {
                Ok(i) => found[i].1.push(&group.name),
                Err(i) => found.insert(i, (code, vec![&group.name])),
            }
        }
    }
    found
}

/// Group names a marker names; the rest are counted.
const NAMED: usize = 5;

/// A location in words: "London (lhr)", or the code alone when its name is not known.
pub fn location_name(name: Option<&str>, code: &str) -> String {
    match name {
        Some(name) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

/// What the overview's marker for `code` says: the location and the groups there.
pub fn location_says(name: Option<&str>, code: &str, groups: &[&str]) -> String {
    let mut out = location_name(name, code);
    out.push_str(": ");
    out.push_str(&match groups.len() {
        1 => "1 group: ".to_owned(),
        n => format!("{n} groups: "),
    });
    out.push_str(&groups[..groups.len().min(NAMED)].join(", "));
    if groups.len() > NAMED {
        out.push_str(&format!(" and {} more", groups.len() - NAMED));
    }
    out
}

/// A marker's radius (map units) for a location that `groups` groups use: grows with the
/// square root, so area follows the count, and stays readable at both ends.
pub fn marker_radius(groups: usize) -> u16 {
    (25 + (12.0 * (groups.min(100) as f32).sqrt()) as u16).min(150)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWS: &[&str] = &[
        "aws-ap-northeast-1",
        "aws-ap-south-1",
        "aws-ap-southeast-1",
        "aws-ap-southeast-2",
        "aws-ca-central-1",
        "aws-eu-central-1",
        "aws-eu-west-1",
        "aws-eu-west-2",
        "aws-sa-east-1",
        "aws-us-east-1",
        "aws-us-east-2",
        "aws-us-west-2",
    ];
    const FLY: &[&str] = &[
        "ams", "arn", "bog", "bos", "cdg", "den", "dfw", "ewr", "fra", "gdl", "gig", "gru", "hkg",
        "iad", "jnb", "lax", "lhr", "mad", "mia", "nrt", "ord", "otp", "qro", "scl", "sea", "sin",
        "sjc", "syd", "waw", "yul", "yyz",
    ];

    fn at(code: &str) -> (u16, u16) {
        place(code).unwrap_or_else(|| panic!("{code} has no place"))
    }

    #[test]
    fn the_view_box_is_the_map_size() {
        assert_eq!(VIEW_BOX, format!("0 0 {MAP_WIDTH} {MAP_HEIGHT}"));
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(PLACES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn every_known_code_is_inside_the_map() {
        for code in AWS.iter().chain(FLY) {
            let (x, y) = at(code);
            assert!(x <= MAP_WIDTH, "{code}: x = {x}");
            assert!(y <= MAP_HEIGHT, "{code}: y = {y}");
        }
        assert_eq!(PLACES.len(), AWS.len() + FLY.len());
    }

    #[test]
    fn aws_regions_are_found_with_or_without_prefix() {
        for code in AWS {
            assert_eq!(place(code), place(&code[4..]), "{code}");
        }
        assert_eq!(place("us-east-1"), place("aws-us-east-1"));
        assert_eq!(place("aws-us-east-1"), place("iad"));
    }

    #[test]
    fn unknown_codes_and_local_have_no_place() {
        for code in [
            "local",
            "",
            "aws-",
            "aws-ams",
            "xyz",
            "us-east-9",
            "AMS",
            "aws-local",
        ] {
            assert_eq!(place(code), None, "{code}");
        }
    }

    #[test]
    fn projection_is_lon_plus_180_and_84_minus_lat() {
        // London: 51.5N, 0.1W.
        assert_eq!(at("lhr"), (1799, 325));
        // Sydney: 33.9S, 151.2E.
        assert_eq!(at("syd"), (3312, 1179));
    }

    fn group(name: &str, locations: &[&str]) -> Group {
        Group {
            name: name.into(),
            locations: Some(locations.iter().map(|l| (*l).into()).collect()),
            ..Group::default()
        }
    }

    #[test]
    fn groups_are_gathered_by_location_in_code_order() {
        let groups = [
            group("a", &["lhr", "ams"]),
            group("b", &["ams"]),
            group("c", &[]),
            group("d", &["xyz", "lhr"]),
        ];
        assert_eq!(
            groups_by_location(&groups),
            [
                ("ams", vec!["a", "b"]),
                ("lhr", vec!["a", "d"]),
                ("xyz", vec!["d"])
            ]
        );
    }

    #[test]
    fn a_marker_names_its_location_and_the_first_groups() {
        assert_eq!(
            location_says(Some("London"), "lhr", &["a"]),
            "London (lhr): 1 group: a"
        );
        assert_eq!(
            location_says(None, "xyz", &["a", "b"]),
            "xyz: 2 groups: a, b"
        );
        let many = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(
            location_says(None, "ams", &many),
            "ams: 7 groups: a, b, c, d, e and 2 more"
        );
    }

    #[test]
    fn markers_grow_with_the_count_within_bounds() {
        assert_eq!(marker_radius(0), 25);
        assert!(marker_radius(1) < marker_radius(2));
        assert!(marker_radius(2) < marker_radius(4));
        assert!(marker_radius(4) < marker_radius(50));
        assert_eq!(marker_radius(10_000), marker_radius(100));
        assert_eq!(marker_radius(100), 145);
    }

    #[test]
    fn cities_are_where_they_should_be_relative_to_each_other() {
        let (lon_x, lon_y) = at("lhr");
        let (syd_x, syd_y) = at("syd");
        assert!(
            syd_x > lon_x && syd_y > lon_y,
            "Sydney is east of and below London"
        );
        assert!(at("nrt").0 > at("fra").0, "Tokyo is east of Frankfurt");
        assert!(at("sea").0 < at("iad").0, "Seattle is west of Ashburn");
        assert!(at("arn").1 < at("mad").1, "Stockholm is north of Madrid");
        assert!(at("gru").1 > at("mia").1, "São Paulo is south of Miami");
    }
}
