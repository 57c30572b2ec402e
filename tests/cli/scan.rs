//! `ospo scan`: real trees written to temporary folders, scanned by the real binary.

use ospo_e2e::{run, stderr, stdout};
use serde_json::Value;
use std::path::Path;

/// The MIT licence as the SPDX list gives it.
const MIT: &str = "MIT License

Copyright (c) <year> <copyright holders>

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
";

/// A REUSE header in `#` comments (the tag names are split so that this file is not read as
/// tagged).
fn header(licence: &str) -> String {
    format!(
        "# SPDX-{}: 2024 CERN\n# SPDX-{}: {licence}\n",
        "FileCopyrightText", "License-Identifier"
    )
}

fn write(root: &Path, path: &str, content: impl AsRef<[u8]>) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A REUSE-compliant MIT project: a manifest, a source file, the licence text.
fn clean_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pyproject.toml",
        format!(
            "{}[project]\nname = \"demo\"\nlicense = \"MIT\"\n",
            header("MIT")
        ),
    );
    write(
        root,
        "demo/__init__.py",
        format!("{}VERSION = 1\n", header("MIT")),
    );
    write(root, "LICENSES/MIT.txt", MIT);
    dir
}

fn scan(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scan", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} missing from {report:#}"))
}

#[test]
fn a_reuse_clean_tree_exits_0() {
    let dir = clean_tree();
    let o = scan(dir.path(), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("REUSE: compliant"), "{out}");
    assert!(
        out.contains("Declared licence: MIT (pyproject.toml:5 project.license, manifest)"),
        "{out}"
    );
    assert!(out.contains("Compatibility: yes"), "{out}");
}

