//! `orch component`: the embedded components and the WIT package they
//! implement, written out for other runtimes.

use std::io::IsTerminal;

use orch_runtime::component;

use crate::args::{ComponentCommand, WasmArgs};
use crate::commands::CliError;
use crate::render;

pub fn run(command: &ComponentCommand) -> Result<(), CliError> {
    match command {
        ComponentCommand::Wasm(args) => wasm(args),
        ComponentCommand::Wit(_) => render::bytes(wit_text().as_bytes()),
    }
}

fn wasm(args: &WasmArgs) -> Result<(), CliError> {
    let embedded = component::by_world(&args.world).expect("--world offers only the embedded worlds");
    match &args.output {
        Some(path) => std::fs::write(path, embedded.wasm).map_err(|e| CliError::Write(path.clone(), e)),
        None if std::io::stdout().is_terminal() => Err(CliError::BinaryToTerminal),
        None => render::bytes(embedded.wasm),
    }
}

/// The package as one WIT text: its first file whole, then each other
/// file without its `package` line (a package declares itself once per
/// text). With one file, that file exactly.
pub fn wit_text() -> String {
    joined(component::WIT_FILES)
}

fn joined(files: &[component::WitFile]) -> String {
    let mut text = String::new();
    for (i, file) in files.iter().enumerate() {
        if i == 0 {
            text.push_str(file.text);
            continue;
        }
        text.push('\n');
        for line in file.text.split_inclusive('\n') {
            if !line.trim_start().starts_with("package ") {
                text.push_str(line);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use orch_runtime::component::WitFile;

    #[test]
    fn one_file_is_printed_as_it_is() {
        let file = WitFile { name: "a.wit", text: "package p:q@1.0.0;\n\ninterface a {}\n" };
        assert_eq!(joined(&[file]), file.text);
    }

    #[test]
    fn later_files_lose_their_package_line() {
        let a = WitFile { name: "a.wit", text: "package p:q@1.0.0;\n\ninterface a {}\n" };
        let b = WitFile { name: "b.wit", text: "package p:q@1.0.0;\n\nworld b {\n    export a;\n}\n" };
        assert_eq!(joined(&[a, b]), "package p:q@1.0.0;\n\ninterface a {}\n\n\nworld b {\n    export a;\n}\n");
    }
}
