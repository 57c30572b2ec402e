//! What a file says about itself: `SPDX-License-Identifier` and `SPDX-FileCopyrightText` tags
//! in any comment style, and free-form copyright statements (`Copyright (c) 2019-2024 CERN`,
//! `© 2021 The Authors`) with their years and holders, kept verbatim.

use memchr::memmem;
use std::sync::LazyLock;

/// The licence tag of the SPDX specification (Annex E), spelt in two halves so that this
/// source file does not read as tagged itself.
pub(crate) const LICENCE_TAG: &str = concat!("SPDX-", "License-Identifier:");
/// The copyright tag of the SPDX specification.
pub(crate) const COPYRIGHT_TAG: &str = concat!("SPDX-", "FileCopyrightText:");
/// A snippet's licence tag (SPDX specification, Annex H; REUSE specification 3.3, "Snippet
/// information").
pub(crate) const SNIPPET_LICENCE_TAG: &str = concat!("SPDX-", "Snippet-License-Identifier:");
/// A snippet's copyright tag.
pub(crate) const SNIPPET_COPYRIGHT_TAG: &str = concat!("SPDX-", "SnippetCopyrightText:");
/// Every tag read, in the order a line is tried for them.
const TAGS: [&str; 4] = [
    LICENCE_TAG,
    SNIPPET_LICENCE_TAG,
    SNIPPET_COPYRIGHT_TAG,
    COPYRIGHT_TAG,
];
/// REUSE's markers for a region not to read for tags (REUSE specification 3.3, "Excluding
/// sections").
const IGNORE_START: &str = concat!("REUSE-", "IgnoreStart");
const IGNORE_END: &str = concat!("REUSE-", "IgnoreEnd");

/// Lines longer than this are not read for copyright statements (minified code, data).
const MAX_STATEMENT_LINE: usize = 400;

/// A tag or statement with its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Located {
    /// 1-based line; 0 where lines mean nothing (a binary's strings).
    pub line: usize,
    /// The value as written (tag value, or the statement without comment markers).
    pub text: String,
}

/// A copyright statement read apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Statement {
    /// The years as written (`2019-2024`), if any.
    pub years: Option<String>,
    /// The holder verbatim, without years, `(c)` and "All rights reserved".
    pub holder: Option<String>,
}

/// Everything read from one file's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extracted {
    /// `SPDX-License-Identifier` values.
    pub licence_tags: Vec<Located>,
    /// `SPDX-FileCopyrightText` values.
    pub copyright_tags: Vec<Located>,
    /// Other copyright statements, and the copyright tags of snippets.
    pub statements: Vec<Located>,
    /// `SPDX-Snippet-License-Identifier` values: licences of parts of the file, which `reuse
    /// lint` (6.x) does not count as the file's.
    pub snippet_licence_tags: Vec<Located>,
    /// Whether a line holds a copyright notice as `reuse lint` sees one (`Copyright`, with
    /// a capital C, or `©`, followed by a space and a statement, anywhere in the line): REUSE
    /// coverage follows that rule, looser than the statements kept above.
    pub reuse_notice: bool,
}

/// Prebuilt searchers for what every line is looked at for: most texts hold none of it, and
/// the lines of those that do are searched again only where the searcher finds it.
struct Finders {
    tag: memmem::Finder<'static>,
    ignore: memmem::Finder<'static>,
    copyright: memmem::Finder<'static>,
    sign: memmem::Finder<'static>,
}

static FINDERS: LazyLock<Finders> = LazyLock::new(|| Finders {
    tag: memmem::Finder::new("SPDX-"),
    ignore: memmem::Finder::new("REUSE-Ignore"),
    copyright: memmem::Finder::new("Copyright"),
    sign: memmem::Finder::new("©"),
});

