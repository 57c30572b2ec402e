//! Fuzzes the line-based readers: requirements.txt, Yarn 1 lockfiles, go.sum, go.mod and conda
//! explicit lists (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let names = [
        "requirements.txt",
        "yarn.lock",
        "go.sum",
        "go.mod",
        "conda-linux-64.lock",
    ];
    if let Some((name, file)) = common::pick(&names, data) {
        common::check(name, file);
    }
});
