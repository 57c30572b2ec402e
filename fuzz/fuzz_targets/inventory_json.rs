//! Fuzzes the JSON readers: CycloneDX JSON, SPDX 2 JSON, SPDX 3 JSON-LD, package-lock.json
//! and Pipfile.lock (the content picks the reader).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check("sbom.json", data));