/// Reads the tags and statements of a text.
pub(crate) fn extract(text: &str) -> Extracted {
    let f = &*FINDERS;
    let has = |finder: &memmem::Finder<'_>, s: &str| finder.find(s.as_bytes()).is_some();
    // What the whole text holds: a line is only searched for what the text holds.
    let tags = has(&f.tag, text);
    let ignores = has(&f.ignore, text);
    let notices = has(&f.copyright, text) || has(&f.sign, text);
    let mut out = Extracted::default();
    let mut ignoring = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if ignores && has(&f.ignore, line) {
            if line.contains(IGNORE_START) {
                ignoring = true;
            }
            if line.contains(IGNORE_END) {
                ignoring = false;
                continue;
            }
        }
        if ignoring {
            continue;
        }
        // A tag's value is the rest of its line; the first tag of the line counts.
        if tags
            && has(&f.tag, line)
            && let Some((tag, at)) = TAGS.iter().find_map(|t| line.find(t).map(|at| (*t, at)))
        {
            let text = clean_value(&line[at + tag.len()..]);
            if !text.is_empty() {
                let found = Located { line: n, text };
                match tag {
                    LICENCE_TAG => out.licence_tags.push(found),
                    SNIPPET_LICENCE_TAG => out.snippet_licence_tags.push(found),
                    COPYRIGHT_TAG => out.copyright_tags.push(found),
                    _ => {
                        // reuse-tool (6.x) counts a snippet's copyright as the file's notice.
                        out.reuse_notice = true;
                        out.statements.push(found);
                    }
                }
            }
            continue;
        }
        if notices
            && !out.reuse_notice
            && (has(&f.copyright, line) || has(&f.sign, line))
            && reuse_notice(line)
        {
            out.reuse_notice = true;
        }
        if line.len() > MAX_STATEMENT_LINE {
            continue;
        }
        let body = strip_comment(line);
        if starts_like_statement(body) {
            let statement = clean_value(body);
            if is_statement(&statement) {
                out.statements.push(Located {
                    line: n,
                    text: statement,
                });
            }
        }
    }
    out
}

/// The longest tag value read from a binary's strings.
const MAX_BINARY_VALUE: usize = 300;

/// The tags among the strings of a binary file (a pickled document tree, a compiled object):
/// each tag's value runs to the first control byte or byte that is not UTF-8. Tags read this way are reported as
/// copyright statements and licence findings, never as REUSE information: `reuse lint` reads no
/// binary.
pub(crate) fn binary_tags(bytes: &[u8]) -> Extracted {
    let mut out = Extracted::default();
    for tag in TAGS {
        let into_licences = tag == LICENCE_TAG || tag == SNIPPET_LICENCE_TAG;
        for at in memmem::find_iter(bytes, tag.as_bytes()) {
            let rest = &bytes[at + tag.len()..];
            let rest = &rest[..rest.len().min(MAX_BINARY_VALUE)];
            let end = rest
                .iter()
                .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
                .unwrap_or(rest.len());
            // The string ends where UTF-8 does (a pickle's next opcode, say).
            let text = match std::str::from_utf8(&rest[..end]) {
                Ok(t) => t,
                Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
            };
            let value = clean_value(text);
            // A copyright tag's value names a holder; code that writes tags keeps the bare
            // prefixes ("(C)", "©") among its strings.
            if value.is_empty() || (!into_licences && parse_statement(&value).holder.is_none()) {
                continue;
            }
            let list = if into_licences {
                &mut out.licence_tags
            } else {
                &mut out.copyright_tags
            };
            if !list.iter().any(|l| l.text == value) {
                list.push(Located {
                    line: 0,
                    text: value,
                });
            }
        }
    }
    out
}

/// reuse-tool's copyright pattern (`reuse/copyright.py`, 6.x): `Copyright` followed by `©`,
/// `(c)` or white space, or `©` anywhere, then a non-empty statement.
fn reuse_notice(line: &str) -> bool {
    let filled = |rest: &str| !clean_value(rest).is_empty();
    line.match_indices("Copyright").any(|(i, m)| {
        let rest = &line[i + m.len()..];
        let t = rest.trim_start();
        let marked = ["©", "(c)", "(C)"].iter().find_map(|p| t.strip_prefix(p));
        match marked {
            Some(r) => filled(r),
            None => rest.starts_with(char::is_whitespace) && filled(rest),
        }
    }) || line
        .match_indices('©')
        .any(|(i, m)| filled(&line[i + m.len()..]))
}

/// A tag value without the comment closers and quotes that follow it on the line.
fn clean_value(raw: &str) -> String {
    let mut v = raw.trim();
    loop {
        let before = v;
        for end in [
            "*/", "-->", "--}}", "#}", "\"\"\"", "'''", "\\n", "\"", "'", "\\", ";", ",",
        ] {
            if let Some(s) = v.strip_suffix(end) {
                v = s.trim_end();
            }
        }
        // A closing parenthesis that closes nothing belongs to the code around the tag.
        if v.ends_with(')') && v.matches(')').count() > v.matches('(').count() {
            v = v[..v.len() - 1].trim_end();
        }
        if v == before {
            break;
        }
    }
    v.to_owned()
}

