//! Fuzzes the YAML readers: SPDX 2 YAML, Yarn 2+ lockfiles and conda environment files (the
//! first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((name, file)) =
        common::pick(&["sbom.spdx.yaml", "yarn.lock", "environment.yml"], data)
    {
        common::check(name, file);
    }
});
