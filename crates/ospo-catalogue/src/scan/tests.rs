//! Scans of small trees written to temporary folders.

use super::*;
use extract::{COPYRIGHT_TAG, LICENCE_TAG, SNIPPET_COPYRIGHT_TAG, SNIPPET_LICENCE_TAG};

/// Writes files (path, content) under a new temporary folder.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

/// A REUSE header in `#` comments.
fn header(licence: &str, holder: &str) -> String {
    format!("# {COPYRIGHT_TAG} 2024 {holder}\n# {LICENCE_TAG} {licence}\n")
}

fn run(dir: &tempfile::TempDir) -> Report {
    scan(dir.path(), &Options::default()).unwrap()
}

fn file<'a>(r: &'a Report, path: &str) -> &'a FileReport {
    r.files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        panic!(
            "{path} not in {:?}",
            r.files.iter().map(|f| &f.path).collect::<Vec<_>>()
        )
    })
}

fn codes(r: &Report) -> Vec<(&'static str, Option<String>)> {
    r.diagnostics
        .iter()
        .map(|d| (d.code, d.path.clone()))
        .collect()
}

fn mit() -> &'static str {
    spdx::license_id("MIT").unwrap().text()
}

fn reuse_clean_tree() -> tempfile::TempDir {
    let cargo = format!(
        "{}[package]\nname = \"demo\"\nlicense = \"MIT\"\n",
        header("MIT", "CERN")
    );
    let main = format!("{}print('hello')\n", header("MIT", "CERN"));
    tree(&[
        ("Cargo.toml", cargo.as_bytes()),
        ("src/main.py", main.as_bytes()),
        ("LICENSES/MIT.txt", mit().as_bytes()),
    ])
}

#[test]
fn reuse_clean_tree_is_clean_and_says_how_each_fact_was_found() {
    let dir = reuse_clean_tree();
    let r = run(&dir);
    assert!(r.is_clean(), "{:#?}", r.diagnostics);
    assert!(r.reuse.compliant);
    let f = file(&r, "src/main.py");
    assert_eq!(f.licences.as_deref(), Some("MIT"));
    assert_eq!(f.licence_findings[0].found_by.method, Method::SpdxTag);
    assert_eq!(f.licence_findings[0].found_by.line, Some(2));
    assert_eq!(f.copyrights[0].holder.as_deref(), Some("CERN"));
    assert_eq!(f.copyrights[0].years.as_deref(), Some("2024"));
    let d = r.summary.declared.as_ref().unwrap();
    assert_eq!(d.expression, "MIT");
    assert_eq!(d.found_by.method, Method::Manifest);
    assert_eq!(d.found_by.detail.as_deref(), Some("package.license"));
    assert_eq!(
        r.summary.compatibility.as_ref().unwrap().verdict,
        Verdict::Yes
    );
    // The licence text in LICENSES/ is identified too.
    let t = &file(&r, "LICENSES/MIT.txt").licence_findings[0];
    assert_eq!(
        (t.expression.as_str(), t.found_by.method),
        ("MIT", Method::LicenceText)
    );
}

#[test]
fn missing_headers_name_the_files() {
    let dir = reuse_clean_tree();
    std::fs::write(dir.path().join("src/util.py"), "x = 1\n").unwrap();
    std::fs::write(
        dir.path().join("src/half.py"),
        format!("# {LICENCE_TAG} MIT\n"),
    )
    .unwrap();
    let r = run(&dir);
    assert!(!r.is_clean());
    assert_eq!(r.reuse.missing_licence, ["src/util.py"]);
    assert_eq!(r.reuse.missing_copyright, ["src/half.py", "src/util.py"]);
    assert!(codes(&r).contains(&("reuse/missing-licence", Some("src/util.py".into()))));
}

