//! The Nickel component pre-initialised: instantiated once in a sandbox
//! with no preopen, its standard library prepared (the WIT `prepare`), and
//! the instance's memory and globals snapshotted into a new component
//! (wasmtime-wizer). Every instance of that component starts with the
//! library ready, which was most of a cold check.
//!
//! This runs on the host, on the first `.ncl` validated with a cache
//! directory, and the result is cached precompiled beside the other
//! components (`component_cache`): the embedded bytes stay what the build
//! made, and what `orch component wasm` writes.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use wasmtime::component::{Component, Instance, Lift, WasmList};
use wasmtime::{Engine, Store};
use wasmtime_wizer::{ComponentInstanceState, Wizer};

use crate::bindings::nickel::NickelValidator;
use crate::wasi::HostState;

/// Bumped whenever what the snapshot holds changes for the same component
/// bytes (how it is taken, what is called first): it keys the cached artifact.
pub(crate) const SNAPSHOT_VERSION: &str = "prepared-1";

/// The Nickel component `wasm`, its `prepare` run and the result
/// snapshotted. `sandbox` makes the store it runs in (no preopens, a
/// memory cap and a deadline), once the component is compiled: the deadline
/// counts from then.
pub(crate) fn prepare(
    engine: &Engine,
    wasm: &[u8],
    sandbox: impl FnOnce() -> wasmtime::Result<Store<HostState>>,
) -> wasmtime::Result<Vec<u8>> {
    let mut wizer = Wizer::new();
    // `prepare` is a function of an interface, which the rewrite would not
    // remove anyway: the snapshot exports exactly what the component did.
    wizer.keep_init_func(true);
    let (context, instrumented) = wizer.instrument_component(wasm)?;
    let component = Component::new(engine, &instrumented)?;
    let linker = crate::wasi::linker(engine)?;
    let mut store = sandbox()?;
    let instance = linker.instantiate(&mut store, &component)?;
    NickelValidator::new(&mut store, &instance)?.provisioning_orchestrator_nickel().call_prepare(&mut store)?;
    // A handle would be a number in the snapshot that no later instance's
    // table holds: `prepare` opens nothing (no file, no stream), and the
    // table shows it.
    wasmtime::ensure!(store.data().holds_no_handles(), "the Nickel component kept a WASI handle open in `prepare`");
    ready(wizer.snapshot_component(&context, &mut Snapshotting { store: &mut store, instance }))
}

/// wasmtime-wizer's snapshot is `async` for hosts that call the instance
/// asynchronously; it waits on nothing but the calls below, which are
/// synchronous, so its future is ready at its first poll.
fn ready<T>(future: impl Future<Output = T>) -> T {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("the snapshot waits only on synchronous calls"),
    }
}

/// The instrumented instance, read through the accessor functions the
/// instrumentation exported.
struct Snapshotting<'a> {
    store: &'a mut Store<HostState>,
    instance: Instance,
}

impl Snapshotting<'_> {
    fn call<R: Lift + 'static>(&mut self, interface: &str, func: &str) -> R {
        let interface_index = self.instance.get_export_index(&mut *self.store, None, interface);
        let index = self
            .instance
            .get_export_index(&mut *self.store, interface_index.as_ref(), func)
            .unwrap_or_else(|| panic!("the instrumented component exports {interface}#{func}"));
        let func = self.instance.get_typed_func::<(), (R,)>(&mut *self.store, index).expect("an accessor's type");
        func.call(&mut *self.store, ()).expect("an accessor never traps").0
    }
}

impl ComponentInstanceState for Snapshotting<'_> {
    async fn call_func_ret_list_u8(&mut self, instance: &str, func: &str, contents: impl FnOnce(&[u8]) + Send) {
        let list: WasmList<u8> = self.call(instance, func);
        contents(list.as_le_slice(&*self.store));
    }

    async fn call_func_ret_s32(&mut self, instance: &str, func: &str) -> i32 {
        self.call(instance, func)
    }

    async fn call_func_ret_s64(&mut self, instance: &str, func: &str) -> i64 {
        self.call(instance, func)
    }

    async fn call_func_ret_f32(&mut self, instance: &str, func: &str) -> u32 {
        self.call::<f32>(instance, func).to_bits()
    }

    async fn call_func_ret_f64(&mut self, instance: &str, func: &str) -> u64 {
        self.call::<f64>(instance, func).to_bits()
    }
}
