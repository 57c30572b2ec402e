//! Fuzzes the TOML lockfile readers: Cargo.lock, poetry.lock and uv.lock (the first byte picks
//! the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((name, file)) = common::pick(&["Cargo.lock", "poetry.lock", "uv.lock"], data) {
        common::check(name, file);
    }
});
