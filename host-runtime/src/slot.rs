//! An instance and the store it lives in, and the slot that holds one for
//! a call or, kept by a [`crate::Session`], for many. Every call into a
//! kept instance goes through [`Instance::call`], and so through
//! [`Limited::run`]; a slot whose call trapped is emptied, since a trap
//! poisons its store, and the next call starts a fresh instance.

use std::path::Path;

use wasmtime::Store;
use wasmtime::component::ResourceAny;

use crate::bindings::Orchestrator;
use crate::engine::Limited;
use crate::error::Error;
use crate::wasi::HostState;

/// A component instance (`B`, its bindings) with its store.
pub(crate) struct Instance<B = Orchestrator> {
    pub store: Store<HostState>,
    pub bindings: B,
}

impl<B> Instance<B> {
    /// `f` on the instance, as a guest call under `limited`'s limits.
    pub fn call<R>(
        &mut self,
        limited: Limited<'_>,
        f: impl FnOnce(&B, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let Instance { store, bindings } = self;
        limited.run(store, |store| f(bindings, store))
    }
}

impl Instance {
    /// The queue's component, in a fresh store that preopens `dir`.
    pub fn start(limited: Limited<'_>, dir: &Path) -> Result<Instance, Error> {
        let (store, bindings) = limited.instantiate(dir)?;
        Ok(Instance { store, bindings })
    }
}

/// Where one shard's calls run: an instance of its own for this call, or
/// a session's, started on first use and kept for the next call, so that
/// its parse cache holds the same share of the files every time.
#[expect(clippy::large_enum_variant, reason = "a slot per shard, moved once or twice per call")]
pub(crate) enum Slot<'r> {
    Own(Option<Instance>),
    Kept(&'r mut Option<Instance>),
}

impl Slot<'_> {
    /// Fresh instances for `count` shards, started in their shards' threads.
    pub fn fresh(count: u32) -> Vec<Slot<'static>> {
        (0..count.max(1)).map(|_| Slot::Own(None)).collect()
    }

    fn held(&mut self) -> &mut Option<Instance> {
        match self {
            Slot::Own(slot) => slot,
            Slot::Kept(slot) => slot,
        }
    }

    /// `f` on the slot's instance, started on `dir` if it has none.
    pub fn call<R>(
        &mut self,
        limited: Limited<'_>,
        dir: &Path,
        f: impl FnOnce(&Orchestrator, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let held = self.held();
        if held.is_none() {
            *held = Some(Instance::start(limited, dir)?);
        }
        self.call_started(limited, f)
    }

    /// `f` on the instance an earlier call of this slot started (one of its
    /// resources is in hand).
    pub fn call_started<R>(
        &mut self,
        limited: Limited<'_>,
        f: impl FnOnce(&Orchestrator, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let held = self.held();
        let Some(instance) = held else {
            return Err(Error::Setup("a shard lost its instance".into()));
        };
        let result = instance.call(limited, f);
        if let Err(Error::Trap { .. }) = result {
            *held = None;
        }
        result
    }

    /// Drops `resource` in the slot's instance, if it still has the one
    /// that made it: a kept instance outlives the call. A trap here (a
    /// poisoned store refuses the drop too) empties the slot, as any does.
    pub fn drop_resource(&mut self, limited: Limited<'_>, resource: ResourceAny) {
        if self.held().is_some() {
            let _ = self.call_started(limited, |_, store| resource.resource_drop(store));
        }
    }
}
