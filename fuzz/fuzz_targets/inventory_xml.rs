//! Fuzzes the XML readers: CycloneDX XML and Maven's pom.xml (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((name, file)) = common::pick(&["bom.xml", "pom.xml"], data) {
        common::check(name, file);
    }
});
