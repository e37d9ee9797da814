//! Bulk actions as rules: what each does in words, how a run is summed up, and how long to
//! wait when the API says "too many requests"; and a run's transitions (open, next to send,
//! answered, a 429's wait, retry) as pure functions on its state.

use crate::api::{ApiError, ErrorKind};

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

/// Where one group is in a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Waiting,
    Sending,
    Done,
    /// Not sent, and why.
    Skipped(&'static str),
    /// The API's refusal, kept whole: shown like every other refusal.
    Failed(ApiError),
}

/// One group's line in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub step: Step,
    /// Times the API answered 429 for it in this run.
    limited: u8,
}

/// One opening of the bulk dialog: its lines by group name, and how far the run got. Every
/// transition names the run it is meant for (`id`): whatever comes from another run (a late
/// answer, a 429 timer) changes nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub id: u64,
    pub action: BulkAction,
    /// In name order (the selection's), so a group's line is found by binary search.
    pub lines: Vec<Line>,
    /// The groups a delete destroys, fixed when the dialog opens (the lines not skipped):
    /// what the databases count asks about, which must not move while the run removes them.
    pub doomed: Vec<String>,
    /// Run was pressed: only now is anything sent, and the form is locked.
    pub started: bool,
    /// The organization a transfer goes to, taken once when Run is pressed (trimmed).
    pub to: String,
    /// Seconds left of a 429's wait: nothing new is sent meanwhile.
    pub paused: Option<u32>,
}

/// What an answer did to its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answered {
    /// From another run, or for a group not in flight: nothing changed.
    Ignored,
    /// The line shows the outcome; send what comes next.
    Landed,
    /// A 429 that starts a wait of this many seconds: tick it down, then send again.
    Wait(u32),
}

/// A second of a 429's wait gone by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// The timer's run is gone, or not waiting: stop ticking.
    Stale,
    /// Still waiting this many seconds.
    Left(u32),
    /// The wait is over: send again.
    Resume,
}

/// How many lines are at each step, for the summary and the buttons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub waiting: usize,
    pub sending: usize,
    pub done: usize,
    pub skipped: usize,
    /// Failures a retry can fix (see `retryable`).
    pub retryable: usize,
    /// Failures a retry would meet again.
    pub final_failures: usize,
}

impl Tally {
    pub fn failed(&self) -> usize {
        self.retryable + self.final_failures
    }
}

/// What the dialog shows of a run beside its lines: a few values that change together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub tally: Tally,
    /// Run was pressed: the input is locked.
    pub started: bool,
    /// Something is in flight or waited for.
    pub running: bool,
    /// Seconds left of a 429's wait.
    pub paused: Option<u32>,
}

/// Whether sending again can fix this refusal: a rate limit, the API's own trouble, no answer
/// in time or no answer at all. Anything else (not found, a conflict, the plan, bad input) is
/// the API saying no to this request, and would say it again.
pub fn retryable(e: &ApiError) -> bool {
    matches!(
        e.kind,
        ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Network
    )
}

/// What Run checks before anything is sent: the organization of a transfer, trimmed (taken
/// once: the run never reads the field again), and the typed count of a delete.
pub fn check_start(
    action: BulkAction,
    to: &str,
    own_org: &str,
    typed_count: &str,
    doomed: usize,
) -> Result<String, &'static str> {
    let to = to.trim();
    match action {
        BulkAction::Transfer if to.is_empty() => {
            Err("Type the organization to move the groups to.")
        }
        BulkAction::Transfer if to == own_org => {
            Err("The groups are already in that organization.")
        }
        BulkAction::Transfer => Ok(to.to_owned()),
        BulkAction::Delete if typed_count.trim() != doomed.to_string() => {
            Err("Type the number of groups to delete, as shown.")
        }
        _ => Ok(String::new()),
    }
}

impl Run {
    /// The dialog opens as run `id` for `action` on `names` (in name order); a delete skips
    /// the protected groups, said up front. Nothing is sent before `start`.
    pub fn open(
        id: u64,
        action: BulkAction,
        names: Vec<String>,
        protected: impl Fn(&str) -> bool,
    ) -> Run {
        let lines: Vec<Line> = names
            .into_iter()
            .map(|name| Line {
                step: if action == BulkAction::Delete && protected(&name) {
                    Step::Skipped("delete protection is on")
                } else {
                    Step::Waiting
                },
                name,
                limited: 0,
            })
            .collect();
        let doomed = if action == BulkAction::Delete {
            let waiting = lines.iter().filter(|l| l.step == Step::Waiting);
            waiting.map(|l| l.name.clone()).collect()
        } else {
            Vec::new()
        };
        Run {
            id,
            action,
            lines,
            doomed,
            started: false,
            to: String::new(),
            paused: None,
        }
    }

