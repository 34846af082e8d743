//! Host bindings generated from `wit/`, the one contract.

wasmtime::component::bindgen!({
    world: "orchestrator",
    path: "../wit",
});

/// The Nickel engine's world, a component of its own.
pub mod nickel {
    wasmtime::component::bindgen!({
        world: "nickel-validator",
        path: "../wit",
    });
}
