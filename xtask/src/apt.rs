//! System packages (node, gzip, brotli, Chromium): installed with apt-get when xtask runs as
//! root (CI); otherwise xtask stops, before any long install, with the command for the user to
//! run. It never calls sudo itself.

use std::process::Command;

use crate::ctx::{say, Result};
use crate::proc::{self, find_on_path, probe};

/// Install `missing` (package, why) or say how to.
pub fn install(missing: &[(&str, &str)]) -> Result<()> {
    let root = probe("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    match plan(missing, root, find_on_path("apt-get").is_some()) {
        Plan::Nothing => Ok(()),
        Plan::AskUser(message) => Err(message),
        Plan::Install(names) => {
            say!("setup: installing {} (apt-get, as root)", names.join(" "));
            let apt = |args: &[&str]| {
                let mut cmd = Command::new("apt-get");
                cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
                cmd
            };
            proc::run(&mut apt(&["update"]))?;
            proc::run(apt(&["install", "-y"]).args(&names))
        }
    }
}

/// What to do about missing system packages.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    Nothing,
    /// We are root: run apt-get.
    Install(Vec<String>),
    /// Not root: stop and print this message with the command to run.
    AskUser(String),
}

/// `missing`: package and why.
fn plan(missing: &[(&str, &str)], root: bool, has_apt: bool) -> Plan {
    if missing.is_empty() {
        return Plan::Nothing;
    }
    let names: Vec<String> = missing.iter().map(|(n, _)| n.to_string()).collect();
    // `chromium, chromium-driver (why); brotli (why)`: packages grouped by reason.
    let mut reasons: Vec<(Vec<&str>, &str)> = Vec::new();
    for (name, why) in missing {
        match reasons.iter_mut().find(|(_, w)| w == why) {
            Some((names, _)) => names.push(name),
            None => reasons.push((vec![name], why)),
        }
    }
    let why: Vec<String> = reasons
        .iter()
        .map(|(names, why)| format!("{} ({why})", names.join(", ")))
        .collect();
    let why = why.join("; ");
    if !has_apt {
        return Plan::AskUser(format!(
            "setup: missing system packages: {why}. apt-get is not available here: install \
             them with your system's package manager, then run the same command again"
        ));
    }
    if root {
        return Plan::Install(names);
    }
    Plan::AskUser(format!(
        "setup: missing system packages: {why}. Installing them needs root, and xtask does not \
         call sudo itself. Run\n\n    sudo apt-get update && sudo apt-get install -y {}\n\nthen \
         run the same cargo xtask command again",
        names.join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_root_it_prints_the_command_instead_of_calling_sudo() {
        let why = "the browser and end-to-end tests run in headless Chromium";
        let missing = [
            ("chromium", why),
            ("chromium-driver", why),
            ("brotli", "the size check of the release build"),
        ];
        let Plan::AskUser(message) = plan(&missing, false, true) else {
            panic!("a user without root must be asked");
        };
        assert!(
            message.contains(
                "\n    sudo apt-get update && sudo apt-get install -y chromium chromium-driver \
                 brotli\n"
            ),
            "{message}"
        );
        assert!(
            message.contains("chromium, chromium-driver (the browser"),
            "{message}"
        );
        assert_eq!(
            plan(&missing, true, true),
            Plan::Install(vec![
                "chromium".into(),
                "chromium-driver".into(),
                "brotli".into()
            ])
        );
        assert!(matches!(plan(&missing, true, false), Plan::AskUser(_)));
        assert_eq!(plan(&[], false, true), Plan::Nothing);
    }
}