#[test]
fn licence_files_missing_unused_and_bad_expressions() {
    let dir = reuse_clean_tree();
    std::fs::write(
        dir.path().join("src/gpl.py"),
        header("GPL-3.0-or-later", "Someone"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/bad.py"),
        header("MIT ANDD Apache-2.0", "Someone"),
    )
    .unwrap();
    std::fs::write(dir.path().join("LICENSES/BSD-3-Clause.txt"), "text").unwrap();
    let r = run(&dir);
    assert_eq!(
        r.reuse
            .missing_licence_files
            .get("GPL-3.0-or-later")
            .unwrap(),
        &["src/gpl.py"]
    );
    assert_eq!(r.reuse.unused_licence_files, ["LICENSES/BSD-3-Clause.txt"]);
    let bad = r
        .diagnostics
        .iter()
        .find(|d| d.code == "licence/invalid-expression")
        .unwrap();
    assert_eq!(bad.path.as_deref(), Some("src/bad.py"));
    assert_eq!(bad.line, Some(2));
    assert!(bad.message.contains("ANDD"), "{}", bad.message);
}

#[test]
fn licence_texts_are_identified_with_confidence() {
    let apache = spdx::license_id("Apache-2.0").unwrap().text();
    let dir = tree(&[
        ("LICENSE", apache.as_bytes()),
        ("COPYING.MIT", mit().as_bytes()),
    ]);
    let r = run(&dir);
    let a = &file(&r, "LICENSE").licence_findings[0];
    assert_eq!(a.expression, "Apache-2.0");
    assert!(a.confidence.unwrap() > 0.95, "{a:?}");
    assert_eq!(file(&r, "COPYING.MIT").licences.as_deref(), Some("MIT"));
    // Two root licence files: declared as both.
    let d = r.summary.declared.as_ref().unwrap();
    assert!(same_licences(&d.expression, "Apache-2.0 AND MIT"), "{d:?}");
}

#[test]
fn gpl_file_in_mit_project_is_incompatible_with_explanation() {
    let dir = reuse_clean_tree();
    std::fs::write(
        dir.path().join("src/vendored.c"),
        format!("/* {LICENCE_TAG} GPL-3.0-only */\n/* Copyright (c) 2019-2024 Free Person */\n"),
    )
    .unwrap();
    std::fs::copy(
        dir.path().join("LICENSES/MIT.txt"),
        dir.path().join("LICENSES/GPL-3.0-only.txt"),
    )
    .unwrap();
    let r = run(&dir);
    let c = r.summary.compatibility.as_ref().unwrap();
    assert_eq!(c.verdict, Verdict::No);
    assert_eq!(c.failing, ["GPL-3.0-only"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "compat/incompatible")
        .unwrap();
    assert_eq!(d.path.as_deref(), Some("src/vendored.c"));
    assert!(
        d.message.contains("GPL-3.0-only") && d.message.contains("MIT"),
        "{}",
        d.message
    );
    assert_eq!(
        r.summary.licences.get("GPL-3.0-only").unwrap(),
        &["src/vendored.c"]
    );
    let holder = &file(&r, "src/vendored.c").copyrights[0];
    assert_eq!(holder.holder.as_deref(), Some("Free Person"));
    assert_eq!(holder.found_by.method, Method::CopyrightStatement);
    // Another outbound licence changes the verdict.
    let o = Options {
        outbound: Some("GPL-3.0-only".into()),
        ..Options::default()
    };
    let r = scan(dir.path(), &o).unwrap();
    assert_eq!(r.summary.compatibility.unwrap().verdict, Verdict::Yes);
}

#[test]
fn binaries_big_files_and_gitignored_files() {
    let big = vec![b'a'; 2048];
    let dir = tree(&[
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0IHDR"),
        ("big.txt", &big),
        ("build/out.py", b"# GPL-2.0 generated"),
        (".gitignore", b"build/\n"),
        (".git", b"gitdir: /elsewhere/.git/worktrees/x\n"),
        ("logo.png.license", header("CC0-1.0", "CERN").as_bytes()),
    ]);
    let o = Options {
        max_file_size: 1024,
        ..Options::default()
    };
    let r = scan(dir.path(), &o).unwrap();
    let png = file(&r, "logo.png");
    assert_eq!(png.skipped.as_deref(), Some("binary file, not read"));
    // Its companion file covers it.
    assert_eq!(png.licences.as_deref(), Some("CC0-1.0"));
    assert_eq!(
        png.licence_findings[0].found_by.method,
        Method::CompanionFile
    );
    assert!(!r.reuse.missing_licence.contains(&"logo.png".to_owned()));
    assert!(
        file(&r, "big.txt")
            .skipped
            .as_deref()
            .unwrap()
            .contains("larger than the limit")
    );
    assert!(codes(&r).contains(&("scan/skipped", Some("big.txt".into()))));
    assert!(!r.files.iter().any(|f| f.path.starts_with("build/")));
    assert!(
        !r.files.iter().any(|f| f.path == ".git"),
        "a worktree's .git file"
    );
    let all = Options {
        ignore_files: false,
        ..o
    };
    let r = scan(dir.path(), &all).unwrap();
    assert!(r.files.iter().any(|f| f.path == "build/out.py"));
}

#[test]
fn reuse_toml_precedence() {
    let toml = format!(
        "version = 1\n\n[[annotations]]\npath = \"docs/**\"\n{COPYRIGHT_TAG_K} = \"2024 CERN\"\n{LICENCE_TAG_K} = \"CC-BY-4.0\"\n\n[[annotations]]\npath = \"data/*.csv\"\nprecedence = \"override\"\n{COPYRIGHT_TAG_K} = \"2020 Data Owner\"\n{LICENCE_TAG_K} = \"CC0-1.0\"\n",
        COPYRIGHT_TAG_K = COPYRIGHT_TAG.trim_end_matches(':'),
        LICENCE_TAG_K = LICENCE_TAG.trim_end_matches(':'),
    );
    let dir = tree(&[
        ("REUSE.toml", toml.as_bytes()),
        ("docs/a.md", b"plain text\n"),
        ("docs/b.md", header("MIT", "Writer").as_bytes()),
        ("data/x.csv", header("GPL-3.0-only", "Ignored").as_bytes()),
    ]);
    let r = run(&dir);
    let a = file(&r, "docs/a.md");
    assert_eq!(a.licences.as_deref(), Some("CC-BY-4.0"));
    assert_eq!(a.licence_findings[0].found_by.method, Method::ReuseToml);
    assert_eq!(a.licence_findings[0].found_by.line, Some(3));
    // closest: the file's own tags win.
    assert_eq!(file(&r, "docs/b.md").licences.as_deref(), Some("MIT"));
    // override: the file is not read for tags.
    let x = file(&r, "data/x.csv");
    assert_eq!(x.licences.as_deref(), Some("CC0-1.0"));
    assert_eq!(x.copyrights[0].holder.as_deref(), Some("Data Owner"));
    assert!(r.reuse.missing_licence.is_empty(), "{:?}", r.reuse);
}

#[test]
fn nested_reuse_toml_files_apply_as_reuse_tool_applies_them() {
    let (c, l) = (
        COPYRIGHT_TAG.trim_end_matches(':'),
        LICENCE_TAG.trim_end_matches(':'),
    );
    let root = format!(
        "version = 1\n\n[[annotations]]\npath = \"**\"\n{c} = \"2024 CERN\"\n{l} = \"MIT\"\n\n[[annotations]]\npath = \"vendor/**\"\nprecedence = \"override\"\n{c} = \"2010 Upstream\"\n{l} = \"BSD-3-Clause\"\n"
    );
    // Paths relative to lib/; a licence without a copyright.
    let lib = format!(
        "version = 1\n\n[[annotations]]\npath = \"*.txt\"\n{l} = \"Apache-2.0\"\n\n[[annotations]]\npath = \"gen/**\"\nprecedence = \"aggregate\"\n{c} = \"2025 Generator\"\n{l} = \"CC0-1.0\"\n"
    );
    let vendor = format!(
        "version = 1\n\n[[annotations]]\npath = \"**\"\n{c} = \"Nobody\"\n{l} = \"GPL-2.0-only\"\n"
    );
    let dir = tree(&[
        ("REUSE.toml", root.as_bytes()),
        ("lib/REUSE.toml", lib.as_bytes()),
        ("vendor/REUSE.toml", vendor.as_bytes()),
        ("lib/a.txt", b"plain\n"),
        ("lib/b.py", b"x = 1\n"),
        ("lib/gen/c.py", header("MIT", "Writer").as_bytes()),
        ("vendor/x.c", header("GPL-3.0-only", "Someone").as_bytes()),
    ]);
    let r = run(&dir);
    let facts = |p: &str| {
        let f = file(&r, p);
        let holders: Vec<&str> = f
            .copyrights
            .iter()
            .filter_map(|c| c.holder.as_deref())
            .collect();
        (f.licences.clone().unwrap_or_default(), holders.join(", "))
    };
    // As `reuse spdx` 6.2.0 gives them for this tree.
    // The deepest REUSE.toml gives the licence; the copyright comes from the root, as lib's
    // annotation has none.
    assert_eq!(facts("lib/a.txt"), ("Apache-2.0".into(), "CERN".into()));
    // lib's globs are relative to lib/: `*.txt` does not match b.py.
    assert_eq!(facts("lib/b.py"), ("MIT".into(), "CERN".into()));
    assert_eq!(
        facts("lib/gen/c.py"),
        ("MIT AND CC0-1.0".into(), "Writer, Generator".into())
    );
    // The root's override stops the descent: vendor/REUSE.toml does not apply.
    assert_eq!(
        facts("vendor/x.c"),
        ("BSD-3-Clause".into(), "Upstream".into())
    );
    let source = &file(&r, "lib/a.txt").licence_findings[0].found_by;
    assert_eq!(
        (source.method, source.source.as_str()),
        (Method::ReuseToml, "lib/REUSE.toml")
    );
    assert_eq!(
        r.reuse.annotations,
        ["REUSE.toml", "lib/REUSE.toml", "vendor/REUSE.toml"]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_non_utf8_names_do_not_stop_the_scan() {
    use std::os::unix::ffi::OsStrExt;
    let dir = reuse_clean_tree();
    std::os::unix::fs::symlink(".", dir.path().join("src/loop")).unwrap();
    std::os::unix::fs::symlink("../b", dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(dir.path().join("src").join(name), header("MIT", "CERN")).unwrap();
    let r = run(&dir);
    let weird = file(&r, "src/caf\u{fffd}.py");
    assert_eq!(weird.licences.as_deref(), Some("MIT"));
    assert_eq!(
        file(&r, "src/loop").skipped.as_deref(),
        Some("symbolic link, not followed")
    );
    assert!(r.is_clean(), "{:#?}", r.diagnostics);
}

#[test]
fn manifests_declare_and_mismatch_is_reported() {
    let dir = tree(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"license\": \"Apache-2.0\"}",
        ),
        ("LICENSE", mit().as_bytes()),
    ]);
    let r = run(&dir);
    let d = r.summary.declared.as_ref().unwrap();
    assert_eq!(d.expression, "Apache-2.0");
    assert_eq!(d.found_by.source, "package.json");
    assert!(codes(&r).contains(&("declared/mismatch", Some("LICENSE".into()))));
}

#[test]
fn dual_licence_files_match_a_dual_declaration() {
    let apache = spdx::license_id("Apache-2.0").unwrap().text();
    let dir = tree(&[
        (
            "Cargo.toml",
            b"[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n",
        ),
        ("LICENSE-MIT", mit().as_bytes()),
        ("LICENSE-APACHE", apache.as_bytes()),
        (
            "COPYING",
            b"This project is dual-licensed; see the LICENSE files.\n",
        ),
        ("data/licenses.csv", b"id,name\nMIT,MIT License\n"),
    ]);
    let r = run(&dir);
    assert!(
        !codes(&r).iter().any(|(c, _)| *c == "declared/mismatch"),
        "{:#?}",
        r.diagnostics
    );
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "licence/unidentified-text")
        .unwrap();
    assert_eq!(
        (d.path.as_deref(), d.severity),
        (Some("COPYING"), Severity::Note)
    );
    assert_eq!(
        file(&r, "LICENSE-APACHE").licences.as_deref(),
        Some("Apache-2.0")
    );
    // Data named after licences is not read as a licence text.
    assert_eq!(file(&r, "data/licenses.csv").licence_findings, []);
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.path.as_deref() == Some("data/licenses.csv")
                && d.code == "licence/unidentified-text")
    );
}

