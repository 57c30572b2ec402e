//! Fuzzes the requirements.txt reader alone (`inventory::read_as`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospo_catalogue::inventory::Format;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check_as(Format::Requirements, "requirements.txt", data));
