//! Support for the end-to-end tests: find and run the real `ospo` binary.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `ospo` binary built by cargo next to the test executable (or `$OSPO_BIN`).
pub fn ospo_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("OSPO_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test executable has a path");
    // target/<profile>/deps/<test> -> target/<profile>/ospo
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    let bin = dir.join(format!("ospo{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build --workspace --bins` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// A command running `ospo` with the given arguments.
pub fn ospo(args: &[&str]) -> Command {
    let mut c = Command::new(ospo_bin());
    c.args(args);
    c.env("NO_COLOR", "1");
    c
}

/// Runs `ospo` and returns its output.
pub fn run(args: &[&str]) -> Output {
    ospo(args).output().expect("ospo runs")
}

/// The standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository root (for fixtures).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}
