//! Fuzzes the SPDX 2 tag-value reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check("sbom.spdx", data));