/// A line without the comment markers that open it, in the common comment styles.
fn strip_comment(line: &str) -> &str {
    let mut s = line.trim();
    loop {
        let before = s;
        for start in [
            "<!--", "//!", "///", "//", "/*", "(*", "{-", "\"\"\"", "'''", "*", "#", "--", ";",
            "%", "!", "..", "@c ", "rem ", "REM ", "dnl ", "\"",
        ] {
            if let Some(r) = s.strip_prefix(start) {
                s = r.trim_start();
            }
        }
        if s == before {
            return s;
        }
    }
}

/// Whether a comment body opens like a copyright statement.
fn starts_like_statement(body: &str) -> bool {
    body.get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case("copyright"))
        || body.starts_with('©')
        || body.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("(c)"))
}

/// Whether a line that opens like a statement really is one: it names years or carries the
/// copyright sign, and a holder that is not template text ("<year> <copyright holders>") or
/// prose ("copyright notice", "copyright holders").
fn is_statement(text: &str) -> bool {
    let s = parse_statement(text);
    let marked = text.contains('©') || text.to_ascii_lowercase().contains("(c)");
    let Some(holder) = s.holder else {
        return false;
    };
    (s.years.is_some() || marked) && plausible_holder(&holder)
}

/// Words that follow "copyright" in prose rather than in a statement.
const PROSE: &[&str] = &[
    "notice",
    "notices",
    "holder",
    "holders",
    "owner",
    "owners",
    "and",
    "the",
    "of",
    "law",
    "laws",
    "by",
    "statement",
    "statements",
    "license",
    "licence",
    "protection",
    "information",
    "year",
    "years",
    "is",
    "to",
    "or",
    "for",
    "in",
    "on",
    "under",
    "info",
    "text",
    "line",
    "lines",
    "header",
    "headers",
    "date",
    "dates",
    "field",
    "if",
    "this",
    "that",
    "as",
    "with",
    "interest",
    "claim",
    "assignment",
    "policy",
    "file",
    "files",
    "=",
    ":",
    "(",
    "{",
];

/// Whether a holder looks like a name rather than a template or prose.
fn plausible_holder(holder: &str) -> bool {
    let first = holder.split_whitespace().next().unwrap_or("");
    if first.is_empty() || holder.starts_with(['<', '[', '{', '$', '%', '@', '`', '=', '+']) {
        return false;
    }
    let lower = first.to_lowercase();
    let lower = lower.trim_end_matches([',', '.', ':', ';']);
    !PROSE.contains(&lower)
}

