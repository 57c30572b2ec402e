//! What every inventory fuzz target checks: reading never panics, a refusal says where, and
//! everything tolerated has a location.

use ospo_catalogue::inventory::{self, Format, IngestError, Ingested};

/// Reads `data` as the file `name`, detecting its format, and checks the outcome.
#[allow(dead_code, reason = "the targets of one reader call check_as")]
pub fn check(name: &str, data: &[u8]) {
    outcome(inventory::read(name, data));
}

/// Reads `data` with the reader of `format` alone and checks the outcome.
#[allow(dead_code, reason = "the detection target calls check")]
pub fn check_as(format: Format, name: &str, data: &[u8]) {
    outcome(inventory::read_as(format, name, data));
}

fn outcome(result: Result<Ingested, IngestError>) {
    match result {
        Ok(read) => {
            for w in &read.warnings {
                assert!(!w.location.is_empty(), "{w} has no location");
            }
            let _ = serde_json::to_string(&read).expect("what was read serialises");
        }
        Err(IngestError::Syntax { line, column, .. }) => {
            assert!(line >= 1 && column >= 1, "line {line}, column {column}");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The first byte picks the file name (and so the reader), the rest is the file.
#[allow(dead_code, reason = "the targets of one reader do not pick")]
pub fn pick<'a>(names: &[&'a str], data: &'a [u8]) -> Option<(&'a str, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((names[usize::from(first) % names.len()], rest))
}
