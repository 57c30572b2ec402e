//! Fuzzes the yarn.lock (Yarn 1 and Yarn 2+) reader alone (`inventory::read_as`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospo_catalogue::inventory::Format;

#[path = "inventory_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check_as(Format::YarnLock, "yarn.lock", data));
