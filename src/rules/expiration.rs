//! Token expiration as the API takes it: `never`, or `<whole number><unit>` pieces such as
//! `2w1d30m`. Only the OpenAPI example documents it, so this follows the examples the sources
//! show (section 4.1 of the contract); checking while typing saves a round trip to a bare
//! "Invalid expiration format", and the server's message is still shown if it refuses anyway.

/// Seconds per unit, largest first: the order `format_expiration` writes them in.
const UNITS: [(char, u64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// Choices offered next to the free-text field: (label, API value).
pub const PRESETS: [(&str, &str); 4] = [
    ("1 hour", "1h"),
    ("1 day", "1d"),
    ("7 days", "7d"),
    ("30 days", "30d"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiration {
    Never,
    /// Seconds from the moment the token is created.
    After(u64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpirationProblem {
    Empty,
    /// The digits at the end that have no unit after them.
    MissingUnit(String),
    /// A unit with no number before it.
    MissingNumber(char),
    /// `piece` is the number (maybe empty) and the character that is not a unit.
    UnknownUnit {
        piece: String,
        unit: char,
    },
    /// Every piece is zero.
    Zero,
    /// More seconds than fit in a `u64`.
    TooLong,
}

impl std::fmt::Display for ExpirationProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpirationProblem::Empty => {
                write!(f, "Give an expiration such as 7d or 2w1d30m, or choose never.")
            }
            ExpirationProblem::MissingUnit(number) => write!(
                f,
                "“{number}” needs a unit after it: w, d, h, m or s (e.g. {number}d)."
            ),
            ExpirationProblem::MissingNumber(unit) => {
                write!(f, "“{unit}” needs a number before it, e.g. 7{unit}.")
            }
            ExpirationProblem::UnknownUnit { unit, .. } if unit.is_whitespace() => write!(
                f,
                "Remove the spaces: write the pieces together, like 2w1d30m."
            ),
            ExpirationProblem::UnknownUnit { piece, unit }
                if "WDHMS".contains(*unit) && unit.is_ascii_uppercase() =>
            {
                write!(
                    f,
                    "“{piece}”: units are lowercase; write {} instead of {unit}.",
                    unit.to_ascii_lowercase()
                )
            }
            ExpirationProblem::UnknownUnit { piece, unit } => {
                write!(f, "“{piece}”: {unit} is not a unit; use w, d, h, m or s.")
            }
            ExpirationProblem::Zero => write!(
                f,
                "A token with this expiration would expire at once; give a longer span or choose never."
            ),
            ExpirationProblem::TooLong => {
                write!(f, "That span is too long; choose a shorter one or never.")
            }
        }
    }
}

/// Reads the API form. Surrounding whitespace is ignored; units are lowercase, as documented.
/// Pieces may repeat and come in any order (`1d1d` is two days): the examples don't say the
/// server forbids it, and refusing it here would only hide the server's own answer.
pub fn parse_expiration(text: &str) -> Result<Expiration, ExpirationProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ExpirationProblem::Empty);
    }
    if text == "never" {
        return Ok(Expiration::Never);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut number: u64 = 0;
    // Overflow of the current number is reported only once its unit is known to be valid.
    let mut number_overflowed = false;
    for c in text.chars() {
        // `to_digit(10)` takes only ASCII digits, never other scripts' digits.
        if let Some(d) = c.to_digit(10) {
            digits.push(c);
            match number.checked_mul(10).and_then(|n| n.checked_add(d.into())) {
                Some(n) => number = n,
                None => number_overflowed = true,
            }
            continue;
        }
        let Some(&(_, seconds)) = UNITS.iter().find(|(unit, _)| *unit == c) else {
            digits.push(c);
            return Err(ExpirationProblem::UnknownUnit {
                piece: digits,
                unit: c,
            });
        };
        if digits.is_empty() {
            return Err(ExpirationProblem::MissingNumber(c));
        }
        if number_overflowed {
            return Err(ExpirationProblem::TooLong);
        }
        total = number
            .checked_mul(seconds)
            .and_then(|piece| total.checked_add(piece))
            .ok_or(ExpirationProblem::TooLong)?;
        digits.clear();
        number = 0;
    }
    if !digits.is_empty() {
        return Err(ExpirationProblem::MissingUnit(digits));
    }
    if total == 0 {
        return Err(ExpirationProblem::Zero);
    }
    Ok(Expiration::After(total))
}

/// The API form of a span, largest units first: 1,297,800 seconds → `2w1d30m`.
/// Zero has no valid form; it gives `0s`, which `parse_expiration` refuses, so a zero can
/// never turn into a token that lasts forever.
pub fn format_expiration(seconds: u64) -> String {
    if seconds == 0 {
        return "0s".to_owned();
    }
    let mut rest = seconds;
    let mut out = String::new();
    for (unit, size) in UNITS {
        let count = rest / size;
        if count > 0 {
            out.push_str(&count.to_string());
            out.push(unit);
            rest %= size;
        }
    }
    out
}

/// A span as counts of weeks, days, hours, minutes and seconds (the order of `UNITS`), for
/// the form's number boxes; `join_span` is its inverse.
pub fn split_span(seconds: u64) -> [u64; 5] {
    let mut rest = seconds;
    UNITS.map(|(_, size)| {
        let count = rest / size;
        rest %= size;
        count
    })
}

/// Seconds in the given counts of weeks, days, hours, minutes and seconds; `None` when
/// that does not fit in a `u64`.
pub fn join_span(counts: [u64; 5]) -> Option<u64> {
    counts
        .iter()
        .zip(UNITS)
        .try_fold(0u64, |total, (count, (_, size))| {
            total.checked_add(count.checked_mul(size)?)
        })
}

/// A span in words for people: the two largest non-zero units of days, hours, minutes and
/// seconds (weeks read as days, since "15 days" is easier than "2 weeks, 1 day"), smaller
/// units dropped: 1,297,800 → `15 days, 30 minutes`. Zero gives `0 seconds`.
pub fn describe_span(seconds: u64) -> String {
    const WORDS: [(&str, u64); 4] = [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ];
    if seconds == 0 {
        return "0 seconds".to_owned();
    }
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (word, size) in WORDS {
        let count = rest / size;
        rest %= size;
        if count > 0 && parts.len() < 2 {
            let plural = if count == 1 { "" } else { "s" };
            parts.push(format!("{count} {word}{plural}"));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(text: &str) -> u64 {
        match parse_expiration(text) {
            Ok(Expiration::After(s)) => s,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_contract_examples() {
        assert_eq!(after("2w1d30m"), 2 * 604_800 + 86_400 + 30 * 60);
        assert_eq!(after("2w"), 1_209_600);
        assert_eq!(after("1w2d6h3m"), 604_800 + 2 * 86_400 + 6 * 3_600 + 3 * 60);
        assert_eq!(after("7d3h2m1s"), 7 * 86_400 + 3 * 3_600 + 2 * 60 + 1);
        assert_eq!(after("1h"), 3_600);
        assert_eq!(parse_expiration("never"), Ok(Expiration::Never));
    }

    #[test]
    fn spans_split_into_the_form_boxes() {
        assert_eq!(split_span(after("2w1d30m")), [2, 1, 0, 30, 0]);
        assert_eq!(split_span(0), [0; 5]);
        assert_eq!(join_span([0, 15, 0, 30, 0]), Some(after("2w1d30m")));
        assert_eq!(join_span([u64::MAX, 0, 0, 0, 0]), None);
    }

    #[test]
    fn ignores_surrounding_space_and_takes_any_order() {
        assert_eq!(after("  30d\n"), 30 * 86_400);
        assert_eq!(parse_expiration(" never "), Ok(Expiration::Never));
        assert_eq!(after("1s1w"), 604_801);
        assert_eq!(after("1d1d"), 2 * 86_400);
        assert_eq!(after("007m"), 420);
        assert_eq!(after("0d5s"), 5);
    }

    #[test]
    fn refuses_with_a_reason() {
        use ExpirationProblem::*;
        let cases: [(&str, ExpirationProblem, &str); 14] = [
            ("", Empty, "Give an expiration such as 7d or 2w1d30m, or choose never."),
            ("   ", Empty, "Give an expiration such as 7d or 2w1d30m, or choose never."),
            (
                "30",
                MissingUnit("30".into()),
                "“30” needs a unit after it: w, d, h, m or s (e.g. 30d).",
            ),
            (
                "2w30",
                MissingUnit("30".into()),
                "“30” needs a unit after it: w, d, h, m or s (e.g. 30d).",
            ),
            ("d", MissingNumber('d'), "“d” needs a number before it, e.g. 7d."),
            ("1wh", MissingNumber('h'), "“h” needs a number before it, e.g. 7h."),
            (
                "5x",
                UnknownUnit { piece: "5x".into(), unit: 'x' },
                "“5x”: x is not a unit; use w, d, h, m or s.",
            ),
            (
                "1w2y",
                UnknownUnit { piece: "2y".into(), unit: 'y' },
                "“2y”: y is not a unit; use w, d, h, m or s.",
            ),
            (
                "7D",
                UnknownUnit { piece: "7D".into(), unit: 'D' },
                "“7D”: units are lowercase; write d instead of D.",
            ),
            (
                "Never",
                UnknownUnit { piece: "N".into(), unit: 'N' },
                "“N”: N is not a unit; use w, d, h, m or s.",
            ),
            (
                "never1d",
                UnknownUnit {
                    piece: "n".into(),
                    unit: 'n',
                },
                "“n”: n is not a unit; use w, d, h, m or s.",
            ),
            (
                "2w 1d",
                UnknownUnit { piece: " ".into(), unit: ' ' },
                "Remove the spaces: write the pieces together, like 2w1d30m.",
            ),
            (
                "0m",
                Zero,
                "A token with this expiration would expire at once; give a longer span or choose never.",
            ),
            (
                "99999999999999999999s",
                TooLong,
                "That span is too long; choose a shorter one or never.",
            ),
        ];
        for (text, problem, message) in cases {
            assert_eq!(parse_expiration(text), Err(problem.clone()), "{text:?}");
            assert_eq!(problem.to_string(), message, "{text:?}");
        }
    }

    #[test]
    fn refuses_every_kind_of_overflow() {
        // The number fits but times the unit does not; the sum of fitting pieces does not.
        let max = u64::MAX;
        assert_eq!(
            parse_expiration(&format!("{}w", max / 604_800 + 1)),
            Err(ExpirationProblem::TooLong)
        );
        assert_eq!(
            parse_expiration(&format!("{max}s1s")),
            Err(ExpirationProblem::TooLong)
        );
        assert_eq!(after(&format!("{max}s")), max);
        // An unknown unit is named even after a number too big to read.
        assert!(matches!(
            parse_expiration("99999999999999999999x"),
            Err(ExpirationProblem::UnknownUnit { unit: 'x', .. })
        ));
    }

    #[test]
    fn formats_largest_units_first() {
        assert_eq!(format_expiration(1_296_000 + 1_800), "2w1d30m");
        assert_eq!(format_expiration(1), "1s");
        assert_eq!(format_expiration(3_600), "1h");
        assert_eq!(format_expiration(604_800 + 1), "1w1s");
        assert_eq!(format_expiration(30 * 86_400), "4w2d");
    }

    #[test]
    fn zero_formats_to_a_refused_value() {
        assert_eq!(format_expiration(0), "0s");
        assert_eq!(
            parse_expiration(&format_expiration(0)),
            Err(ExpirationProblem::Zero)
        );
    }

    #[test]
    fn describes_spans_in_words() {
        assert_eq!(describe_span(1_296_000 + 1_800), "15 days, 30 minutes");
        assert_eq!(describe_span(3_600), "1 hour");
        assert_eq!(describe_span(1), "1 second");
        assert_eq!(describe_span(2), "2 seconds");
        assert_eq!(describe_span(90), "1 minute, 30 seconds");
        assert_eq!(describe_span(86_400 + 7_200 + 180 + 4), "1 day, 2 hours");
        assert_eq!(describe_span(604_800), "7 days");
        assert_eq!(describe_span(0), "0 seconds");
    }

    #[test]
    fn presets_parse_and_match_their_labels() {
        for (label, value) in PRESETS {
            let Ok(Expiration::After(seconds)) = parse_expiration(value) else {
                panic!("{value}");
            };
            assert_eq!(describe_span(seconds), label);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn unit_seconds(unit: char) -> u64 {
            UNITS.iter().find(|(u, _)| *u == unit).unwrap().1
        }

        proptest! {
            #[test]
            fn pieces_sum_to_their_seconds(
                pieces in prop::collection::vec(
                    (0u64..10_000, prop::sample::select(vec!['w', 'd', 'h', 'm', 's'])),
                    1..6,
                ).prop_filter("not all zero", |p| p.iter().any(|(n, _)| *n > 0))
            ) {
                let text: String = pieces.iter().map(|(n, u)| format!("{n}{u}")).collect();
                let sum: u64 = pieces.iter().map(|(n, u)| n * unit_seconds(*u)).sum();
                prop_assert_eq!(parse_expiration(&text), Ok(Expiration::After(sum)));
            }

            #[test]
            fn split_and_join_are_inverses(n in any::<u64>()) {
                let counts = split_span(n);
                prop_assert_eq!(join_span(counts), Some(n));
                // Each count below the largest is less than one of the next unit up.
                prop_assert!(counts[1] < 7 && counts[2] < 24 && counts[3] < 60 && counts[4] < 60);
            }

            #[test]
            fn formatting_parses_back(n in 1u64..1_000_000_000) {
                let text = format_expiration(n);
                prop_assert_eq!(parse_expiration(&text), Ok(Expiration::After(n)));
            }

            #[test]
            fn any_text_parses_or_explains(text in "\\PC*") {
                match parse_expiration(&text) {
                    Ok(_) => {
                        let trimmed = text.trim();
                        prop_assert!(
                            trimmed == "never"
                                || trimmed.chars().all(|c| c.is_ascii_digit() || "wdhms".contains(c)),
                            "accepted {:?}", text
                        );
                    }
                    Err(problem) => prop_assert!(!problem.to_string().is_empty()),
                }
            }

            #[test]
            fn a_foreign_character_is_refused(
                before in "[0-9wdhms]{0,6}",
                foreign in any::<char>().prop_filter("outside the grammar", |c| {
                    !(c.is_ascii_digit() || "wdhms".contains(*c))
                }),
                after in "[0-9wdhms]{0,6}",
            ) {
                let text = format!("{before}{foreign}{after}");
                // Whitespace at either end is trimmed, so it only counts inside.
                prop_assume!(text.trim() == text && text != "never");
                prop_assert!(parse_expiration(&text).is_err(), "accepted {:?}", text);
            }
        }
    }
}
