//! Bulk actions as rules: what each does in words, how a run is summed up, and how long to
//! wait when the API says "too many requests".

/// Changes in flight at once in a bulk run: enough to be quick, few enough not to be the
/// reason the API slows us down.
pub const CONCURRENCY: usize = 4;
/// A group refused with 429 is asked again at most this many times in one run.
pub const MAX_RATE_LIMITED: u8 = 3;
/// A longer Retry-After is not waited out: the group fails with the API's words.
const MAX_WAIT_SECS: u32 = 60;

/// What a bulk run does to each selected group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Delete protection on (`true`) or off.
    Protect(bool),
    Rotate,
    Transfer,
    Delete,
}

impl BulkAction {
    /// The dialog's title for `n` groups.
    pub fn title(self, n: usize) -> String {
        let groups = if n == 1 {
            "1 group".to_owned()
        } else {
            format!("{n} groups")
        };
        match self {
            BulkAction::Protect(true) => format!("Turn delete protection on for {groups}"),
            BulkAction::Protect(false) => format!("Turn delete protection off for {groups}"),
            BulkAction::Rotate => format!("Invalidate the tokens of {groups}"),
            BulkAction::Transfer => format!("Transfer {groups}"),
            BulkAction::Delete => format!("Delete {groups}"),
        }
    }
}

/// How long to wait before sending a rate-limited change again, in ms: what Retry-After
/// asks, else 1 s, 2 s, 4 s; `None` once `tries` are used up or the wait is too long.
pub fn rate_limit_wait_ms(retry_after: Option<u32>, tries: u8) -> Option<u32> {
    if tries >= MAX_RATE_LIMITED {
        return None;
    }
    match retry_after {
        Some(secs) if secs > MAX_WAIT_SECS => None,
        Some(secs) => Some(secs.max(1) * 1000),
        None => Some(1000 << tries),
    }
}

/// A run in one line: "3 done, 1 failed, 1 skipped" (parts that are zero left out).
pub fn summary(done: usize, failed: usize, skipped: usize) -> String {
    let mut out = String::new();
    for (n, what) in [(done, " done"), (failed, " failed"), (skipped, " skipped")] {
        if n > 0 {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&n.to_string());
            out.push_str(what);
        }
    }
    out
}

/// The positions a Shift-click selects: from the last click (`anchor`) to this one, in
/// either direction; this one alone when there was none.
pub fn range(anchor: Option<usize>, at: usize) -> std::ops::RangeInclusive<usize> {
    let from = anchor.unwrap_or(at);
    from.min(at)..=from.max(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_say_what_happens_to_how_many() {
        assert_eq!(BulkAction::Delete.title(1), "Delete 1 group");
        assert_eq!(
            BulkAction::Protect(true).title(3),
            "Turn delete protection on for 3 groups"
        );
        assert_eq!(
            BulkAction::Rotate.title(2),
            "Invalidate the tokens of 2 groups"
        );
    }

    #[test]
    fn a_rate_limit_is_waited_out_as_asked_and_a_few_times_only() {
        assert_eq!(rate_limit_wait_ms(Some(2), 0), Some(2000));
        assert_eq!(rate_limit_wait_ms(Some(0), 0), Some(1000));
        assert_eq!(rate_limit_wait_ms(None, 0), Some(1000));
        assert_eq!(rate_limit_wait_ms(None, 2), Some(4000));
        assert_eq!(rate_limit_wait_ms(None, MAX_RATE_LIMITED), None);
        assert_eq!(rate_limit_wait_ms(Some(61), 0), None, "too long to wait");
    }

    #[test]
    fn a_summary_names_only_what_happened() {
        assert_eq!(summary(3, 1, 1), "3 done, 1 failed, 1 skipped");
        assert_eq!(summary(2, 0, 0), "2 done");
        assert_eq!(summary(0, 0, 1), "1 skipped");
    }

    #[test]
    fn shift_click_ranges_run_either_way() {
        assert_eq!(range(Some(2), 5), 2..=5);
        assert_eq!(range(Some(5), 2), 2..=5);
        assert_eq!(range(None, 4), 4..=4);
    }
}
