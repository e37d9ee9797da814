//! Group name checks made while typing. The API documents no rule beyond uniqueness; the
//! CLI's former check (1 to 32 characters, lowercase letters, digits and dashes, no dash at
//! either end) is what the server enforces today, so it warns before sending, and the
//! server's own message is shown when it refuses anyway.

pub const MAX_GROUP_NAME: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong(usize),
    BadCharacter(char),
    DashAtEnd,
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Empty => write!(f, "Give the group a name."),
            NameProblem::TooLong(n) => {
                write!(
                    f,
                    "Names have at most {MAX_GROUP_NAME} characters; this one has {n}."
                )
            }
            NameProblem::BadCharacter(c) if c.is_ascii_uppercase() => {
                write!(f, "Use lowercase letters: “{c}” is uppercase.")
            }
            NameProblem::BadCharacter(c) if c.is_whitespace() => {
                write!(f, "Names cannot contain spaces; use a dash instead.")
            }
            NameProblem::BadCharacter(c) => {
                write!(
                    f,
                    "“{c}” is not allowed: use lowercase letters, digits and dashes."
                )
            }
            NameProblem::DashAtEnd => write!(f, "Names cannot start or end with a dash."),
        }
    }
}

pub fn check_group_name(name: &str) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(NameProblem::BadCharacter(c));
    }
    let count = name.chars().count();
    if count > MAX_GROUP_NAME {
        return Err(NameProblem::TooLong(count));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(NameProblem::DashAtEnd);
    }
    Ok(())
}

/// The databases a token may ATTACH: those ticked, then those typed (separated by commas
/// or spaces), each once, in that order.
pub fn database_list(ticked: &[String], typed: &str) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    let typed = typed.split([',', ' ', '\n', '\t']).map(str::trim);
    for name in ticked.iter().map(String::as_str).chain(typed) {
        if !name.is_empty() && !list.iter().any(|n| n == name) {
            list.push(name.to_owned());
        }
    }
    list
}

/// Why `typed` cannot be the new name of the group now named `current`, if it cannot; a name
/// that is only too long is left to the server, whose limit is its own (as in the create form).
pub fn rename_problem(typed: &str, current: &str) -> Option<String> {
    let typed = typed.trim();
    match check_group_name(typed) {
        _ if typed == current => Some("That is its name now.".to_owned()),
        Err(NameProblem::TooLong(_)) | Ok(()) => None,
        Err(p) => Some(p.to_string()),
    }
}

/// Where the group once named `name` is now, after the renames (old, new) in the order they
/// happened; `None` if it was never renamed.
pub fn follow_renames(renames: &[(String, String)], name: &str) -> Option<String> {
    let mut now = None::<&str>;
    for (old, new) in renames {
        if old == now.unwrap_or(name) {
            now = Some(new);
        }
    }
    now.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_name_is_checked_like_a_new_group_s() {
        assert_eq!(rename_problem("main", "default"), None);
        assert_eq!(
            rename_problem(" default ", "default").as_deref(),
            Some("That is its name now.")
        );
        assert!(rename_problem("Main", "default")
            .unwrap()
            .contains("uppercase"));
        assert_eq!(
            rename_problem(&"x".repeat(40), "default"),
            None,
            "the server's limit"
        );
        assert!(rename_problem("", "default").is_some());
    }

    #[test]
    fn renames_are_followed_in_order() {
        let renames =
            [("a", "b"), ("x", "y"), ("b", "c")].map(|(o, n)| (o.to_owned(), n.to_owned()));
        assert_eq!(follow_renames(&renames, "a").as_deref(), Some("c"));
        assert_eq!(follow_renames(&renames, "b").as_deref(), Some("c"));
        assert_eq!(follow_renames(&renames, "x").as_deref(), Some("y"));
        assert_eq!(follow_renames(&renames, "c"), None);
        assert_eq!(follow_renames(&[], "a"), None);
    }

    #[test]
    fn accepts_the_documented_examples() {
        for name in ["default", "new-group", "a", "eu-2", &"x".repeat(32)] {
            assert_eq!(check_group_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(check_group_name(""), Err(NameProblem::Empty));
        assert_eq!(
            check_group_name(&"x".repeat(33)),
            Err(NameProblem::TooLong(33))
        );
        assert_eq!(
            check_group_name("Prod"),
            Err(NameProblem::BadCharacter('P'))
        );
        assert_eq!(
            check_group_name("my group"),
            Err(NameProblem::BadCharacter(' '))
        );
        assert_eq!(check_group_name("<b>"), Err(NameProblem::BadCharacter('<')));
        assert_eq!(check_group_name("-x"), Err(NameProblem::DashAtEnd));
        assert_eq!(check_group_name("x-"), Err(NameProblem::DashAtEnd));
        assert_eq!(check_group_name("é"), Err(NameProblem::BadCharacter('é')));
    }

    #[test]
    fn messages_read_as_sentences() {
        assert!(NameProblem::BadCharacter('A')
            .to_string()
            .contains("lowercase"));
        assert!(NameProblem::TooLong(40).to_string().contains("40"));
    }

    #[test]
    fn attach_list_merges_ticked_and_typed_once_each() {
        let ticked = vec!["users".to_owned(), "orders".to_owned()];
        assert_eq!(
            database_list(&ticked, " logs, users,,audit\tlogs "),
            ["users", "orders", "logs", "audit"]
        );
        assert!(database_list(&[], " ,  ").is_empty());
    }
}