#[test]
fn json_says_per_file_what_was_found_and_how() {
    let dir = clean_tree();
    let o = scan(dir.path(), &["-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    let f = file(&r, "demo/__init__.py");
    assert_eq!(f["licences"], "MIT");
    assert_eq!(f["licence_findings"][0]["found_by"]["method"], "spdx-tag");
    assert_eq!(f["licence_findings"][0]["found_by"]["line"], 2);
    assert_eq!(f["copyrights"][0]["holder"], "CERN");
    assert_eq!(f["copyrights"][0]["found_by"]["method"], "spdx-tag");
    let text = file(&r, "LICENSES/MIT.txt");
    assert_eq!(
        text["licence_findings"][0]["found_by"]["method"],
        "licence-text"
    );
    assert!(text["licence_findings"][0]["confidence"].as_f64().unwrap() > 0.95);
    assert_eq!(r["summary"]["declared"]["expression"], "MIT");
    assert_eq!(r["summary"]["compatibility"]["verdict"], "yes");
    assert_eq!(r["reuse"]["compliant"], true);
}

#[test]
fn durations_name_the_slowest_files_on_stderr_and_in_json() {
    let dir = clean_tree();
    // A large file with many notice words is the slowest to read.
    let big = format!(
        "{}{}",
        header("MIT"),
        "# licensed under the MIT License\n".repeat(100_000)
    );
    write(dir.path(), "demo/big.py", big.as_bytes());
    let o = scan(dir.path(), &["-f", "json", "--durations", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "slowest files:", "{err}");
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[1].ends_with(&format!("s  demo/big.py, {} bytes", big.len())),
        "{err}"
    );
    let r = json(&o);
    let d = r["durations"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{r:#}");
    assert_eq!(d[0]["path"], "demo/big.py");
    assert!(d[0]["seconds"].as_f64().unwrap() >= d[1]["seconds"].as_f64().unwrap());
    // Not asked for: no times anywhere.
    let o = scan(dir.path(), &["-f", "json"]);
    assert!(json(&o).get("durations").is_none());
    assert!(!stderr(&o).contains("slowest"));
}

#[test]
fn missing_headers_exit_1_naming_the_file() {
    let dir = clean_tree();
    write(dir.path(), "demo/util.py", "def f():\n    return 1\n");
    let o = scan(dir.path(), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("REUSE: not compliant (1 without licence, 1 without copyright"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("reuse/missing-licence") && l.contains("demo/util.py")),
        "{out}"
    );
}

#[test]
fn a_licence_file_is_identified_and_declares_the_licence() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "LICENSE", MIT);
    write(
        dir.path(),
        "main.c",
        "/* Copyright (c) 2019-2024 CERN */\nint main;\n",
    );
    let o = scan(dir.path(), &["-f", "json"]);
    let r = json(&o);
    let l = &file(&r, "LICENSE")["licence_findings"][0];
    assert_eq!(l["expression"], "MIT");
    assert_eq!(r["summary"]["declared"]["expression"], "MIT");
    assert_eq!(r["summary"]["declared"]["found_by"]["source"], "LICENSE");
    let c = &file(&r, "main.c")["copyrights"][0];
    assert_eq!(c["holder"], "CERN");
    assert_eq!(c["years"], "2019-2024");
    assert_eq!(c["found_by"]["method"], "copyright-statement");
}

#[test]
fn a_gpl_file_in_an_mit_project_is_incompatible_with_explanation() {
    let dir = clean_tree();
    write(dir.path(), "demo/vendored.py", header("GPL-3.0-only"));
    write(
        dir.path(),
        "LICENSES/GPL-3.0-only.txt",
        "GNU GENERAL PUBLIC LICENSE\n",
    );
    let o = scan(dir.path(), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("Compatibility: no"), "{out}");
    assert!(out.contains("GPL-3.0-only with MIT: no"), "{out}");
    assert!(
        out.lines().any(|l| l.contains("compat/incompatible")
            && l.contains("demo/vendored.py")
            && l.contains("outbound MIT")),
        "{out}"
    );
    // Distributed under the GPL instead, the whole is fine.
    let o = scan(dir.path(), &["--outbound", "GPL-3.0-only", "-f", "json"]);
    assert_eq!(json(&o)["summary"]["compatibility"]["verdict"], "yes");
}

#[cfg(unix)]
#[test]
fn symlink_loops_non_utf8_names_and_binaries_do_not_stop_the_scan() {
    use std::os::unix::ffi::OsStrExt;
    let dir = clean_tree();
    let root = dir.path();
    std::os::unix::fs::symlink(".", root.join("demo/self")).unwrap();
    std::os::unix::fs::symlink("loop-b", root.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", root.join("loop-b")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"demo/na\xefve.py");
    std::fs::write(root.join(name), header("MIT")).unwrap();
    write(root, "demo/data.bin", b"\x00\x01\x02binary\x00");
    let o = scan(root, &["-f", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the binary has no licence: {}",
        stderr(&o)
    );
    let r = json(&o);
    assert_eq!(file(&r, "demo/na\u{fffd}ve.py")["licences"], "MIT");
    assert_eq!(
        file(&r, "demo/data.bin")["skipped"],
        "binary file, not read"
    );
    assert_eq!(file(&r, "loop-a")["skipped"], "symbolic link, not followed");
    let notes: Vec<&Value> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "scan/skipped")
        .collect();
    assert!(
        notes.iter().any(|d| d["path"] == "demo/data.bin"),
        "{notes:?}"
    );
    let text = stdout(&scan(root, &[]));
    assert!(
        text.contains("demo/data.bin: skipped: binary file, not read"),
        "{text}"
    );
}

#[test]
fn sarif_output_locates_each_finding() {
    let dir = clean_tree();
    write(
        dir.path(),
        "demo/bad.py",
        format!(
            "{}# SPDX-{}: MIT ANDD X\n",
            header("MIT"),
            "License-Identifier"
        ),
    );
    let o = scan(dir.path(), &["-f", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let s = json(&o);
    assert_eq!(s["version"], "2.1.0");
    let results = s["runs"][0]["results"].as_array().unwrap();
    let bad = results
        .iter()
        .find(|r| r["ruleId"] == "licence/invalid-expression")
        .unwrap_or_else(|| panic!("{s:#}"));
    assert_eq!(bad["level"], "error");
    let loc = &bad["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "demo/bad.py");
    assert_eq!(loc["region"]["startLine"], 3);
}

#[test]
fn the_tool_failing_exits_2_with_the_reason() {
    let o = run(&["scan", "/no/such/tree"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/tree"), "{}", stderr(&o));
    let dir = clean_tree();
    let o = scan(dir.path(), &["--outbound", "NOT A LICENCE ((("]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("outbound licence"), "{}", stderr(&o));
}

#[test]
fn licence_notices_and_more_manifests_without_scancode_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "pkg/notice.py",
        "# Copyright (C) 2019 CERN.\n#\n# Invenio is free software; you can redistribute it and/or modify it\n# under the terms of the MIT License; see LICENSE file for more details.\n",
    );
    write(
        r,
        "pkg/gnu.c",
        "/* This program is free software: you can redistribute it and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free Software Foundation, either version 3 of the License, or\n * (at your option) any later version. */\n",
    );
    write(
        r,
        "pkg/fp.py",
        "# Berkeley Software Distribution 3 was an early Unix\ngpl = licences['gpl']\n",
    );
    write(
        r,
        "pyproject.toml",
        "[project]\nname = \"demo\"\ndependencies = [\"gpl-tools\", \"apache-beam\"]\n",
    );
    write(
        r,
        "r/DESCRIPTION",
        "Package: demo\nLicense: GPL (>= 2)\nImports: gpl\n",
    );
    write(
        r,
        "java/pom.xml",
        "<project>\n  <licenses>\n    <license>\n      <name>Apache License, Version 2.0</name>\n    </license>\n  </licenses>\n</project>\n",
    );
    write(
        r,
        "setup.py",
        "setup(\n    name='demo',\n    license='BSD-3-Clause',\n)\n",
    );
    let o = scan(r, &["-f", "json"]);
    let j = json(&o);
    let n = &file(&j, "pkg/notice.py")["licence_findings"][0];
    assert_eq!(n["expression"], "MIT");
    assert_eq!(n["found_by"]["method"], "licence-notice");
    assert_eq!(n["found_by"]["line"], 4);
    assert!(n["confidence"].as_f64().unwrap() >= 0.9);
    assert_eq!(file(&j, "pkg/gnu.c")["licences"], "GPL-3.0-or-later");
    assert_eq!(file(&j, "pkg/fp.py")["licences"], Value::Null);
    assert_eq!(file(&j, "pyproject.toml")["licences"], Value::Null);
    assert_eq!(file(&j, "r/DESCRIPTION")["licences"], "GPL-2.0-or-later");
    assert_eq!(file(&j, "java/pom.xml")["licences"], "Apache-2.0");
    assert_eq!(file(&j, "setup.py")["licences"], "BSD-3-Clause");
    // No root manifest with a licence field but setup.py: it declares.
    assert_eq!(j["summary"]["declared"]["expression"], "BSD-3-Clause");
    assert_eq!(j["summary"]["declared"]["found_by"]["source"], "setup.py");
}

#[test]
fn progress_shows_on_a_terminal_and_never_in_piped_output() {
    let dir = clean_tree();
    let o = scan(dir.path(), &["-f", "json"]);
    assert!(o.stderr.is_empty(), "piped: {}", stderr(&o));
    assert!(!stdout(&o).contains("scanning:"));
    // Under a pseudo-terminal (util-linux `script`), the count of files is drawn on stderr.
    let cmd = format!(
        "{} scan {} -f json >/dev/null",
        ospo_e2e::ospo_bin().display(),
        dir.path().display()
    );
    let out = tempfile::tempdir().unwrap();
    let typescript = out.path().join("typescript");
    let o = std::process::Command::new("script")
        .args(["-qec", &cmd, typescript.to_str().unwrap()])
        .output()
        .expect("script (util-linux) runs");
    let seen = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    // The last frame counts every file of the tree.
    assert!(
        seen.contains("scanning: 3 files"),
        "{seen:?} {}",
        stderr(&o)
    );
}
