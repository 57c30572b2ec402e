//! Fuzzes format detection and dispatch (`inventory::read`): the first byte picks the file name
//! the reader is told, the rest is the file, so names and contents that disagree are tried too.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

/// One name per reader, plus names that say nothing.
const NAMES: [&str; 20] = [
    "bom.json",
    "bom.xml",
    "sbom.spdx.json",
    "sbom.spdx.yaml",
    "sbom.spdx",
    "sbom.spdx3.json",
    "Cargo.lock",
    "package-lock.json",
    "requirements.txt",
    "yarn.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "go.sum",
    "go.mod",
    "pom.xml",
    "environment.yml",
    "conda-linux-64.lock",
    "upload.bin",
    "sbom",
];

fuzz_target!(|data: &[u8]| {
    if let Some((name, file)) = common::pick(&NAMES, data) {
        common::check(name, file);
    }
});
