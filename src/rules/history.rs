//! The audit log as the panel shows it: the group changes only, those of one group for its
//! page, each in words.

use crate::api::AuditLog;

/// Entries asked per page: the API's pages are the organization's, so a group's page reads
/// several to find its own.
pub const PAGE_SIZE: u32 = 50;

/// The group an entry is about, as its payload names it.
pub fn group_of(entry: &AuditLog) -> Option<&str> {
    let data = &entry.data;
    data.group
        .as_deref()
        .or(data.group_name.as_deref())
        .or(data.name.as_deref())
}

/// Whether the entry belongs in a group's history (`Some(name)`) or the organization's group
/// history (`None`): a group change (`group-…` codes), of that group when one is named.
pub fn belongs(entry: &AuditLog, group: Option<&str>) -> bool {
    entry.code.starts_with("group-") && group.is_none_or(|g| group_of(entry) == Some(g))
}

/// What the entry's code means, in words; an unknown code is shown as it is.
pub fn action(code: &str) -> &str {
    match code {
        "group-create" => "Created the group",
        "group-delete" => "Deleted the group",
        "group-unarchive" => "Unarchived the group",
        "group-protect" => "Turned delete protection on",
        "group-unprotect" => "Turned delete protection off",
        "group-token-create" => "Created a token",
        other => other,
    }
}

/// Where the change came from, in words.
pub fn origin(origin: &str) -> &str {
    match origin {
        "cli" => "the CLI",
        "web" => "the web",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::AuditData;

    fn entry(code: &str, group: Option<&str>) -> AuditLog {
        AuditLog {
            code: code.into(),
            data: AuditData {
                group: group.map(Into::into),
                ..AuditData::default()
            },
            ..AuditLog::default()
        }
    }

    #[test]
    fn a_groups_history_is_its_group_changes() {
        let create = entry("group-create", Some("default"));
        assert!(belongs(&create, Some("default")));
        assert!(belongs(&create, None));
        assert!(!belongs(&create, Some("billing")));
        assert!(
            !belongs(&entry("db-create", Some("default")), None),
            "not a group change"
        );
        let unnamed = entry("group-create", None);
        assert!(belongs(&unnamed, None) && !belongs(&unnamed, Some("default")));
        let other_key = AuditLog {
            data: AuditData {
                group_name: Some("billing".into()),
                ..AuditData::default()
            },
            ..entry("group-delete", None)
        };
        assert_eq!(group_of(&other_key), Some("billing"));
    }

    #[test]
    fn codes_and_origins_read_as_words() {
        assert_eq!(action("group-token-create"), "Created a token");
        assert_eq!(action("group-unprotect"), "Turned delete protection off");
        assert_eq!(action("group-rename"), "group-rename", "unknown: as it is");
        assert_eq!(origin("cli"), "the CLI");
        assert_eq!(origin("api"), "api");
    }
}
