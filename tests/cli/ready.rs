//! `ospo ready` and `ospo scan --readiness`: trees on disk that pass and fail each check.

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

/// A REUSE header in the given comment style (tag names split so this file is not tagged).
fn header(open: &str, close: &str, holder: &str, licence: &str) -> String {
    format!(
        "{open}SPDX-{}: 2024 {holder}{close}\n{open}SPDX-{}: {licence}{close}\n",
        "FileCopyrightText", "License-Identifier"
    )
}

fn hash(holder: &str) -> String {
    header("# ", "", holder, "MIT")
}

fn md() -> String {
    header("<!-- ", " -->", "CERN", "MIT")
}

fn write(root: &Path, path: &str, content: impl AsRef<[u8]>) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A project an OSPO would let go public: every check passes.
fn ready_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "LICENSE", MIT);
    write(r, "LICENSES/MIT.txt", MIT);
    write(
        r,
        "pyproject.toml",
        format!(
            "{}[project]\nname = \"demo\"\nlicense = \"MIT\"\n",
            hash("CERN")
        ),
    );
    write(
        r,
        "README.md",
        format!("{}# demo\n\n## Licence\n\nMIT, see LICENSE.\n", md()),
    );
    write(r, "CONTRIBUTING.md", md());
    write(r, ".github/CODE_OF_CONDUCT.md", md());
    write(r, "docs/SECURITY.md", md());
    write(r, "CHANGELOG.md", md());
    write(
        r,
        "demo/__init__.py",
        format!("{}VERSION = 1\n", hash("CERN")),
    );
    // Vendored code of others, with its licence beside it.
    write(r, "demo/vendor/tiny/LICENSE", MIT);
    write(
        r,
        "demo/vendor/tiny/tiny.py",
        format!("{}X = 2\n", hash("Tiny Authors")),
    );
    dir
}

