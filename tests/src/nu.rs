//! The real Nushell (`$ORCH_NU`, the pinned 0.115.1) with the plugin
//! registered, as a user has it after `plugin add` and `plugin use`. Each
//! `Nu` registers the plugin in a private plugin registry, so the user's
//! config is never read or written (`nu -n` skips the config files).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::{built_binary, cache_dir, external_tool, workspace};

/// A nu with the plugin registered in a registry of its own.
pub struct Nu {
    nu: PathBuf,
    registry: tempfile::TempDir,
}

impl Nu {
    /// Needs `$ORCH_NU`: a test that starts one carries
    /// `#[cfg_attr(not(has_nu), ignore = ...)]`.
    #[expect(clippy::new_without_default, reason = "it registers the plugin in a new registry: no default")]
    pub fn new() -> Nu {
        let nu = external_tool("ORCH_NU");
        let registry = tempfile::tempdir().unwrap();
        let this = Nu { nu, registry };
        let plugin = built_binary("nu_plugin_orchestrator");
        let add = format!("plugin add --plugin-config {} {}", this.registry_arg(), quote(&plugin));
        let output = this.command(&workspace()).arg("-c").arg(add).output().unwrap();
        assert!(output.status.success(), "plugin add failed: {}", String::from_utf8_lossy(&output.stderr));
        this
    }

    /// The private registry, quoted for a script.
    fn registry_arg(&self) -> String {
        quote(&self.registry.path().join("plugins.msgpackz"))
    }

    /// `nu -n` in `cwd`, with the test environment (fixed "now", the test
    /// run's component cache) and no data directory from the user's.
    pub fn command(&self, cwd: &Path) -> Command {
        let mut cmd = Command::new(&self.nu);
        cmd.arg("-n")
            .current_dir(cwd)
            .env("ORCH_CACHE_DIR", cache_dir())
            .env("ORCH_NOW", "2025-10-08T12:00:30Z")
            .env("NO_COLOR", "1")
            .env_remove("ORCHESTRATOR_DATA_DIR")
            .env_remove("PROVISIONING");
        cmd
    }

    /// `script` after `plugin use`, as the text of one nu session.
    pub fn session(&self, script: &str) -> String {
        format!("plugin use --plugin-config {} orchestrator\n{script}", self.registry_arg())
    }

    /// Runs `script` in one nu session, after `plugin use`, from `cwd`.
    pub fn run_in(&self, cwd: &Path, script: &str) -> Output {
        self.command(cwd).arg("-c").arg(self.session(script)).output().unwrap()
    }

    /// Runs `script` from the workspace root and returns its stdout,
    /// failing the test if nu fails.
    pub fn ok(&self, script: &str) -> String {
        let output = self.run_in(&workspace(), script);
        assert!(
            output.status.success(),
            "nu failed on:\n{script}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim_end().to_string()
    }

    /// Runs `script`, expecting it to fail, and returns what nu printed on stderr.
    pub fn err(&self, script: &str) -> String {
        let output = self.run_in(&workspace(), script);
        assert!(
            !output.status.success(),
            "nu succeeded on:\n{script}\nstdout:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stderr).unwrap()
    }
}

/// A path as a nu single-quoted string (no escapes inside).
pub fn quote(path: &Path) -> String {
    let text = path.to_str().unwrap();
    assert!(!text.contains('\''), "test paths have no quotes: {text}");
    format!("'{text}'")
}