#[test]
fn references_to_licence_files_are_followed_to_the_nearest_one() {
    let sgi = spdx::license_id("SGI-B-2.0").unwrap().text();
    let dir = tree(&[
        (
            "LICENSE",
            b"Geant4 Software License\n\nThe terms are available at http://cern.ch/geant4/license .\n",
        ),
        ("src/G4Track.hh", b"// see the LICENSE file\nclass G4Track;\n"),
        ("externals/glutess/license", sgi.as_bytes()),
        (
            "externals/glutess/memalloc",
            b"// see license file for original license.\n\n#include <cstdlib>\n",
        ),
        (
            "analysis/tools.license",
            b"The g4/tools license\n\nYou can use this software for whatever you want.\n",
        ),
        (
            "externals/tools/cid",
            b"// Copyright (C) 2010, Guy Barrand. All rights reserved.\n// See the file tools.license for terms.\n",
        ),
    ]);
    let r = run(&dir);
    let geant4 = "LicenseRef-scancode-geant4-sl-1.0";
    assert_eq!(file(&r, "LICENSE").licences.as_deref(), Some(geant4));
    // Beside the file, not the root's licence.
    let memalloc = file(&r, "externals/glutess/memalloc");
    assert_eq!(memalloc.licences.as_deref(), Some("SGI-B-2.0"));
    let found = &memalloc.licence_findings[0].found_by;
    assert_eq!(found.line, Some(1));
    assert!(
        found
            .detail
            .as_deref()
            .unwrap()
            .contains("externals/glutess/license"),
        "{found:?}"
    );
    // Two folders up.
    assert_eq!(file(&r, "src/G4Track.hh").licences.as_deref(), Some(geant4));
    // A custom licence text gives nothing to follow; it is noted, the Geant4 LICENSE is not
    // (its notice names its licence).
    assert_eq!(file(&r, "externals/tools/cid").licences, None);
    let unidentified: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "licence/unidentified-text")
        .map(|d| d.path.as_deref().unwrap())
        .collect();
    assert_eq!(unidentified, ["analysis/tools.license"]);
}