fn ready(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["ready", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn check<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["readiness"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} missing from {:#}", r["readiness"]))
}

const CODES: &[&str] = &[
    "ready/licence-file",
    "ready/licence-matches",
    "ready/readme",
    "ready/contributing",
    "ready/code-of-conduct",
    "ready/security",
    "ready/changelog",
    "ready/notice",
    "ready/header-coverage",
    "ready/third-party",
    "ready/binaries",
    "ready/secrets",
    "ready/copyright-holder",
];

#[test]
fn a_tree_ready_for_release_passes_every_check_and_exits_0() {
    let dir = ready_tree();
    let o = ready(dir.path(), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(
        out.contains("Readiness for a first public release: ready"),
        "{out}"
    );
    let o = ready(dir.path(), &["-f", "json"]);
    let r = json(&o);
    for code in CODES {
        assert_eq!(
            check(&r, code)["outcome"],
            "pass",
            "{code}: {:#}",
            check(&r, code)
        );
    }
    assert_eq!(r["readiness"]["coverage"]["files"], 8);
    assert_eq!(r["readiness"]["coverage"]["with_both"], 8);
    assert_eq!(r["readiness"]["holder"], "CERN");
    let tp = &r["readiness"]["third_party"][0];
    assert_eq!(tp["path"], "demo/vendor/tiny");
    assert_eq!(tp["licences"], serde_json::json!(["MIT"]));
    assert!(
        check(&r, "ready/licence-file")["rule"]
            .as_str()
            .unwrap()
            .contains("repolinter default rule set: license-file-exists")
    );
}

/// Secret values written into the failing tree: none may be printed.
const PASSWORD: &str = "s3cr3t-Horse-Battery";
const KEY_BODY: &str = "MIIEowIBAAKCAQEAzZ9vTopSecretKeyMaterial";

#[test]
fn each_check_fails_on_a_tree_that_breaks_it_and_no_secret_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "pyproject.toml",
        "[project]\nname = \"demo\"\nlicense = \"Apache-2.0\"\n",
    );
    write(r, "README.md", "# demo\n\nA tool.\n");
    write(r, "demo/main.py", "# Copyright (c) 2024 CERN\nprint(1)\n");
    write(
        r,
        "demo/other.py",
        "# Copyright (c) 2021 Someone Else Ltd\nprint(2)\n",
    );
    write(r, "bin/tool", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00");
    write(r, "deploy/id_rsa", "not even read");
    write(
        r,
        "config/.env",
        format!("DEBUG=1\nDB_PASSWORD={PASSWORD}\n"),
    );
    write(
        r,
        "demo/keys.py",
        format!(
            "KEY = '''\n-----{} RSA {}-----\n{KEY_BODY}\n-----END RSA PRIVATE KEY-----'''\n",
            "BEGIN", "PRIVATE KEY"
        ),
    );
    write(r, "third_party/blob/blob.c", "int blob;\n");

    let o = ready(r, &["-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j = json(&o);
    for code in CODES {
        assert_eq!(
            check(&j, code)["outcome"],
            "fail",
            "{code}: {:#}",
            check(&j, code)
        );
        assert!(check(&j, code)["fix"].is_string(), "{code} says what to do");
    }
    assert_eq!(
        check(&j, "ready/readme")["detail"],
        "README.md does not mention the licence"
    );
    assert_eq!(
        check(&j, "ready/binaries")["paths"],
        serde_json::json!(["bin/tool"])
    );
    assert_eq!(
        check(&j, "ready/third-party")["paths"],
        serde_json::json!(["third_party/blob"])
    );
    assert_eq!(
        check(&j, "ready/secrets")["paths"],
        serde_json::json!(["config/.env", "demo/keys.py", "deploy/id_rsa"])
    );
    let secret_lines: Vec<(String, Option<u64>)> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ready/secrets")
        .map(|d| (d["path"].as_str().unwrap().to_owned(), d["line"].as_u64()))
        .collect();
    assert!(secret_lines.contains(&("config/.env".to_owned(), Some(2))));
    assert!(secret_lines.contains(&("demo/keys.py".to_owned(), Some(2))));
    // The most frequent holder is CERN (tie broken by name), the other file is named.
    assert_eq!(
        check(&j, "ready/copyright-holder")["paths"],
        serde_json::json!(["demo/other.py"])
    );

    for format in ["text", "json", "sarif"] {
        let o = ready(r, &["-f", format]);
        let out = stdout(&o);
        assert!(!out.contains(PASSWORD), "{format} printed the password");
        assert!(!out.contains(KEY_BODY), "{format} printed the key");
    }
    let text = stdout(&ready(r, &[]));
    assert!(
        text.contains("not ready (5 error(s), 8 warning(s))"),
        "{text}"
    );
    assert!(
        text.contains("config/.env:2: looks like a secret in a .env file"),
        "{text}"
    );
}

#[test]
fn a_licence_file_other_than_the_declared_licence_fails() {
    let dir = ready_tree();
    write(
        dir.path(),
        "pyproject.toml",
        format!(
            "{}[project]\nname = \"demo\"\nlicense = \"GPL-3.0-only\"\n",
            hash("CERN")
        ),
    );
    let o = ready(dir.path(), &["-f", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let c = check(&json(&o), "ready/licence-matches").clone();
    assert_eq!(c["outcome"], "fail");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("holds MIT but pyproject.toml declares GPL-3.0-only"),
        "{c:#}"
    );
}

#[test]
fn the_holder_given_is_the_one_every_file_must_name() {
    let dir = ready_tree();
    let o = ready(dir.path(), &["--holder", "CERN", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = ready(dir.path(), &["--holder", "Other Lab", "-f", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    let c = check(&j, "ready/copyright-holder");
    assert_eq!(c["outcome"], "fail");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .starts_with("0 files name Other Lab"),
        "{c:#}"
    );
}

#[test]
fn scan_with_readiness_puts_the_checks_in_sarif_with_their_rule() {
    let dir = ready_tree();
    write(dir.path(), "tool.exe", "MZ");
    let o = run(&["scan", dir.path().to_str().unwrap(), "-f", "sarif"]);
    let plain = json(&o);
    assert!(
        !plain.to_string().contains("ready/binaries"),
        "no readiness without --readiness"
    );
    let o = run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--readiness",
        "-f",
        "sarif",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let s = json(&o);
    let run0 = &s["runs"][0];
    let result = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ready/binaries")
        .expect("a ready/binaries result");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tool.exe"
    );
    let rule = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ready/binaries")
        .unwrap();
    assert_eq!(
        rule["fullDescription"]["text"],
        "From: repolinter default rule set: binaries-not-present"
    );
}
