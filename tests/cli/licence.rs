//! `ospo licence ...`: verdicts, exit codes, batch mode, errors and help texts.

use ospo_e2e::{ospo, repo_root, run, stderr, stdout};
use std::io::Write;
use std::process::Stdio;

fn code(o: &std::process::Output) -> i32 {
    o.status.code().expect("exit code")
}

#[test]
fn exit_codes_tell_compatible_incompatible_and_failure_apart() {
    let yes = run(&["licence", "check", "MIT", "--outbound", "GPL-3.0-only"]);
    assert_eq!(code(&yes), 0, "{}", stdout(&yes));
    assert!(
        stdout(&yes).starts_with("yes: MIT → GPL-3.0-only (merged)"),
        "{}",
        stdout(&yes)
    );

    let no = run(&[
        "licence",
        "check",
        "GPL-2.0-only",
        "--outbound",
        "Apache-2.0",
    ]);
    assert_eq!(code(&no), 1);
    assert!(stdout(&no).starts_with("no: "), "{}", stdout(&no));

    let unknown = run(&[
        "licence",
        "check",
        "LicenseRef-lab-internal",
        "--outbound",
        "MIT",
    ]);
    assert_eq!(code(&unknown), 1);
    assert!(stdout(&unknown).starts_with("unknown: "));

    let bad = run(&["licence", "check", "MIT AND", "--outbound", "MIT"]);
    assert_eq!(code(&bad), 2, "bad input is a failure, not a finding");
    let usage = run(&["licence", "check", "MIT"]);
    assert_eq!(code(&usage), 2, "a missing --outbound is a usage error");
}

