//! Host bindings generated from `wit/`, the one contract.

wasmtime::component::bindgen!({
    world: "orchestrator",
    path: "../wit",
});