    /// The line of `name`, if the run has one.
    pub fn line(&self, name: &str) -> Option<&Line> {
        let at = self.at(name)?;
        Some(&self.lines[at])
    }

    fn at(&self, name: &str) -> Option<usize> {
        self.lines
            .binary_search_by(|l| l.name.as_str().cmp(name))
            .ok()
    }

    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for line in &self.lines {
            match &line.step {
                Step::Waiting => t.waiting += 1,
                Step::Sending => t.sending += 1,
                Step::Done => t.done += 1,
                Step::Skipped(_) => t.skipped += 1,
                Step::Failed(e) if retryable(e) => t.retryable += 1,
                Step::Failed(_) => t.final_failures += 1,
            }
        }
        t
    }

    pub fn progress(&self) -> Progress {
        Progress {
            tally: self.tally(),
            started: self.started,
            running: self.running(),
            paused: self.paused,
        }
    }

    /// Something is in flight or waited for: Run and Retry wait.
    pub fn running(&self) -> bool {
        self.paused.is_some() || self.lines.iter().any(|l| l.step == Step::Sending)
    }

    /// Run was pressed, with what `check_start` gave: from now on `next` sends.
    pub fn start(&mut self, to: String) {
        self.started = true;
        self.to = to;
    }

    /// The groups to send now , each marked as sending: none before Run, none during a wait,
    /// and never more than `CONCURRENCY` in flight.
    pub fn to_send(&mut self) -> Vec<String> {
        if !self.started || self.paused.is_some() {
            return Vec::new();
        }
        let sending = self
            .lines
            .iter()
            .filter(|l| l.step == Step::Sending)
            .count();
        let mut out = Vec::new();
        for line in &mut self.lines {
            if sending + out.len() >= CONCURRENCY {
                break;
            }
            if line.step == Step::Waiting {
                line.step = Step::Sending;
                out.push(line.name.clone());
            }
        }
        out
    }

    /// The answer for `name` sent by run `id`. Only a line of this run that is in flight
    /// takes it: an answer never starts a run nor touches another.
    pub fn answered(&mut self, id: u64, name: &str, result: Result<(), ApiError>) -> Answered {
        let Some(at) = self.at(name).filter(|_| id == self.id) else {
            return Answered::Ignored;
        };
        let line = &mut self.lines[at];
        if line.step != Step::Sending {
            return Answered::Ignored;
        }
        let mut answered = Answered::Landed;
        line.step = match result {
            Ok(()) => Step::Done,
            Err(e) if e.kind == ErrorKind::RateLimited => {
                match rate_limit_wait_ms(e.retry_after, line.limited) {
                    Some(ms) => {
                        line.limited += 1;
                        // One wait at a time: a 429 during a wait joins it.
                        if self.paused.is_none() {
                            let secs = ms.div_ceil(1000);
                            self.paused = Some(secs);
                            answered = Answered::Wait(secs);
                        }
                        Step::Waiting
                    }
                    None => Step::Failed(e),
                }
            }
            Err(e) => Step::Failed(e),
        };
        answered
    }

    /// `name` of run `id` could not be sent, and why.
    pub fn skip(&mut self, id: u64, name: &str, why: &'static str) {
        if let Some(at) = self.at(name).filter(|_| id == self.id) {
            self.lines[at].step = Step::Skipped(why);
        }
    }

    /// A second of run `id`'s wait has gone by.
    pub fn tick(&mut self, id: u64) -> Tick {
        match self.paused {
            Some(secs) if id == self.id => {
                let left = secs.saturating_sub(1);
                if left == 0 {
                    self.paused = None;
                    Tick::Resume
                } else {
                    self.paused = Some(left);
                    Tick::Left(left)
                }
            }
            _ => Tick::Stale,
        }
    }

    /// What closing the dialog now leaves behind, in words: the changes still in flight
    /// (their results reach the table, a refusal the banner) and the groups never sent.
    /// `None` when nothing was under way.
    pub fn stopped(&self) -> Option<String> {
        if !self.started || !self.running() {
            return None;
        }
        let t = self.tally();
        let mut said = "The bulk run was stopped.".to_owned();
        match t.sending {
            0 => {}
            1 => said.push_str(" The change to 1 group still under way will show in the table"),
            n => said.push_str(&format!(
                " The changes to {n} groups still under way will show in the table"
            )),
        }
        if t.sending > 0 {
            said.push_str(" (a refusal, here).");
        }
        match t.waiting {
            0 => {}
            1 => said.push_str(" 1 group was not sent."),
            n => said.push_str(&format!(" {n} groups were not sent.")),
        }
        Some(said)
    }

    /// "Retry the failed ones": the failures a retry can fix wait to be sent again, with
    /// their 429 count afresh; the others keep their refusal. Gives how many.
    pub fn retry(&mut self) -> usize {
        let mut n = 0;
        for line in &mut self.lines {
            if matches!(&line.step, Step::Failed(e) if retryable(e)) {
                line.step = Step::Waiting;
                line.limited = 0;
                n += 1;
            }
        }
        n
    }
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

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    fn protect(id: u64, n: &[&str]) -> Run {
        Run::open(id, BulkAction::Protect(true), names(n), |_| false)
    }

    fn error(kind: ErrorKind) -> ApiError {
        ApiError::new(kind, "no")
    }

    fn steps(run: &Run) -> Vec<Step> {
        run.lines.iter().map(|l| l.step.clone()).collect()
    }

    #[test]
    fn opening_sends_nothing_until_run_is_pressed() {
        let mut run = protect(1, &["a", "b"]);
        assert_eq!(run.to_send(), Vec::<String>::new());
        assert_eq!(steps(&run), [Step::Waiting, Step::Waiting]);
        run.start(String::new());
        assert_eq!(run.to_send(), ["a", "b"]);
        assert!(run.running());
    }

    #[test]
    fn a_delete_skips_protected_groups_up_front_and_dooms_the_others() {
        let run = Run::open(7, BulkAction::Delete, names(&["a", "b", "c"]), |n| n == "b");
        assert_eq!(
            steps(&run),
            [
                Step::Waiting,
                Step::Skipped("delete protection is on"),
                Step::Waiting
            ]
        );
        assert_eq!(run.doomed, ["a", "c"]);
        assert!(protect(1, &["a"]).doomed.is_empty());
    }

    #[test]
    fn no_more_than_the_concurrency_is_in_flight() {
        let mut run = protect(1, &["a", "b", "c", "d", "e", "f"]);
        run.start(String::new());
        assert_eq!(run.to_send().len(), CONCURRENCY);
        assert!(run.to_send().is_empty(), "all slots taken");
        assert_eq!(run.answered(1, "b", Ok(())), Answered::Landed);
        assert_eq!(run.to_send(), ["e"]);
        assert_eq!(run.tally().sending, CONCURRENCY);
    }

    #[test]
    fn an_answer_of_run_1_after_run_2_opened_changes_nothing_in_run_2() {
        let mut one = protect(1, &["a", "b"]);
        one.start(String::new());
        one.to_send();
        // The dialog closes and opens again for a delete of the same groups: run 2.
        let mut two = Run::open(2, BulkAction::Delete, names(&["a", "b"]), |_| false);
        let before = two.clone();
        assert_eq!(two.answered(1, "a", Ok(())), Answered::Ignored);
        let limited = ApiError {
            retry_after: Some(1),
            ..error(ErrorKind::RateLimited)
        };
        assert_eq!(two.answered(1, "b", Err(limited)), Answered::Ignored);
        assert_eq!(two.tick(1), Tick::Stale, "run 1's 429 timer");
        two.skip(1, "a", "another change of this group was in flight");
        assert_eq!(two, before);
        assert!(two.to_send().is_empty(), "and nothing is sent");
        // Even once run 2 is sending, run 1's answers do not land on its lines.
        two.start(String::new());
        assert_eq!(two.to_send(), ["a", "b"]);
        assert_eq!(two.answered(1, "a", Ok(())), Answered::Ignored);
        assert_eq!(steps(&two), [Step::Sending, Step::Sending]);
    }

    #[test]
    fn an_answer_never_starts_a_run() {
        let mut run = protect(3, &["a", "b"]);
        // Its own id, but nothing was sent: a waiting line takes no answer.
        assert_eq!(run.answered(3, "a", Ok(())), Answered::Ignored);
        assert_eq!(
            run.answered(3, "a", Err(error(ErrorKind::Server))),
            Answered::Ignored
        );
        assert_eq!(steps(&run), [Step::Waiting, Step::Waiting]);
        assert!(run.to_send().is_empty());
        assert!(!run.started);
    }

    #[test]
    fn an_answer_lands_on_its_own_line_by_name() {
        let mut run = protect(1, &["a", "b", "c"]);
        run.start(String::new());
        run.to_send();
        assert_eq!(run.answered(1, "c", Ok(())), Answered::Landed);
        let refused = error(ErrorKind::NotFound);
        assert_eq!(run.answered(1, "a", Err(refused.clone())), Answered::Landed);
        assert_eq!(
            steps(&run),
            [Step::Failed(refused), Step::Sending, Step::Done]
        );
        assert_eq!(run.answered(1, "c", Ok(())), Answered::Ignored, "twice");
        assert_eq!(run.answered(1, "zz", Ok(())), Answered::Ignored);
    }

    #[test]
    fn a_429_waits_counts_down_then_sends_again() {
        let mut run = protect(1, &["a", "b", "c", "d", "e"]);
        run.start(String::new());
        run.to_send();
        let limited = ApiError {
            retry_after: Some(3),
            ..error(ErrorKind::RateLimited)
        };
        assert_eq!(
            run.answered(1, "a", Err(limited.clone())),
            Answered::Wait(3)
        );
        assert_eq!(run.line("a").unwrap().step, Step::Waiting);
        // A second 429 during the wait joins it.
        assert_eq!(run.answered(1, "b", Err(limited)), Answered::Landed);
        assert!(run.to_send().is_empty(), "nothing new during the wait");
        assert!(run.running());
        assert_eq!(run.tick(1), Tick::Left(2));
        assert_eq!(run.paused, Some(2));
        assert_eq!(run.tick(1), Tick::Left(1));
        assert_eq!(run.tick(1), Tick::Resume);
        assert_eq!(run.tick(1), Tick::Stale, "no wait any more");
        assert_eq!(run.to_send(), ["a", "b"], "c and d are still in flight");
    }

    #[test]
    fn a_group_limited_too_often_fails_with_the_apis_words() {
        let mut run = protect(1, &["a"]);
        run.start(String::new());
        let limited = error(ErrorKind::RateLimited);
        for _ in 0..MAX_RATE_LIMITED {
            assert_eq!(run.to_send(), ["a"]);
            assert!(matches!(
                run.answered(1, "a", Err(limited.clone())),
                Answered::Wait(_)
            ));
            while run.tick(1) != Tick::Resume {}
        }
        run.to_send();
        run.answered(1, "a", Err(limited.clone()));
        assert_eq!(run.line("a").unwrap().step, Step::Failed(limited));
        assert_eq!(run.tally().retryable, 1);
    }

    #[test]
    fn retry_offers_only_failures_a_retry_can_fix() {
        let kinds = [
            ErrorKind::RateLimited,
            ErrorKind::Server,
            ErrorKind::Timeout,
            ErrorKind::Network,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::PaymentOrQuota,
            ErrorKind::InvalidInput,
        ];
        let n: Vec<String> = (0..kinds.len()).map(|i| format!("g{i}")).collect();
        let mut run = Run::open(1, BulkAction::Rotate, n.clone(), |_| false);
        run.start(String::new());
        while !run.to_send().is_empty() {
            for line in run.lines.clone() {
                if line.step == Step::Sending {
                    let at: usize = line.name[1..].parse().unwrap();
                    let e = ApiError {
                        retry_after: Some(100), // too long to wait: fails at once
                        ..error(kinds[at])
                    };
                    run.answered(1, &line.name, Err(e));
                }
            }
        }
        let t = run.tally();
        assert_eq!((t.retryable, t.final_failures, t.failed()), (4, 4, 8));
        assert_eq!(run.retry(), 4);
        let waiting: Vec<&str> = run
            .lines
            .iter()
            .filter(|l| l.step == Step::Waiting)
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(waiting, ["g0", "g1", "g2", "g3"]);
        assert_eq!(
            run.tally().final_failures,
            4,
            "the others keep their refusal"
        );
    }

    #[test]
    fn run_takes_the_organization_once_trimmed_and_checked() {
        let t = BulkAction::Transfer;
        assert_eq!(
            check_start(t, " globex ", "acme", "", 0),
            Ok("globex".into())
        );
        assert!(check_start(t, "  ", "acme", "", 0).is_err());
        assert!(check_start(t, " acme", "acme", "", 0).is_err());
        let d = BulkAction::Delete;
        assert!(check_start(d, "", "acme", "3", 2).is_err());
        assert_eq!(check_start(d, "", "acme", " 2 ", 2), Ok(String::new()));
        let mut run = Run::open(1, t, names(&["a"]), |_| false);
        run.start("globex".into());
        assert_eq!(run.to, "globex");
    }

    #[test]
    fn closing_mid_run_says_what_is_still_under_way_and_what_was_not_sent() {
        let mut run = protect(1, &["a", "b", "c", "d", "e", "f"]);
        assert_eq!(run.stopped(), None, "not started");
        run.start(String::new());
        run.to_send();
        run.answered(1, "a", Ok(()));
        run.to_send();
        assert_eq!(
            run.stopped().unwrap(),
            "The bulk run was stopped. The changes to 4 groups still under way will show in \
             the table (a refusal, here). 1 group was not sent."
        );
        for name in ["b", "c", "d", "e"] {
            run.answered(1, name, Ok(()));
        }
        assert_eq!(run.to_send(), ["f"]);
        run.answered(1, "f", Ok(()));
        assert_eq!(run.stopped(), None, "all done");
    }
}
