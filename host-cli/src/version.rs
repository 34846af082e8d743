//! `orch --version`: what a bug report needs to say exactly what ran.

use orch_runtime::component;
use sha2::{Digest, Sha256};

/// `orch 0.1.0`, the WIT package, and each embedded component's world with
/// the start of its SHA-256 (what `orch component wasm | sha256sum` prints).
/// Built only when asked for, as hashing the components takes a moment.
pub fn text() -> String {
    let mut text = format!("orch {}\nwit {}\n", env!("CARGO_PKG_VERSION"), component::WIT_PACKAGE);
    for embedded in component::COMPONENTS {
        let digest = Sha256::digest(embedded.wasm);
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        text.push_str(&format!("component {} sha256:{hex}\n", embedded.world));
    }
    text
}
