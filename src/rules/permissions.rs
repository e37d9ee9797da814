//! Fine-grained permissions of a group token, as the token generator edits them: rules of
//! (every table | named tables) × actions, the presets of Turso's docs, and the checks made
//! as the user types (DOCS sdk/authorization/fine-grained-permissions).

use crate::api::TableRule;

/// The documented actions, in the docs' order.
pub const ACTIONS: [&str; 7] = [
    "data_read",
    "data_add",
    "data_update",
    "data_delete",
    "schema_add",
    "schema_update",
    "schema_delete",
];

/// One rule as the form holds it: which tables (typed, separated by commas) and which actions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRow {
    pub all_tables: bool,
    pub tables: String,
    /// Ticked actions, each one of `ACTIONS`.
    pub actions: Vec<&'static str>,
}

/// The three roles of Turso's docs, as one-click starting points.
pub const ROLES: [(&str, &[&str]); 3] = [
    ("Read only", &["data_read"]),
    ("Moderator", &["data_read", "data_update"]),
    ("Admin", &ACTIONS),
];

/// A role as the rule it starts from: on every table.
pub fn role(actions: &[&'static str]) -> RuleRow {
    RuleRow {
        all_tables: true,
        tables: String::new(),
        actions: actions.to_vec(),
    }
}

/// Why a rule cannot be sent, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleProblem {
    NoAction,
    NoTable,
    BadTable(String),
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleProblem::NoAction => write!(f, "Tick at least one action."),
            RuleProblem::NoTable => write!(f, "Name a table, or choose every table."),
            RuleProblem::BadTable(name) => write!(
                f,
                "“{name}” is not a table name: use letters, digits and underscores, not starting with a digit."
            ),
        }
    }
}

/// A table name as SQLite takes it unquoted (the CLI's `-p table:…` cannot quote one).
fn is_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl RuleRow {
    /// The rule to send, or what is wrong with it.
    /// The rule to send, or what is wrong with it: its tables first, then its actions, as
    /// the row reads.
    pub fn check(&self) -> Result<TableRule, RuleProblem> {
        let tables = if self.all_tables {
            None
        } else {
            let mut tables: Vec<String> = Vec::new();
            for name in self
                .tables
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                if !is_table_name(name) {
                    return Err(RuleProblem::BadTable(name.to_owned()));
                }
                if !tables.iter().any(|t| t == name) {
                    tables.push(name.to_owned());
                }
            }
            if tables.is_empty() {
                return Err(RuleProblem::NoTable);
            }
            Some(tables)
        };
        if self.actions.is_empty() {
            return Err(RuleProblem::NoAction);
        }
        // In the documented order, whatever the order of the clicks.
        let actions = ACTIONS
            .iter()
            .filter(|a| self.actions.contains(a))
            .map(|a| (*a).to_owned())
            .collect();
        Ok(TableRule { tables, actions })
    }
}

/// Every row's rule, or the first problem and the row it is in (from 0).
pub fn check_rules(rows: &[RuleRow]) -> Result<Vec<TableRule>, (usize, RuleProblem)> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| row.check().map_err(|p| (i, p)))
        .collect()
}

/// Rules in one line, as the token's claims say them: `every table: data_read; comments,
/// posts: data_add, data_update`.
pub fn describe_rules(rules: &[TableRule]) -> String {
    let rules: Vec<String> = rules
        .iter()
        .map(|rule| {
            let tables = rule
                .tables
                .as_ref()
                .map_or_else(|| "every table".to_owned(), |t| t.join(", "));
            format!("{tables}: {}", rule.actions.join(", "))
        })
        .collect();
    rules.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(all: bool, tables: &str, actions: &[&'static str]) -> RuleRow {
        RuleRow {
            all_tables: all,
            tables: tables.into(),
            actions: actions.to_vec(),
        }
    }

    #[test]
    fn rules_become_what_the_api_takes() {
        let rules = check_rules(&[
            row(true, "ignored", &["data_read"]),
            row(
                false,
                " comments, posts ,comments",
                &["data_update", "data_add"],
            ),
        ])
        .unwrap();
        assert_eq!(
            rules,
            [
                TableRule {
                    tables: None,
                    actions: vec!["data_read".into()]
                },
                TableRule {
                    tables: Some(vec!["comments".into(), "posts".into()]),
                    actions: vec!["data_add".into(), "data_update".into()],
                },
            ]
        );
        assert_eq!(check_rules(&[]), Ok(Vec::new()));
    }

    #[test]
    fn each_problem_is_named_with_its_row() {
        assert_eq!(
            check_rules(&[row(true, "", &["data_read"]), row(true, "", &[])]),
            Err((1, RuleProblem::NoAction))
        );
        assert_eq!(
            check_rules(&[row(false, " , ", &["data_read"])]),
            Err((0, RuleProblem::NoTable))
        );
        for bad in ["2fast", "my table", "a-b", "naïve", "x:y"] {
            assert_eq!(
                row(false, bad, &["data_read"]).check(),
                Err(RuleProblem::BadTable(bad.into())),
                "{bad}"
            );
        }
        for good in ["comments", "_private", "t2", "Users"] {
            assert!(row(false, good, &["data_read"]).check().is_ok(), "{good}");
        }
        assert!(RuleProblem::BadTable("a-b".into())
            .to_string()
            .contains("“a-b”"));
    }

    #[test]
    fn rules_read_in_one_line() {
        let rules = check_rules(&[
            row(true, "", &["data_read"]),
            row(false, "comments, posts", &["data_add", "data_update"]),
        ])
        .unwrap();
        assert_eq!(
            describe_rules(&rules),
            "every table: data_read; comments, posts: data_add, data_update"
        );
    }

    #[test]
    fn roles_are_the_docs_on_every_table() {
        let rules: Vec<TableRule> = ROLES
            .iter()
            .map(|(_, actions)| role(actions).check().unwrap())
            .collect();
        assert_eq!(rules[0].actions, ["data_read"]);
        assert_eq!(rules[1].actions, ["data_read", "data_update"]);
        assert_eq!(rules[2].actions.len(), 7);
        assert!(rules.iter().all(|r| r.tables.is_none()));
    }
}