#[test]
fn a_missing_root_is_an_error() {
    let err = scan(Path::new("/no/such/tree"), &Options::default()).unwrap_err();
    assert!(err.to_string().contains("/no/such/tree"), "{err}");
}

#[test]
fn broken_utf8_content_is_read_around_the_bad_bytes() {
    // A Latin-1 header, as older files have: "Universität" with the byte 0xE4.
    let mut latin1 = format!("# {LICENCE_TAG} GPL-3.0-or-later\n").into_bytes();
    latin1.extend_from_slice(b"# Copyright (c) 2019 Universit\xe4t Hamburg\nprint('\xff\xfe')\n");
    // Cut in the middle of a UTF-8 sequence: the first two bytes of "é".
    let mut cut =
        b"/* Copyright 2021 CERN */\n/* Licensed under the Apache License, Version 2.0 */\n"
            .to_vec();
    cut.extend_from_slice(b"const s = \"caf\xc3");
    let dir = tree(&[("src/old.py", &latin1), ("src/cut.js", &cut)]);
    let r = run(&dir);
    let old = file(&r, "src/old.py");
    assert_eq!(old.skipped, None);
    assert_eq!(old.licences.as_deref(), Some("GPL-3.0-or-later"));
    let holder = old.copyrights[0].holder.as_deref().unwrap();
    assert_eq!(
        holder, "Universit\u{fffd}t Hamburg",
        "the bad byte replaced, the rest kept"
    );
    let cut = file(&r, "src/cut.js");
    assert_eq!(cut.licences.as_deref(), Some("Apache-2.0"));
    assert_eq!(cut.licence_findings[0].found_by.line, Some(2));
    assert_eq!(cut.copyrights[0].holder.as_deref(), Some("CERN"));
}