#[test]
fn cern_ohl_s_is_answered_where_flict_refuses_it() {
    let o = run(&[
        "licence",
        "check",
        "CERN-OHL-S-2.0",
        "--outbound",
        "CERN-OHL-S-2.0",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verdict"], "yes");
    let o = run(&[
        "licence",
        "check",
        "CERN-OHL-S-2.0",
        "--outbound",
        "MIT",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verdict"], "no", "{v}");
    assert!(!v["findings"][0]["basis"].as_array().unwrap().is_empty());
}

#[test]
fn malformed_expressions_show_the_position_and_the_closest_id() {
    let o = run(&[
        "licence",
        "check",
        "MIT AND GPL-3.0-onyl",
        "--outbound",
        "GPL-3.0-only",
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("unknown licence identifier 'GPL-3.0-onyl' at column 9"),
        "{err}"
    );
    assert!(err.contains("did you mean 'GPL-3.0-only'?"), "{err}");
    assert!(
        err.contains("\n  MIT AND GPL-3.0-onyl\n          ^^^^^^^^^^^^"),
        "{err}"
    );
}

#[test]
fn lenient_strings_are_read_with_a_warning_and_strict_mode_refuses_them() {
    let o = run(&["licence", "check", "Apache 2.0", "--outbound", "MIT"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("warning: 'Apache 2.0' read as 'Apache-2.0'"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "licence",
        "check",
        "Apache 2.0",
        "--outbound",
        "MIT",
        "--strict",
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn or_choices_are_explained_and_fixes_suggested() {
    let o = run(&[
        "licence",
        "check",
        "GPL-2.0-only OR MIT",
        "--outbound",
        "Apache-2.0",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verdict"], "yes");
    assert_eq!(v["choices"][0]["chosen"], "MIT");
    let o = run(&[
        "licence",
        "check",
        "GPL-3.0-only",
        "--outbound",
        "MIT",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fixes: Vec<&str> = v["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["take"].as_str().unwrap())
        .collect();
    assert!(
        fixes.contains(&"GPL-3.0-or-later") || fixes.contains(&"GPL-3.0-only"),
        "{fixes:?}"
    );
    assert_eq!(v["failing"][0], "GPL-3.0-only");
}

#[test]
fn batch_replays_all_osadl_pairs_in_order() {
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            repo_root().join("crates/ospo-licence/data/osadl/matrixseqexpl.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut input = String::new();
    let mut expected = Vec::new();
    for row in raw["licenses"].as_array().unwrap() {
        for cell in row["compatibilities"].as_array().unwrap() {
            input.push_str(
                &serde_json::json!({"inbound": cell["name"], "outbound": row["name"], "use": "merged"}).to_string(),
            );
            input.push('\n');
            let v = match cell["compatibility"].as_str().unwrap() {
                "Yes" | "Same" => "yes",
                "No" => "no",
                "Unknown" => "unknown",
                _ => "depends",
            };
            expected.push((
                v,
                cell["explanation"]
                    .as_str()
                    .unwrap()
                    .replace("&quot;", "\""),
            ));
        }
    }
    let mut child = ospo(&["licence", "check", "--batch", "-", "--strict"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(
        code(&out),
        1,
        "some pairs are incompatible, so the batch reports findings"
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 13_225);
    for (i, (line, (verdict, explanation))) in lines.iter().zip(&expected).enumerate() {
        assert_eq!(line["line"], i + 1);
        assert_eq!(line["verdict"], *verdict, "line {}", i + 1);
        assert!(
            line["explanation"]
                .as_str()
                .unwrap()
                .contains(explanation.as_str()),
            "line {}",
            i + 1
        );
    }
}

#[test]
fn batch_reports_bad_lines_in_place_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    std::fs::write(
        &path,
        "{\"inbound\": \"MIT\", \"outbound\": \"Apache-2.0\", \"use\": \"dynamic-link\"}\n\
         {\"inbound\": \"MIT AND (\", \"outbound\": \"MIT\"}\n\
         not json\n\
         {\"inbound\": [\"LGPL-2.1-only\", \"MIT\"], \"outbound\": \"MIT\", \"use\": \"dynamic-link\"}\n",
    )
    .unwrap();
    let o = run(&["licence", "check", "--batch", path.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "unreadable lines make the run fail");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["verdict"], "yes");
    assert_eq!(lines[1]["verdict"], "error");
    assert!(lines[1]["explanation"].as_str().unwrap().contains("line 2"));
    assert_eq!(lines[2]["verdict"], "error");
    assert_eq!(lines[3]["verdict"], "yes", "{}", lines[3]);
    assert!(stderr(&o).contains("2 input line(s) could not be checked"));
    // Lines that are not UTF-8, or too long, get an error line and the run goes on.
    let mut bytes = b"{\"inbound\": \"MIT\", \"outbound\": \"MIT\"}\n\xff\xfe\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    bytes.extend(b"\n{\"inbound\": \"Apache-2.0\", \"outbound\": \"MIT\"}\n");
    std::fs::write(&path, bytes).unwrap();
    let o = run(&["licence", "check", "--batch", path.to_str().unwrap()]);
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", stdout(&o));
    assert_eq!(lines[0]["verdict"], "yes");
    assert!(
        lines[1]["explanation"]
            .as_str()
            .unwrap()
            .contains("not UTF-8")
    );
    assert!(
        lines[2]["explanation"]
            .as_str()
            .unwrap()
            .contains("longer than")
    );
    assert_eq!(lines[3]["verdict"], "yes");
    assert_eq!(lines[3]["line"], 4);
}

#[test]
fn list_and_show_cover_the_whole_spdx_list_with_bases() {
    let o = run(&["licence", "list", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(all.len() > 600, "{} licences", all.len());
    for p in &all {
        if p["category"]["value"] != "unknown" {
            assert!(
                !p["category"]["basis"].as_array().unwrap().is_empty(),
                "{} has no basis",
                p["id"]
            );
        }
    }
    let o = run(&["licence", "list", "--hardware"]);
    let text = stdout(&o);
    for id in [
        "CERN-OHL-S-2.0",
        "CERN-OHL-W-2.0",
        "CERN-OHL-P-2.0",
        "TAPR-OHL-1.0",
        "SHL-2.1",
    ] {
        assert!(
            text.contains(id),
            "{id} missing from hardware list:\n{text}"
        );
    }
    let o = run(&["licence", "show", "EPL-2.0", "--format", "json"]);
    let p: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        p["category"]["value"]
            .as_str()
            .unwrap()
            .contains("copyleft"),
        "EPL-2.0 is copyleft: {p}"
    );
    let o = run(&["licence", "show", "Apache-2"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean 'Apache-2.0'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn recommend_puts_the_preferred_kind_first() {
    let o = run(&[
        "licence",
        "recommend",
        "LGPL-2.1-or-later",
        "MIT",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0);
    let recs: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = recs
        .iter()
        .map(|r| r["licence"].as_str().unwrap())
        .collect();
    assert!(
        !ids.contains(&"MIT"),
        "LGPL code cannot be merged into an MIT work: {ids:?}"
    );
    assert!(
        ids.contains(&"LGPL-2.1-or-later") || ids.contains(&"GPL-3.0-or-later"),
        "{ids:?}"
    );
    let o = run(&[
        "licence",
        "recommend",
        "CERN-OHL-W-2.0",
        "--kind",
        "hardware",
        "--format",
        "json",
    ]);
    let recs: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        recs[0]["licence"]
            .as_str()
            .unwrap()
            .starts_with("CERN-OHL-"),
        "{recs:?}"
    );
}

#[test]
fn help_texts() {
    for args in [
        &["--help"][..],
        &["licence", "--help"],
        &["licence", "check", "--help"],
        &["licence", "recommend", "--help"],
        &["catalogue", "--help"],
        &["catalogue", "search", "--help"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 0);
        insta::assert_snapshot!(format!("help {}", args.join(" ")), stdout(&o));
    }
}

#[test]
fn explanations_people_read() {
    for (inbound, outbound, use_) in [
        ("GPL-2.0-only", "Apache-2.0", "merged"),
        ("LGPL-3.0-or-later", "Apache-2.0", "static-link"),
        ("GPL-3.0-or-later", "MIT", "dynamic-link"),
        ("AGPL-3.0-only", "MIT", "network"),
        ("MPL-2.0 OR GPL-2.0-or-later", "Apache-2.0", "dynamic-link"),
        ("CC-BY-SA-4.0", "GPL-3.0-only", "merged"),
    ] {
        let o = run(&[
            "licence",
            "explain",
            inbound,
            "--outbound",
            outbound,
            "--use",
            use_,
        ]);
        insta::assert_snapshot!(
            format!("explain {inbound} to {outbound} for {use_}"),
            stdout(&o)
        );
    }
}
