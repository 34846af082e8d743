//! `orch man`: one manual page, in roff, for `orch` and every command.
//!
//! clap_mangen writes the title, NAME, SYNOPSIS and DESCRIPTION; the rest
//! is laid out here, so that each command gets a subsection with its own
//! flags under the headings `--help` uses, and the global flags are
//! described once.

use clap::{Arg, Command};
use roff::{Inline, Roff, bold, italic, roman};

use crate::args::{self, ManArgs};
use crate::commands::CliError;
use crate::render;

pub fn run(_args: &ManArgs) -> Result<(), CliError> {
    render::bytes(page().as_bytes())
}

pub fn page() -> String {
    let cmd = args::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Roff::new().render();
    for section in [
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
    ] {
        let mut text = Vec::new();
        section(&man, &mut text).expect("writing to memory");
        page.push_str(without_preamble(&String::from_utf8(text).expect("the page is UTF-8")));
    }

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in visible_subcommands(&cmd) {
        command_section(&mut roff, sub);
    }

    roff.control("SH", ["OPTIONS"]);
    roff.text([roman("These apply to every command, and may come before or after its name.")]);
    options(&mut roff, cmd.get_arguments().filter(|a| !a.is_hide_set()).collect());

    if let Some(after) = cmd.get_after_help() {
        roff.control("SH", ["EXAMPLES"]);
        let text = after.to_string();
        let examples: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("Examples:")).skip(1).collect();
        kept_lines(&mut roff, &examples);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    for (name, text) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*text)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "0 on success; 1 on a runtime error, or when `orch validate` finds a workflow invalid; \
         2 on a usage error, including a bad filter value.",
    )]);
    roff.control("SH", ["VERSION"]);
    for line in crate::version::text().lines() {
        roff.text([roman(line)]);
        roff.control("br", []);
    }

    page.push_str(without_preamble(&roff.render()));
    page
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("ORCHESTRATOR_DATA_DIR", "The data directory, when --data-dir is not given."),
    ("PROVISIONING", "Else the data directory is $PROVISIONING/platform/orchestrator/data."),
    ("ORCH_CACHE_DIR", "Where the compiled component is cached; else $XDG_CACHE_HOME/orch, else ~/.cache/orch."),
];

/// Every piece rendered on its own starts with the same preamble (a string
/// definition for apostrophes); the page has it once, at the top.
fn without_preamble(text: &str) -> &str {
    let preamble = Roff::new().render();
    text.strip_prefix(preamble.as_str()).unwrap_or(text)
}

fn visible_subcommands(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands().filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// `.SS orch tasks`: what it does, its usage, its own flags, its notes and
/// examples; then the same for each command below it.
fn command_section(roff: &mut Roff, cmd: &Command) {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name()).to_string();
    roff.control("SS", [name.as_str()]);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    let usage = cmd.clone().render_usage().to_string();
    for line in usage.lines() {
        let line = line.trim().trim_start_matches("Usage:").trim();
        if let Some(rest) = line.strip_prefix(name.as_str()) {
            roff.control("PP", []);
            roff.text([bold(name.as_str()), roman(rest)]);
        }
    }
    // The global flags are described once, under OPTIONS; -h is everywhere.
    options(
        roff,
        cmd.get_arguments().filter(|a| !a.is_hide_set() && !a.is_global_set() && a.get_id() != "help").collect(),
    );
    if let Some(after) = cmd.get_after_help() {
        after_help(roff, &after.to_string());
    }
    for sub in visible_subcommands(cmd) {
        command_section(roff, sub);
    }
}

/// Arguments and flags: those without a heading first, then each heading's,
/// in the order `--help` shows them.
fn options(roff: &mut Roff, args: Vec<&Arg>) {
    let mut headings: Vec<Option<&str>> = vec![None];
    for arg in &args {
        if let Some(h) = arg.get_help_heading()
            && !headings.contains(&Some(h))
        {
            headings.push(Some(h));
        }
    }
    for heading in headings {
        let group: Vec<&&Arg> = args.iter().filter(|a| a.get_help_heading() == heading).collect();
        if group.is_empty() {
            continue;
        }
        if let Some(h) = heading {
            roff.control("PP", []);
            roff.text([bold(h)]);
        }
        for arg in group {
            option(roff, arg);
        }
    }
}

fn option(roff: &mut Roff, arg: &Arg) {
    roff.control("TP", []);
    let mut head: Vec<Inline> = Vec::new();
    if let Some(short) = arg.get_short() {
        head.push(bold(format!("-{short}")));
        head.push(roman(", "));
    }
    if let Some(long) = arg.get_long() {
        head.push(bold(format!("--{long}")));
    }
    let takes_value = arg.get_action().takes_values();
    if takes_value {
        let names: Vec<String> = match arg.get_value_names() {
            Some(names) => names.iter().map(|n| n.to_string()).collect(),
            None => vec![arg.get_id().as_str().to_uppercase()],
        };
        if !arg.is_positional() {
            head.push(roman(" "));
        }
        head.push(italic(names.join(" ")));
    }
    roff.text(head);
    let mut text = arg.get_long_help().or_else(|| arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
    if takes_value && !arg.is_hide_possible_values_set() {
        let values: Vec<String> =
            arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
        if !values.is_empty() {
            text.push_str(&format!(" [possible values: {}]", values.join(", ")));
        }
    }
    if takes_value && !arg.is_hide_default_value_set() && !arg.get_default_values().is_empty() {
        let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        text.push_str(&format!(" [default: {}]", defaults.join(", ")));
    }
    roff.text([roman(text)]);
}

/// A command's notes and examples: paragraphs, except that a line followed
/// by indented lines (`Examples:` and its commands) keeps its lines.
fn after_help(roff: &mut Roff, text: &str) {
    for paragraph in text.split("\n\n") {
        let mut lines = paragraph.lines();
        let first = lines.next().unwrap_or_default();
        let rest: Vec<&str> = lines.collect();
        roff.control("PP", []);
        if !rest.is_empty() && rest.iter().all(|l| l.starts_with("  ")) {
            roff.text([bold(first.trim_end_matches(':'))]);
            kept_lines(roff, &rest);
        } else {
            roff.text([roman(paragraph)]);
        }
    }
}

/// The lines of an indented list, indented and not filled.
fn kept_lines(roff: &mut Roff, lines: &[&str]) {
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in lines {
        roff.text([roman(line.trim_start())]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
}