#[test]
fn huge_minified_files_and_source_maps() {
    // A 4 MiB bundle on one line under the default size limit: its opening banner is read.
    let mut bundle = b"/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n/*! normalize.css v8.0.1 | MIT License | github.com/necolas/normalize.css */".to_vec();
    bundle.extend(std::iter::repeat_n(b"a=b+c;".as_slice(), 700_000).flatten());
    // Its source map, keys in webpack's order: the banner only inside a JSON string of
    // `sourcesContent`, far into one long line.
    let sources = serde_json::json!([
        "webpack:///./src/furo/assets/styles/furo.sass",
        "webpack:///./node_modules/normalize.css/normalize.css"
    ]);
    let contents = serde_json::json!([
        "body\n  margin: 0\n",
        "/*! normalize.css v8.0.1 | MIT License | github.com/necolas/normalize.css */\n\n/* Document\n   ===== */\n\nhtml {\n  line-height: 1.15;\n}\n"
    ]);
    let map = format!(
        r#"{{"version":3,"file":"styles/furo.css","mappings":"{}","sources":{sources},"sourcesContent":{contents},"names":[],"sourceRoot":""}}"#,
        "AAAA,2EAA2E,CAU3E;".repeat(500)
    );
    let dir = tree(&[
        ("static/bundle.min.css", &bundle),
        ("static/furo.css.map", map.as_bytes()),
        ("static/plain.js.map", br#"{"version":3,"sources":["a.js"],"sourcesContent":["var license = 'MIT';"],"mappings":"AAAA"}"#),
    ]);
    let r = run(&dir);
    let b = file(&r, "static/bundle.min.css");
    assert_eq!(b.skipped, None);
    assert_eq!(b.licences.as_deref(), Some("MIT"));
    let m = file(&r, "static/furo.css.map");
    assert_eq!(m.licences.as_deref(), Some("MIT"));
    let by = &m.licence_findings[0].found_by;
    assert_eq!(by.method, Method::LicenceNotice);
    assert_eq!(by.line, Some(1));
    let detail = by.detail.as_deref().unwrap();
    assert!(
        detail.contains("webpack:///./node_modules/normalize.css/normalize.css, line 1"),
        "{detail}"
    );
    // A variable named after a licence in a map's source is no notice.
    assert_eq!(file(&r, "static/plain.js.map").licences, None);
}

#[test]
fn reuse_toml_aggregate_adds_to_the_file_and_the_last_annotation_wins() {
    let key = |t: &str| t.trim_end_matches(':').to_owned();
    let toml = format!(
        "version = 1\n\n[[annotations]]\npath = \"vendor/**\"\nprecedence = \"aggregate\"\n{c} = \"2024 CERN\"\n{l} = \"Apache-2.0\"\n\n[[annotations]]\npath = [\"vendor/b/**\"]\nprecedence = \"override\"\n{c} = \"2010 Upstream Ltd\"\n{l} = \"BSD-3-Clause\"\n",
        c = key(COPYRIGHT_TAG),
        l = key(LICENCE_TAG),
    );
    let dir = tree(&[
        ("REUSE.toml", toml.as_bytes()),
        ("vendor/a/x.c", header("MIT", "Someone").as_bytes()),
        ("vendor/b/y.c", header("GPL-2.0-only", "Ignored").as_bytes()),
    ]);
    let r = run(&dir);
    let a = file(&r, "vendor/a/x.c");
    let mut ids: Vec<&str> = a
        .licence_findings
        .iter()
        .map(|l| l.expression.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, ["Apache-2.0", "MIT"], "aggregate: both");
    let holders: BTreeSet<&str> = a
        .copyrights
        .iter()
        .filter_map(|c| c.holder.as_deref())
        .collect();
    assert_eq!(holders, BTreeSet::from(["CERN", "Someone"]));
    let b = file(&r, "vendor/b/y.c");
    assert_eq!(
        b.licences.as_deref(),
        Some("BSD-3-Clause"),
        "the last matching annotation"
    );
    assert_eq!(b.copyrights.len(), 1);
    assert_eq!(b.copyrights[0].holder.as_deref(), Some("Upstream Ltd"));
}

#[test]
fn fonts_say_their_licence_and_copyright_in_their_naming_table() {
    let roboto = font::tests::font(&[
        (1, "Roboto"),
        (0, "Copyright 2011 Google Inc. All Rights Reserved."),
        (13, "Licensed under the Apache License, Version 2.0"),
        (14, "http://www.apache.org/licenses/LICENSE-2.0"),
    ]);
    // A font that gives only the URL of its licence.
    let url_only = font::tests::font(&[(14, "https://www.apache.org/licenses/LICENSE-2.0")]);
    let dir = tree(&[
        ("static/fonts/roboto-regular.ttf", &roboto),
        ("static/fonts/other.otf", &url_only),
        ("static/fonts/not-a-font.ttf", b"\0\0\0\0 just zeros"),
    ]);
    let r = run(&dir);
    let f = file(&r, "static/fonts/roboto-regular.ttf");
    assert_eq!(f.skipped, None);
    assert_eq!(f.licences.as_deref(), Some("Apache-2.0"));
    let by = &f.licence_findings[0].found_by;
    assert_eq!(
        by.detail.as_deref(),
        Some("the font's naming table: licence description (name ID 13)")
    );
    assert_eq!(f.copyrights[0].holder.as_deref(), Some("Google Inc."));
    assert_eq!(
        file(&r, "static/fonts/other.otf").licences.as_deref(),
        Some("Apache-2.0")
    );
    let junk = file(&r, "static/fonts/not-a-font.ttf");
    assert_eq!(junk.skipped.as_deref(), Some("binary file, not read"));
    assert_eq!(junk.licences, None);
}

#[test]
fn tags_in_binaries_markup_and_snippets_are_found_outside_the_reuse_verdict() {
    // A pickled Sphinx doctree: the page's tags as strings, each ended by a pickle opcode.
    let mut doctree =
        b"\x80\x05\x95\xbc\x1e\0\0\0\0\0\0\x8c\x0fsphinx.addnodes\x94\x8c\x5a".to_vec();
    doctree.extend(format!("{COPYRIGHT_TAG} 2017 Free Software Foundation Europe e.V.\n").bytes());
    doctree.extend(format!("{LICENCE_TAG} CC-BY-SA-4.0").bytes());
    doctree.extend(b"\x94\x8c\x07comment\x94\0\x85");
    // Code that writes tags keeps bare prefixes among its strings: no holder, no statement.
    doctree.extend(b"\x8c\x20");
    doctree.extend(format!("{SNIPPET_COPYRIGHT_TAG} (C)").bytes());
    doctree.extend(b"\x94\0");
    // Sphinx's highlighted view of a module: markup follows the tag's value.
    let page = format!(
        "<span class=\"c1\"># {COPYRIGHT_TAG} 2019 Jane Doe</span>\n\
         <span class=\"c1\"># {LICENCE_TAG} GPL-3.0-or-later</span>\n\
         <div class=\"copyright\">\n    Copyright &#169; 2017, Free Software Foundation Europe. CC-BY-SA-4.0\n</div>\n"
    );
    // Documentation with CC0-1.0 snippets in a CC-BY-SA-4.0 page.
    let rst = format!(
        ".. {COPYRIGHT_TAG} 2022 Nico Rikken\n.. {LICENCE_TAG} CC-BY-SA-4.0\n\nText.\n\n\
         .. SPDX-SnippetBegin\n.. {SNIPPET_LICENCE_TAG} CC0-1.0\n\n  $ git log | head -n 3\n\n\
         .. SPDX-SnippetEnd\n.. {SNIPPET_LICENCE_TAG} MIT ANDD GPL\n"
    );
    // A file whose only copyright is a snippet's: reuse lint counts it as the file's.
    let snippet_only = format!(
        "# {LICENCE_TAG} MIT\n# SPDX-SnippetBegin\n# {SNIPPET_COPYRIGHT_TAG} 2020 Jane Doe\nx = 1\n# SPDX-SnippetEnd\n"
    );
    let dir = tree(&[
        ("docs/_build/doctrees/index.doctree", &doctree),
        ("docs/_build/html/_modules/comment.html", page.as_bytes()),
        ("docs/scripts.rst", rst.as_bytes()),
        ("src/part.py", snippet_only.as_bytes()),
    ]);
    let r = run(&dir);

    let d = file(&r, "docs/_build/doctrees/index.doctree");
    assert_eq!(d.licences.as_deref(), Some("CC-BY-SA-4.0"));
    assert_eq!(d.licence_findings[0].found_by.method, Method::SpdxTag);
    assert_eq!(d.licence_findings[0].found_by.line, None);
    assert!(d.skipped.as_deref().unwrap().contains("only the SPDX tags"));
    assert_eq!(
        d.copyrights
            .iter()
            .map(|c| c.holder.as_deref())
            .collect::<Vec<_>>(),
        [Some("Free Software Foundation Europe e.V.")]
    );
    // reuse lint reads no binary: the doctree still lacks REUSE information.
    assert!(r.reuse.missing_licence.contains(&d.path));
    assert!(r.reuse.missing_copyright.contains(&d.path));

    let h = file(&r, "docs/_build/html/_modules/comment.html");
    assert_eq!(
        h.licences.as_deref(),
        Some("GPL-3.0-or-later AND CC-BY-SA-4.0"),
        "{:?}",
        h.licence_findings
    );
    let detail = h.licence_findings[0].found_by.detail.as_deref().unwrap();
    assert!(detail.contains("GPL-3.0-or-later</span>"), "{detail}");
    // As for reuse lint, the tag is invalid, and the page has no REUSE licence.
    assert!(r.reuse.missing_licence.contains(&h.path));
    assert!(
        r.reuse
            .bad_expressions
            .iter()
            .any(|b| b.contains("GPL-3.0-or-later</span>")),
        "{:?}",
        r.reuse.bad_expressions
    );

    let s = file(&r, "docs/scripts.rst");
    assert_eq!(s.licences.as_deref(), Some("CC-BY-SA-4.0 AND CC0-1.0"));
    assert_eq!(s.licence_findings[1].found_by.line, Some(7));
    let bad = r
        .diagnostics
        .iter()
        .find(|d| d.code == "licence/invalid-snippet-expression")
        .unwrap();
    assert_eq!(
        (bad.path.as_deref(), bad.line),
        (Some("docs/scripts.rst"), Some(12))
    );
    assert!(bad.message.contains("ANDD"), "{}", bad.message);

    let p = file(&r, "src/part.py");
    assert_eq!(p.copyrights[0].holder.as_deref(), Some("Jane Doe"));
    assert!(!r.reuse.missing_copyright.contains(&p.path));
}

#[test]
fn translations_under_the_same_licence_as_the_project_get_the_declared_one() {
    let po = "# German translations for indico.\n# Copyright (C) 2023 ORGANIZATION\n\
              # This file is distributed under the same license as the indico project.\n\
              msgid \"\"\nmsgstr \"\"\n";
    let click = "# This file is distributed under the same license as the PACKAGE package.\n";
    let dir = tree(&[
        ("setup.cfg", b"[metadata]\nname = indico\nlicense = MIT\n"),
        (
            "indico/translations/de/LC_MESSAGES/messages.po",
            po.as_bytes(),
        ),
        ("po/click.pot", click.as_bytes()),
    ]);
    let r = run(&dir);
    let de = file(&r, "indico/translations/de/LC_MESSAGES/messages.po");
    assert_eq!(de.licences.as_deref(), Some("MIT"));
    let by = &de.licence_findings[0].found_by;
    assert_eq!(by.line, Some(3));
    assert!(
        by.detail.as_deref().unwrap().contains("indico project")
            && by.detail.as_deref().unwrap().contains("setup.cfg"),
        "{by:?}"
    );
    assert!(!r.summary.without_licence.contains(&de.path));
    // The unfilled template names no package: no licence is guessed.
    assert_eq!(file(&r, "po/click.pot").licences, None);
    // Not REUSE information.
    assert!(r.reuse.missing_licence.contains(&de.path));
}
