//! Times `inventory::read` on every file under the folders given (all read into memory
//! first), several rounds, and prints one JSON object: files, how many were accepted (with or
//! without warnings) and refused (by reason), components, and the seconds of each round.
//!
//! `cargo run --release -p ospo-catalogue --example inventory_parse -- DIR... [--rounds N]`
//! (used by `bench/inventory-parse.sh`).

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use ospo_catalogue::inventory::{self, IngestError};

fn main() {
    let mut dirs = Vec::new();
    let mut rounds = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.push((path.display().to_string(), bytes));
            }
        }
    }
    files.sort();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut seconds = Vec::new();
    let mut summary = (0, 0, 0, BTreeMap::<String, usize>::new());
    // Per format: files, of which with warnings, components.
    let mut by_format = BTreeMap::<String, [usize; 3]>::new();
    for round in 0..rounds {
        let start = Instant::now();
        let outcomes: Vec<_> = files
            .iter()
            .map(|(name, bytes)| inventory::read(name, bytes))
            .collect();
        seconds.push(start.elapsed().as_secs_f64());
        if round == 0 {
            let (clean, warned, components, refused) = &mut summary;
            for outcome in outcomes {
                if let Ok(read) = &outcome {
                    let row = by_format.entry(read.format.to_string()).or_default();
                    row[0] += 1;
                    row[1] += usize::from(!read.warnings.is_empty());
                    row[2] += read.entries.len();
                }
                match outcome {
                    Ok(read) if read.warnings.is_empty() => {
                        *clean += 1;
                        *components += read.entries.len();
                    }
                    Ok(read) => {
                        *warned += 1;
                        *components += read.entries.len();
                    }
                    Err(e) => {
                        let reason = match e {
                            IngestError::Unrecognised { .. } => "not a format read",
                            IngestError::Syntax { .. } => "malformed",
                            IngestError::Content { .. } => "invalid content",
                        };
                        *refused.entry(reason.to_owned()).or_default() += 1;
                    }
                }
            }
        }
    }
    let (clean, warned, components, refused) = summary;
    let json = serde_json::json!({
        "files": files.len(),
        "bytes": bytes,
        "accepted": clean,
        "accepted_with_warnings": warned,
        "refused": refused,
        "components": components,
        "by_format": by_format,
        "seconds": seconds,
    });
    println!("{json}");
}
