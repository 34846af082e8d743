//! Test-only: runs the probe build of the component (feature `probe`) in
//! the same sandbox as the real calls, so tests can prove each refusal
//! from inside the guest.

use std::path::Path;

use crate::error::Error;
use crate::runtime::Runtime;
use crate::slot::Instance;
use crate::wasi::HostState;
use crate::{RuntimeOptions, component, component_cache};

mod bindings {
    wasmtime::component::bindgen!({
        world: "orchestrator-probe",
        path: "../wit",
    });
}

use bindings::{OrchestratorProbe, OrchestratorProbePre};

/// What the guest saw and what it left on its stdio.
#[derive(Debug)]
pub struct Outcome<T> {
    pub value: T,
    pub stderr: String,
}

pub struct Probe {
    runtime: Runtime,
    pre: OrchestratorProbePre<HostState>,
}

impl Probe {
    pub fn new(options: RuntimeOptions) -> Result<Probe, Error> {
        let runtime = Runtime::new(options.clone())?;
        let setup = |e: wasmtime::Error| Error::Setup(format!("{e:#}"));
        let component = component_cache::load(
            &runtime.limited().engine.wasmtime,
            component::PROBE_WASM,
            component::PROBE_HASH,
            options.cache_dir.as_deref(),
        )
        .map_err(setup)?;
        let pre = OrchestratorProbePre::new(
            crate::wasi::linker(&runtime.limited().engine.wasmtime)
                .map_err(setup)?
                .instantiate_pre(&component)
                .map_err(setup)?,
        )
        .map_err(setup)?;
        Ok(Probe { runtime, pre })
    }

    /// The real runtime, sharing this probe's engine and limits.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    fn call<R>(
        &self,
        dir: &Path,
        f: impl FnOnce(&OrchestratorProbe, &mut wasmtime::Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<Outcome<R>, Error> {
        // Called as every real call is, so that the probes meet the sandbox
        // exactly as the shipped hosts set it up.
        let limited = self.runtime.limited();
        let mut store = limited.store(dir)?;
        let bindings = limited.run(&mut store, |store| self.pre.instantiate(store))?;
        let mut instance = Instance { store, bindings };
        let value = instance.call(limited, f)?;
        let stderr = String::from_utf8_lossy(&instance.store.data().stderr.contents()).into_owned();
        Ok(Outcome { value, stderr })
    }

    pub fn read_file(&self, dir: &Path, path: &str) -> Result<Result<u64, String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_read_file(s, path)).map(|o| o.value)
    }

    pub fn write_file(&self, dir: &Path, path: &str, contents: &str) -> Result<Result<(), String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_write_file(s, path, contents)).map(|o| o.value)
    }

    pub fn list_dir(&self, dir: &Path, path: &str) -> Result<Result<Vec<String>, String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_list_dir(s, path)).map(|o| o.value)
    }

    pub fn environment(&self, dir: &Path) -> Result<Vec<(String, String)>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_environment(s)).map(|o| o.value)
    }

    pub fn arguments(&self, dir: &Path) -> Result<Vec<String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_arguments(s)).map(|o| o.value)
    }

    pub fn read_stdin(&self, dir: &Path) -> Result<Result<String, String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_read_stdin(s)).map(|o| o.value)
    }

    pub fn clocks(&self, dir: &Path) -> Result<(u64, u64), Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_clocks(s)).map(|o| o.value)
    }

    pub fn connect(&self, dir: &Path, address: &str) -> Result<Result<(), String>, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_connect(s, address)).map(|o| o.value)
    }

    /// Returns what the guest wrote to stderr (its stdout goes nowhere).
    pub fn print(&self, dir: &Path, stdout: &str, stderr: &str) -> Result<String, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_print(s, stdout, stderr)).map(|o| o.stderr)
    }

    pub fn allocate(&self, dir: &Path, bytes: u64) -> Result<u64, Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_allocate(s, bytes)).map(|o| o.value)
    }

    pub fn spin(&self, dir: &Path) -> Result<(), Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_spin(s)).map(|o| o.value)
    }

    pub fn crash(&self, dir: &Path, message: &str) -> Result<(), Error> {
        self.call(dir, |i, s| i.provisioning_orchestrator_probe().call_crash(s, message)).map(|o| o.value)
    }
}
