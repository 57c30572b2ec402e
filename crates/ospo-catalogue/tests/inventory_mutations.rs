//! `inventory::read` never panics: real files (the shared SBOM corpus and the lockfile
//! fixtures), truncated anywhere and with bytes overwritten, inserted or removed, are read or
//! refused, and a refusal says where.

use std::path::{Path, PathBuf};

use ospo_catalogue::inventory::{self, IngestError};
use proptest::prelude::*;

fn files() -> &'static [(String, Vec<u8>)] {
    static FILES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    FILES.get_or_init(load)
}

fn load() -> Vec<(String, Vec<u8>)> {
    let shared = std::env::var_os("OSPO_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("sboms");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles");
    let mut out = Vec::new();
    let mut todo = vec![shared, fixtures];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                // Large files cost seconds each in a debug build; the fuzz targets take those.
                if bytes.len() <= 256 * 1024 {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

/// One change to a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite the byte at this fraction of the file.
    Set(f64, u8),
    /// Insert a byte there.
    Insert(f64, u8),
    /// Remove the byte there.
    Remove(f64),
}

fn at(fraction: f64, len: usize) -> usize {
    ((fraction * len as f64) as usize).min(len.saturating_sub(1))
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to the syntaxes read: quotes, brackets, separators, newlines, UTF-8.
    let byte = prop_oneof![
        Just(b'"'),
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b'<'),
        Just(b'>'),
        Just(b':'),
        Just(b'='),
        Just(b'@'),
        Just(b'\n'),
        Just(b'#'),
        Just(0xC3),
        any::<u8>(),
    ];
    prop_oneof![
        (0.0..1.0f64, byte.clone()).prop_map(|(f, b)| Mutation::Set(f, b)),
        (0.0..1.0f64, byte).prop_map(|(f, b)| Mutation::Insert(f, b)),
        (0.0..1.0f64).prop_map(Mutation::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn read_never_panics_on_cut_or_mutated_real_files(
        pick in any::<prop::sample::Index>(),
        keep in 0.0..=1.0f64,
        mutations in prop::collection::vec(mutation(), 0..6),
    ) {
        let files = files();
        let (name, bytes) = pick.get(files);
        let mut bytes = bytes[..((bytes.len() as f64 * keep) as usize).min(bytes.len())].to_vec();
        for m in &mutations {
            let len = bytes.len();
            match *m {
                Mutation::Set(f, b) if len > 0 => bytes[at(f, len)] = b,
                Mutation::Insert(f, b) => bytes.insert(at(f, len + 1).min(len), b),
                Mutation::Remove(f) if len > 0 => {
                    bytes.remove(at(f, len));
                }
                _ => {}
            }
        }
        let outcome = std::panic::catch_unwind(|| inventory::read(name, &bytes));
        prop_assert!(outcome.is_ok(), "{name} ({} bytes, {mutations:?}): the reader panicked", bytes.len());
        match outcome.unwrap() {
            Ok(read) => {
                for w in &read.warnings {
                    prop_assert!(!w.location.is_empty(), "{name}: {w} has no location");
                }
            }
            Err(IngestError::Syntax { line, column, .. }) => {
                prop_assert!(line >= 1 && column >= 1);
                // Lines end with \n, \r\n or (old Mac tools) a lone \r.
                let lone_cr = bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
                    + usize::from(bytes.last() == Some(&b'\r'));
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
                prop_assert!(line <= lines + 1, "{name}: line {line} of {lines}");
            }
            Err(e) => prop_assert!(e.to_string().starts_with(name.as_str()), "{e}"),
        }
    }
}
