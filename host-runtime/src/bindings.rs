//! Host bindings generated from `wit/`, the one contract.

wasmtime::component::bindgen!({
    world: "orchestrator",
    path: "../wit",
});

/// The Nickel engine's world, a component of its own. It exports the same
/// `diagnostics` interface: its types are the orchestrator world's, so
/// that one conversion serves both components.
pub mod nickel {
    wasmtime::component::bindgen!({
        world: "nickel-validator",
        path: "../wit",
        with: {
            "provisioning:orchestrator/diagnostics": crate::bindings::exports::provisioning::orchestrator::diagnostics,
        },
    });
}