/// Splits a statement (or an `SPDX-FileCopyrightText` value) into years and holder.
pub(crate) fn parse_statement(text: &str) -> Statement {
    let mut s = text.trim();
    let mut years: Vec<&str> = Vec::new();
    loop {
        let before = s;
        s = s.trim_start_matches([' ', '\t', ':', ',']);
        for marker in ["copyright", "(c)", "©", "copr."] {
            if s.len() >= marker.len()
                && s.is_char_boundary(marker.len())
                && s[..marker.len()].eq_ignore_ascii_case(marker)
            {
                s = &s[marker.len()..];
            }
        }
        // Years: 4 digits, ranges and lists (`2019-2024`, `2019, 2021`, `2019–`).
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 4 && !s[4..].starts_with(|c: char| c.is_alphanumeric()) {
            let mut end = 4;
            let rest = &s[4..];
            let sep = rest
                .char_indices()
                .take_while(|(_, c)| matches!(c, '-' | '–' | '—' | '/'))
                .last()
                .map(|(i, c)| i + c.len_utf8());
            // A range written with spaces: `2002 - 2023`.
            let spaced = rest
                .trim_start()
                .strip_prefix(['-', '–', '—'])
                .map(str::trim_start)
                .filter(|a| {
                    a.bytes().take_while(u8::is_ascii_digit).count() == 4
                        && !a[4..].starts_with(|c: char| c.is_alphanumeric())
                });
            if let Some(after) = spaced {
                end += rest.len() - after.len() + 4;
            } else if let Some(sep) = sep {
                let after = &rest[sep..];
                let more = after.bytes().take_while(u8::is_ascii_digit).count();
                end += sep + if more == 4 || more == 2 { more } else { 0 };
            }
            years.push(&s[..end]);
            s = &s[end..];
        }
        if s == before {
            break;
        }
    }
    let mut holder = s.trim().trim_start_matches(['.', ',', ';', ':', '-', ' ']);
    let lower = holder.to_lowercase();
    if let Some(at) = lower.find("all rights reserved") {
        holder = holder[..at].trim_end();
    }
    holder = holder.trim_end_matches([',', ';', ' ']);
    if let Some(h) = holder.strip_suffix('.') {
        // Keep the full stop of an abbreviation ("CESNET z.s.p.o.", "Example Inc.").
        let last = h.rsplit(' ').next().unwrap_or("");
        let abbreviation = last.contains('.')
            || [
                "Inc", "Ltd", "Co", "Corp", "Jr", "Bros", "Ltda", "Pty", "Srl",
            ]
            .contains(&last);
        if !abbreviation {
            holder = h;
        }
    }
    Statement {
        years: (!years.is_empty()).then(|| years.join(", ")),
        holder: (!holder.is_empty()).then(|| holder.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(t: &str, v: &str) -> String {
        format!("{t} {v}")
    }

    #[test]
    fn tags_in_every_comment_style() {
        let text = [
            format!("// {}", tag(LICENCE_TAG, "MIT")),
            format!("# {}", tag(LICENCE_TAG, "Apache-2.0")),
            format!("/* {} */", tag(LICENCE_TAG, "GPL-3.0-or-later")),
            format!("<!-- {} -->", tag(LICENCE_TAG, "CC-BY-4.0")),
            format!("-- {}", tag(LICENCE_TAG, "(MIT OR Apache-2.0)")),
            format!("x = \"{}\")", tag(LICENCE_TAG, "BSD-3-Clause")),
            format!(" * {}", tag(COPYRIGHT_TAG, "2022 Universität Hamburg")),
        ]
        .join("\n");
        let e = extract(&text);
        let values: Vec<&str> = e.licence_tags.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            values,
            [
                "MIT",
                "Apache-2.0",
                "GPL-3.0-or-later",
                "CC-BY-4.0",
                "(MIT OR Apache-2.0)",
                "BSD-3-Clause"
            ]
        );
        assert_eq!(e.copyright_tags[0].text, "2022 Universität Hamburg");
        assert_eq!(e.copyright_tags[0].line, 7);
    }

    #[test]
    fn statements_with_years_and_holders_verbatim() {
        let text = "\
# Copyright (c) 2019-2024 CERN
// © 2021 Universität Hamburg
/* Copyright (C) 2020, 2022 CESNET z.s.p.o. All rights reserved. */
 * Copyright 2018 Example Inc.
# Copyright (C) 2002 - 2023 CERN
";
        let e = extract(text);
        let got: Vec<(Option<String>, Option<String>)> = e
            .statements
            .iter()
            .map(|s| {
                let p = parse_statement(&s.text);
                (p.years, p.holder)
            })
            .collect();
        let want = [
            (Some("2019-2024"), Some("CERN")),
            (Some("2021"), Some("Universität Hamburg")),
            (Some("2020, 2022"), Some("CESNET z.s.p.o.")),
            (Some("2018"), Some("Example Inc.")),
            (Some("2002 - 2023"), Some("CERN")),
        ]
        .map(|(y, h)| (y.map(str::to_owned), h.map(str::to_owned)));
        assert_eq!(got, want);
    }

    #[test]
    fn prose_and_templates_are_not_statements() {
        let text = "\
The above copyright notice and this permission notice shall be included
Copyright (c) <year> <copyright holders>
   Copyright [yyyy] [name of copyright owner]
copyright holders and contributors
Copyright law protects this.
";
        assert_eq!(extract(text).statements, []);
    }

    #[test]
    fn reuse_notices_follow_reuse_lint() {
        for (line, notice) in [
            ("Copyright 2017, Free Software Foundation Europe", true),
            ("x = 1  # Copyright (C) Someone", true),
            ("a line containing the sign ©, or the word", true),
            ("The above copyright notice shall be included", false),
            ("CopyrightNotice = 3", false),
        ] {
            let e = extract(line);
            assert_eq!(e.reuse_notice, notice, "{line}");
        }
        // A notice for REUSE is not necessarily a statement with a holder.
        assert_eq!(
            extract("a line containing the sign ©, or the word").statements,
            []
        );
    }

    #[test]
    fn ignored_regions_are_not_read() {
        let text = format!(
            "{}\n// {}\n{}\n# {}\n",
            IGNORE_START,
            tag(LICENCE_TAG, "GPL-2.0-only"),
            IGNORE_END,
            tag(LICENCE_TAG, "MIT")
        );
        let e = extract(&text);
        assert_eq!(e.licence_tags.len(), 1);
        assert_eq!(e.licence_tags[0].text, "MIT");
        assert_eq!(e.licence_tags[0].line, 4);
    }
}
