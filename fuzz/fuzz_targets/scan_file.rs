//! Fuzzes what `ospo scan` reads in one file (tags, notices, banners in long lines, source
//! maps, fonts' naming tables, manifests, copyright statements, secrets): the first byte picks
//! the file name, so that each name-dependent reader gets the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "main.py",
    "bundle.js",
    "bundle.js.map",
    "font.ttf",
    "font.otf",
    "Cargo.toml",
    "package.json",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "DESCRIPTION",
    "demo.gemspec",
    "pom.xml",
    "LICENSE",
    "COPYING",
    "README.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let _ = ospo_catalogue::scan::fuzz_file(name, rest);
});
