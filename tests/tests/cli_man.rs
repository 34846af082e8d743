//! `orch man`: a roff page whose header names orch and its version, with a
//! subsection for every command and every flag the help lists; groff
//! (`$ORCH_GROFF`) renders it without a warning.

use std::process::Command;

use orch_tests::{external_tool, help_flags, orch, orch_commands, orch_help};

fn page() -> String {
    let output = orch().arg("man").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A text as roff writes it: `-` is `\-`.
fn roff(text: &str) -> String {
    text.replace('-', "\\-")
}

#[test]
fn the_header_names_orch_section_1_and_its_version() {
    let page = page();
    let header: Vec<&str> = page.lines().filter(|l| !l.starts_with(".ie") && !l.starts_with(".el")).take(2).collect();
    // .TH title section date source: no date, so that the page is reproducible.
    assert_eq!(header[0].trim_end(), format!(".TH orch 1  \"orch {}\"", env!("CARGO_PKG_VERSION")));
    assert_eq!(header[1], ".SH NAME");
    for section in [".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS", ".SH OPTIONS", ".SH EXAMPLES", ".SH VERSION"] {
        assert_eq!(page.lines().filter(|l| *l == section).count(), 1, "{section}");
    }
    assert_eq!(page.matches(".ds Aq").count(), 2, "the apostrophe preamble, once");
}

#[test]
fn every_command_and_flag_appears() {
    let page = page();
    let mut flags = help_flags(&orch_help(&[]));
    let commands = orch_commands();
    assert!(commands.iter().any(|c| c == &["component", "wasm"]), "{commands:?}");
    for path in &commands {
        let heading = format!(".SS \"orch {}\"", path.join(" "));
        assert!(page.lines().any(|l| l == heading), "no subsection for orch {}", path.join(" "));
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        flags.extend(help_flags(&orch_help(&args)));
    }
    flags.sort();
    flags.dedup();
    assert!(flags.len() > 20, "{flags:?}");
    for flag in &flags {
        assert!(page.contains(&format!("\\fB{}\\fR", roff(flag))), "the page lacks {flag}");
    }
    for heading in ["Filters", "Output", "Data", "Sandbox limits"] {
        assert!(page.contains(&format!("\\fB{heading}\\fR")), "{heading}");
    }
}

#[test]
#[cfg_attr(not(has_groff), ignore = "needs groff: $ORCH_GROFF is not set (scripts/test.sh sets it)")]
fn groff_renders_it_without_warnings() {
    let groff = external_tool("ORCH_GROFF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orch.1");
    std::fs::write(&file, page()).unwrap();
    let output = Command::new(&groff).args(["-man", "-Tutf8", "-ww", "-z"]).arg(&file).output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "groff warnings");
    let output = Command::new(&groff).args(["-man", "-Tascii", "-P-c", "-rLL=200n"]).arg(&file).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("orch tasks --data-dir examples/data --status pending --limit 5"), "{text}");
}
