//! The `expiration` query parameter of the token route: `never`, or one or more
//! `<digits><unit>` pieces with units w, d, h, m, s (OAS example `2w1d30m`).

/// Seconds until expiry, `None` for `never`, `Err` for anything else (including overflow).
pub(crate) fn parse(text: &str) -> Result<Option<u64>, ()> {
    if text == "never" {
        return Ok(None);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: u64 = match c {
            'w' => 7 * 24 * 3600,
            'd' => 24 * 3600,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(()),
        };
        let count: u64 = digits.parse().map_err(|_| ())?;
        digits.clear();
        let seconds = count.checked_mul(unit).ok_or(())?;
        total = total.checked_add(seconds).ok_or(())?;
    }
    // Empty input, or trailing digits with no unit.
    if text.is_empty() || !digits.is_empty() {
        return Err(());
    }
    Ok(Some(total))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_never_and_unit_pieces() {
        assert_eq!(parse("never"), Ok(None));
        assert_eq!(parse("2w1d30m"), Ok(Some(2 * 604800 + 86400 + 1800)));
        assert_eq!(parse("7d3h2m1s"), Ok(Some(7 * 86400 + 3 * 3600 + 121)));
        assert_eq!(parse("1h"), Ok(Some(3600)));
        assert_eq!(
            parse("1w2d6h3m"),
            Ok(Some(604800 + 2 * 86400 + 6 * 3600 + 180))
        );
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "d",
            "7",
            "7x",
            "1d2",
            "-1d",
            "1.5d",
            "NEVER",
            " 1d",
            "1D",
            "none",
            "99999999999999999999d",
            "40000000000000w",
        ] {
            assert_eq!(parse(bad), Err(()), "{bad:?}");
        }
    }
}
