//! Standard licence notices in files without SPDX tags, in their header and further down:
//! "Licensed under the Apache License, Version 2.0", the GNU notices ("This program is free
//! software ... either version 3 of the License, or (at your option) any later version"),
//! "under the terms of the MIT License", and the MIT and BSD permission texts.
//!
//! Only phrases count, never a lone word: a variable named `gpl`, a package called `gpl-tools`
//! or "Berkeley Software Distribution 3" in a comment names no licence (ScanCode reads the
//! first and the last as detections).

use memchr::memmem;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Lines of a file read for a header notice.
const HEADER_LINES: usize = 200;
/// Longer lines are not read (minified code, data).
const MAX_LINE: usize = 1000;
/// Bytes read of a longer line: a banner comment.
const BANNER: usize = 300;
/// Header text read at most, in bytes.
const MAX_HEADER: usize = 32 * 1024;
/// Banner comments inside long lines: longer ones are not read (a whole licence text is not a
/// banner), and at most this many per file.
const MAX_COMMENT: usize = 8 * 1024;
const MAX_COMMENTS: usize = 5000;
/// Past the header, a notice is looked for around these words: every notice read here holds
/// one ("License", "sublicense" in the MIT text, "Redistribution" in the BSD texts, "public
/// domain" in a dedication).
const TRIGGERS: &[&str] = &[
    "icen",
    "ICEN",
    "edistribution and use",
    "EDISTRIBUTION AND USE",
    "ublic domain",
    "UBLIC DOMAIN",
];
/// At most this many hits of each word are looked at past the header, in this many windows
/// of at most this many lines, from this many lines before a hit to this many after it.
const MAX_HITS: usize = 20_000;
const MAX_WINDOWS: usize = 500;
const MAX_WINDOW_LINES: usize = 150;
const BEFORE: usize = 3;
const AFTER: usize = 15;
/// In a long line, the bytes read before and after a hit: within [`MAX_LINE`], so that the
/// header reader reads all of it.
const SNIPPET_BEFORE: usize = 400;
const SNIPPET_AFTER: usize = 600;

/// A licence notice found in a file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Notice {
    /// The licence as an SPDX expression.
    pub expression: String,
    /// How sure: 0 to 1.
    pub confidence: f64,
    /// 1-based line where the notice starts.
    pub line: usize,
    /// Which kind of notice.
    pub detail: &'static str,
}

/// The header text with comment markers removed, lower-cased, whitespace collapsed, and the
/// line each character offset comes from.
struct Header {
    text: String,
    /// (offset in `text`, 1-based line) at the start of each line.
    lines: Vec<(usize, usize)>,
}

impl Header {
    fn new(source: &str) -> Header {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (i, line) in source.lines().take(HEADER_LINES).enumerate() {
            // The header is short; of a long line (minified code, data) only the opening is
            // read, where a banner comment sits (`/*! normalize.css v8.0.1 | MIT License */`).
            if text.len() > MAX_HEADER {
                break;
            }
            let line = if line.len() > MAX_LINE {
                &line[..line.floor_char_boundary(BANNER)]
            } else {
                line
            };
            let body = line
                .trim()
                .trim_start_matches(|c: char| c.is_whitespace() || "#/*!;%-'\"<>{}|@".contains(c));
            let body = body.strip_prefix("rem ").unwrap_or(body);
            let body = body.trim_end_matches(|c: char| c.is_whitespace() || "*/#-|>".contains(c));
            if body.is_empty() {
                continue;
            }
            lines.push((text.len(), i + 1));
            for word in body.split_whitespace() {
                text.extend(word.chars().flat_map(char::to_lowercase));
                text.push(' ');
            }
        }
        Header { text, lines }
    }

    /// The line an offset of `text` comes from.
    fn line_of(&self, at: usize) -> usize {
        match self.lines.binary_search_by(|(o, _)| o.cmp(&at)) {
            Ok(i) => self.lines[i].1,
            Err(0) => 1,
            Err(i) => self.lines[i - 1].1,
        }
    }
}

/// The licence notices of a file: its header, the notices further down (a bundle of
/// stylesheets or sources keeps each part's notice where the part starts), and the banner
/// comments a minifier kept inside its long lines. Each licence once, at its first notice.
pub(crate) fn find(source: &str) -> Vec<Notice> {
    let end = header_end(source);
    let mut out = header_notices(&source[..end]);
    if out.is_empty() {
        out = header_licence_text(&source[..end]);
    }
    let add = |out: &mut Vec<Notice>, n: Notice| {
        if !out.iter().any(|o| o.expression == n.expression) {
            out.push(n);
        }
    };
    for (first, window, snippet) in body_windows(source, end) {
        for mut n in header_notices(&window) {
            // A snippet's escaped line breaks are no lines of the file.
            n.line = if snippet { first } else { n.line + first - 1 };
            add(&mut out, n);
        }
    }
    for (line, comment) in inline_banners(source) {
        for mut n in header_notices(comment) {
            n.line = line;
            add(&mut out, n);
        }
    }
    for n in ids_after_copyright(source) {
        add(&mut out, n);
    }
    if let Some(n) = ckeditor(source) {
        add(&mut out, n);
    }
    out
}

/// CKEditor's headers name no licence: "For licensing, see LICENSE.md or
/// https://ckeditor.com/legal/ckeditor-oss-license". Behind that address, CKEditor 5 is under
/// GPL-2.0-or-later (or a commercial licence); CKEditor 4 was under GPL-2.0-or-later,
/// LGPL-2.1-or-later or MPL-1.1, at the user's choice. CKEditor 4's code calls its global
/// `CKEDITOR` object; without it, the code is taken as CKEditor 5's. (ScanCode reports the
/// CKEditor 4 choice and a commercial licence for both.)
fn ckeditor(source: &str) -> Option<Notice> {
    static URL: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("ckeditor.com/legal/ckeditor-oss-license"));
    let at = URL.find(source.as_bytes())?;
    let v4 = memmem::find(source.as_bytes(), b"CKEDITOR.").is_some();
    Some(Notice {
        expression: if v4 {
            "GPL-2.0-or-later OR LGPL-2.1-or-later OR MPL-1.1"
        } else {
            "GPL-2.0-or-later"
        }
        .to_owned(),
        confidence: 0.85,
        line: 1 + memchr::memchr_iter(b'\n', &source.as_bytes()[..at]).count(),
        detail: if v4 {
            "CKEditor 4's licensing address: GPL 2 or later, LGPL 2.1 or later or MPL 1.1"
        } else {
            "CKEditor 5's licensing address: GPL 2 or later, or a commercial licence"
        },
    })
}

/// Words that open the short permissive licences pasted whole into file headers (HPND and its
/// variants, ISC, X11, the Boost licence), which no phrase of `header_notices` names.
const PERMISSION_TEXTS: [&str; 4] = [
    "ermission to use, copy",
    "ermission is granted",
    "ermission is hereby granted",
    "Boost Software License",
];

/// Lines read before the first words of a permission text in a header, and the sizes of the
/// windows tried from there, smallest first (HPND fits in the first, the Boost licence in the
/// second).
const BEFORE_PERMISSION: usize = 5;
const PERMISSION_WINDOWS: [usize; 3] = [15, 35, 70];

/// The least score of a licence text matched in a header.
const HEADER_TEXT_SCORE: f64 = 0.9;

/// A permission text pasted into a header with no notice otherwise, identified against the SPDX
/// licence texts like a licence file: the comment markers and box-drawing bars stripped from
/// each line, then `ospo_licence::identify`.
fn header_licence_text(header: &str) -> Vec<Notice> {
    let Some(at) = PERMISSION_TEXTS.iter().filter_map(|w| header.find(w)).min() else {
        return Vec::new();
    };
    // The lines around the text only, in growing windows: a header is read whole, code and
    // all, and the code's words would drown a short licence's.
    let first = header[..at].matches('\n').count();
    let from = first.saturating_sub(BEFORE_PERMISSION);
    for size in PERMISSION_WINDOWS {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (i, line) in header.lines().enumerate().skip(from).take(size) {
            if line.len() > MAX_LINE {
                continue;
            }
            let body = line
                .trim()
                .trim_start_matches(|c: char| c.is_whitespace() || "#/*!;%-'\"<>{}|@+".contains(c))
                .trim_end_matches(|c: char| c.is_whitespace() || "*/#-|>+".contains(c));
            text.push_str(body);
            text.push('\n');
            lines.push(i + 1);
        }
        let id = ospo_licence::identify(&text);
        let found: Vec<Notice> = id
            .matches
            .iter()
            .filter(|m| m.score >= HEADER_TEXT_SCORE && !m.bundled && !m.exception)
            .map(|m| Notice {
                expression: m.id.clone(),
                confidence: (m.score * 1000.0).round() / 1000.0,
                line: lines.get(m.lines.0.saturating_sub(1)).copied().unwrap_or(1),
                detail: "licence text in the header, identified against the SPDX licence texts",
            })
            .collect();
        if !found.is_empty() || lines.len() < size {
            return found;
        }
    }
    Vec::new()
}

/// A licence id written after a copyright notice, as Sphinx writes its `copyright` setting
/// into every page's footer and a man page's COPYRIGHT section: "Copyright © 2017, Free
/// Software Foundation Europe. CC-BY-SA-4.0". Only a versioned SPDX id, spelt exactly, ending
/// the notice's line or the line after a COPYRIGHT heading.
fn ids_after_copyright(source: &str) -> Vec<Notice> {
    static MARKS: LazyLock<Vec<memmem::Finder<'static>>> = LazyLock::new(|| {
        ["Copyright", "COPYRIGHT", "©", "&#169;", "&copy;"]
            .iter()
            .map(memmem::Finder::new)
            .collect()
    });
    let bytes = source.as_bytes();
    let mut starts: Vec<usize> = MARKS
        .iter()
        .flat_map(|m| m.find_iter(bytes).take(1000))
        .map(|h| memchr::memrchr(b'\n', &bytes[..h]).map_or(0, |i| i + 1))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out: Vec<Notice> = Vec::new();
    for start in starts {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let next_end = memchr::memchr(b'\n', &bytes[(end + 1).min(bytes.len())..])
            .map_or(bytes.len(), |i| end + 1 + i);
        let line = &source[start..end];
        let heading = line
            .trim_start_matches(['.', ' '])
            .starts_with("SH COPYRIGHT");
        let candidate = if heading && end < bytes.len() {
            &source[end + 1..next_end]
        } else {
            line
        };
        if candidate.len() > MAX_LINE {
            continue;
        }
        let Some(last) = candidate
            .trim_end()
            .trim_end_matches(|c: char| "<>/*#-".contains(c) || c.is_whitespace())
            .rsplit([' ', '\t'])
            .next()
        else {
            continue;
        };
        let last = last.trim_end_matches(['.', ',', ';', ')']);
        if !(last.contains('-') && last.chars().any(|c| c.is_ascii_digit())) {
            continue;
        }
        let Some(id) = ospo_licence::LicenceId::find(last) else {
            continue;
        };
        if id.name() != last || id.is_deprecated() || out.iter().any(|n| n.expression == last) {
            continue;
        }
        let line_no =
            memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1 + usize::from(heading);
        out.push(Notice {
            expression: last.to_owned(),
            confidence: 0.8,
            line: line_no,
            detail: "licence id after a copyright notice",
        });
    }
    out
}

/// Where a file's header ends, in bytes: after [`HEADER_LINES`] lines, or once about
/// [`MAX_HEADER`] bytes of it are read (of a long line, only its opening counts).
fn header_end(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut at, mut read) = (0, 0);
    for _ in 0..HEADER_LINES {
        if at >= bytes.len() || read > MAX_HEADER {
            break;
        }
        let len = memchr::memchr(b'\n', &bytes[at..]).unwrap_or(bytes.len() - at);
        read += if len > MAX_LINE { BANNER } else { len };
        at = (at + len + 1).min(bytes.len());
    }
    at
}

/// The stretches of a file that may hold a notice beyond its header, each with its 1-based
/// first line (and whether it is a snippet of a long line): around each word every notice holds, past the header, the lines a few before
/// and more after (a GNU notice's version clause, the BSD conditions), neighbours merged; in a
/// long line (a bundle), the bytes around the word, anywhere in the file, with the escaped
/// line breaks of a source kept as a string (`// modify it under the terms of the MIT
/// License; see the\n// LICENSE file`) read as line breaks.
fn body_windows(source: &str, from: usize) -> Vec<(usize, Cow<'_, str>, bool)> {
    static WORDS: LazyLock<Vec<memmem::Finder<'static>>> =
        LazyLock::new(|| TRIGGERS.iter().map(memmem::Finder::new).collect());
    let bytes = source.as_bytes();
    let mut hits: Vec<usize> = Vec::new();
    for w in WORDS.iter() {
        hits.extend(w.find_iter(bytes).take(MAX_HITS));
    }
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_unstable();
    // (start, end) in bytes, 1-based first line, lines spanned; and snippets of long lines:
    // (start, end, line).
    let mut windows: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut snippets: Vec<(usize, usize, usize)> = Vec::new();
    let (mut pos, mut line) = (0, 1);
    for h in hits {
        if windows.len() + snippets.len() >= MAX_WINDOWS {
            break;
        }
        if windows
            .last()
            .is_some_and(|w| h < w.1 && w.3 >= MAX_WINDOW_LINES)
            || snippets.last().is_some_and(|s| h < s.1)
        {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..h]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[h..]).map_or(bytes.len(), |i| h + i);
        line += memchr::memchr_iter(b'\n', &bytes[pos..line_start]).count();
        pos = line_start;
        if line_end - line_start > MAX_LINE {
            let start =
                source.floor_char_boundary(h.saturating_sub(SNIPPET_BEFORE).max(line_start));
            let end = source.floor_char_boundary((h + SNIPPET_AFTER).min(line_end));
            snippets.push((start, end, line));
            continue;
        }
        if h < from {
            continue;
        }
        // Back up to `BEFORE` lines.
        let (mut start, mut back) = (line_start, 0);
        while back < BEFORE && start > 0 {
            start = memchr::memrchr(b'\n', &bytes[..start - 1]).map_or(0, |i| i + 1);
            back += 1;
        }
        let mut end = line_end;
        let mut ahead = 0;
        while ahead < AFTER && end < bytes.len() {
            end = memchr::memchr(b'\n', &bytes[end + 1..]).map_or(bytes.len(), |i| end + 1 + i);
            ahead += 1;
        }
        match windows.last_mut() {
            Some(w) if start <= w.1 && w.3 < MAX_WINDOW_LINES => {
                if end > w.1 {
                    w.3 = line + ahead - w.2 + 1;
                    w.1 = end;
                }
            }
            _ => windows.push((start, end, line - back, back + ahead + 1)),
        }
    }
    let lines = windows
        .into_iter()
        .map(|(s, e, first, _)| (first, Cow::Borrowed(&source[s..e]), false));
    let snippets = snippets.into_iter().map(|(s, e, line)| {
        let text = &source[s..e];
        let text = if text.contains("\\n") {
            Cow::Owned(text.replace("\\r\\n", "\n").replace("\\n", "\n"))
        } else {
            Cow::Borrowed(text)
        };
        (line, text, true)
    });
    lines.chain(snippets).collect()
}

/// Whether a text may hold a notice: every notice read here holds one of these words, so most
/// files are left at once.
fn may_hold_notice(text: &str) -> bool {
    [
        "icen",
        "ICEN",
        "ermission",
        "ERMISSION",
        "edistribution",
        "EDISTRIBUTION",
        "ublic domain",
        "UBLIC DOMAIN",
        "see copyright notice in",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// The comments a minifier keeps on purpose inside a long (minified) line: `/*! ... */` and
/// comments holding `@license` or `@preserve` (the conventions of terser, esbuild and
/// cssnano), with the 1-based line they sit on. A bundle holds one per bundled component that
/// has a banner, anywhere in the line; its header only shows the first.
fn inline_banners(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if line.len() <= MAX_LINE {
            continue;
        }
        let mut rest = line;
        // One prebuilt searcher each: a bundle's line may hold thousands of comment openings.
        static OPEN: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("/*"));
        static CLOSE: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("*/"));
        while let Some(at) = OPEN.find(rest.as_bytes()) {
            let body = &rest[at + 2..];
            let Some(end) = CLOSE.find(body.as_bytes()) else {
                break;
            };
            let comment = &body[..end];
            rest = &body[end + 2..];
            if comment.len() <= MAX_COMMENT
                && (comment.starts_with('!')
                    || comment.contains("@license")
                    || comment.contains("@preserve"))
            {
                out.push((i + 1, comment));
                if out.len() >= MAX_COMMENTS {
                    return out;
                }
            }
        }
    }
    out
}

/// The licence notices of a header.
fn header_notices(source: &str) -> Vec<Notice> {
    if !may_hold_notice(source) {
        return Vec::new();
    }
    let h = Header::new(source);
    let t = h.text.as_str();
    let mut out: Vec<Notice> = Vec::new();
    let mut mit_altered = false;
    let mut push = |n: Notice| {
        if !out.iter().any(|o| o.expression == n.expression) {
            out.push(n);
        }
    };
    // The GNU notices: "... under the terms of the GNU [Lesser|Library|Affero] General Public
    // License as published by the Free Software Foundation; either version N of the License, or
    // (at your option) any later version."
    for (at, _) in t.match_indices("general public license") {
        let before = &t[t.ceil_char_boundary(at.saturating_sub(40))..at];
        if !before.contains("gnu ") {
            continue;
        }
        let family = if before.ends_with("lesser ") || before.ends_with("library ") {
            "LGPL"
        } else if before.ends_with("affero ") {
            "AGPL"
        } else {
            "GPL"
        };
        let after = &t[at..t.floor_char_boundary((at + 400).min(t.len()))];
        let after = &after[..after.floor_char_boundary(after.len())];
        // Only a notice: "as published by the free software foundation" follows it.
        if !after.contains("published by the free software foundation") {
            continue;
        }
        let Some(v) = version_after(after) else {
            continue;
        };
        let later = after.contains("any later version");
        let version = match (family, v.as_str()) {
            ("GPL", "1") => "1.0",
            ("GPL", "2") => "2.0",
            ("GPL", "3") => "3.0",
            ("LGPL", "2") => "2.0",
            ("LGPL", "2.1") => "2.1",
            ("LGPL", "3") => "3.0",
            ("AGPL", "3") => "3.0",
            _ => continue,
        };
        push(Notice {
            expression: format!(
                "{family}-{version}-{}",
                if later { "or-later" } else { "only" }
            ),
            confidence: 0.95,
            line: h.line_of(at),
            detail: "GNU licence notice",
        });
    }
    // "Licensed under the X", "released under the X", "under the terms of the X", "distributed
    // under the X": X read as a licence name (Apache License, Version 2.0; MIT License; ...).
    for lead in [
        "licensed under the ",
        "released under the ",
        "distributed under the ",
        "under the terms of the ",
        "under the terms and conditions of the ",
        "licensed under ",
        "under either the ",
        "under both the ",
    ] {
        for (at, _) in t.match_indices(lead) {
            let rest = &t[at + lead.len()..];
            if rest.starts_with("gnu ") || rest.starts_with("terms of") {
                continue;
            }
            if let Some((mut expression, confidence)) = name_at(rest) {
                // "Dual licensed under the MIT and GPL licenses", "under either the WTFPL
                // license or the MIT license", "under both the MIT and GPL version 2.0
                // licenses": a choice, not both.
                if t[..at].ends_with("dual ")
                    || t[..at].ends_with("dual-")
                    || lead.starts_with("under either")
                    || lead.starts_with("under both")
                {
                    expression = expression.replace(" AND ", " OR ");
                }
                push(Notice {
                    expression,
                    confidence,
                    line: h.line_of(at),
                    detail: "licence named in a notice",
                });
            }
        }
    }
    // A banner naming the licence on a line of its own or between bars: ` * MIT License`,
    // `/*! normalize.css v8.0.1 | MIT License | github.com/... */`, `@license MIT`.
    for (i, &(start, _)) in h.lines.iter().enumerate() {
        let end = h.lines.get(i + 1).map_or(t.len(), |l| l.0);
        let line = t[start..end].trim();
        let named = [
            "mit license",
            "mit licence",
            "@license mit",
            "license: mit",
            "licence: mit",
        ]
        .contains(&line)
            || line.contains("| mit license |")
            || line.ends_with("| mit license");
        if named {
            push(Notice {
                expression: "MIT".to_owned(),
                confidence: 0.9,
                line: h.line_of(start),
                detail: "licence named in a banner",
            });
            continue;
        }
        // A line that is a licence name and nothing else, a URL in brackets aside:
        // ` * Creative Commons Attribution License 3.0 (http://creativecommons.org/...)`.
        let name = line.split(" (").next().unwrap_or(line);
        let name = name.trim_end_matches(['.', ',', ';']);
        // Only a versioned name in plain words: no data (`mit,mit license`), no code, no URL,
        // no bare family ("GPL license").
        let plain = name
            .chars()
            .all(|c| c.is_alphanumeric() || " .-,".contains(c))
            && name.matches(',').count() == name.matches(", version").count();
        if plain
            && name.contains("licen")
            && name.chars().any(|c| c.is_ascii_digit())
            && name.split(' ').count() <= 8
            && let Ok((e, _)) = ospo_licence::read(name)
        {
            let s = e.to_string();
            let single = !s.contains(' ');
            if single && (!s.starts_with("LicenseRef-") || s.starts_with("LicenseRef-scancode-")) {
                push(Notice {
                    expression: s,
                    confidence: 0.85,
                    line: h.line_of(start),
                    detail: "licence named on a line of its own",
                });
            }
        }
    }
    // Public-domain dedications: "The author has placed this code in the public domain",
    // "released into the public domain"; the Unlicense opens with one.
    for (at, _) in t.match_indices("the public domain") {
        let before = &t[t.ceil_char_boundary(at.saturating_sub(60))..at];
        let dedicated = ["placed ", "released ", "dedicated ", "dedicate ", "put "]
            .iter()
            .any(|verb| {
                before.rfind(verb).is_some_and(|v| {
                    let between = &before[v + verb.len()..];
                    between.ends_with("in ")
                        || between.ends_with("into ")
                        || between.ends_with("to ")
                })
            });
        if !dedicated {
            continue;
        }
        let unlicense = before.ends_with("free and unencumbered software released into ");
        push(Notice {
            expression: if unlicense {
                "Unlicense"
            } else {
                "LicenseRef-scancode-public-domain"
            }
            .to_owned(),
            confidence: if unlicense { 0.9 } else { 0.8 },
            line: h.line_of(at),
            detail: if unlicense {
                "the Unlicense's opening sentence"
            } else {
                "public-domain dedication"
            },
        });
    }
    // Font Awesome's banner names the licence of each part: "License - https://fontawesome.com
    // /license/free (Icons: CC BY 4.0, Fonts: SIL OFL 1.1, Code: MIT License)".
    for (at, _) in t
        .match_indices("fontawesome.com/license")
        .chain(t.match_indices("fontawesome.io/license"))
    {
        let rest = &t[at..t.floor_char_boundary((at + 200).min(t.len()))];
        let rest = &rest[..rest.floor_char_boundary(rest.len())];
        let Some(list) = rest.split_once('(').and_then(|(_, r)| r.split_once(')')) else {
            continue;
        };
        let parts: Vec<&str> = [
            ("cc by 4.0", "CC-BY-4.0"),
            ("sil ofl 1.1", "OFL-1.1"),
            ("mit license", "MIT"),
        ]
        .iter()
        .filter(|(name, _)| list.0.contains(name))
        .map(|(_, id)| *id)
        .collect();
        if !parts.is_empty() {
            push(Notice {
                expression: parts.join(" AND "),
                confidence: 0.9,
                line: h.line_of(at),
                detail: "Font Awesome licence banner",
            });
        }
    }
    // References that name no licence but point to one only: the Geant4 collaboration's
    // licence page, which its headers cite (the 2002-2006 "DISCLAIMER" block has nothing else);
    // zlib's "see copyright notice in zlib.h", in every zlib source; the BSD licence of KDE's
    // CMake modules, whose COPYING-CMAKE-SCRIPTS is BSD-3-Clause. ScanCode reads all three so.
    for (phrase, id, what) in [
        (
            "cern.ch/geant4/license",
            "LicenseRef-scancode-geant4-sl-1.0",
            "Geant4 licence URL",
        ),
        (
            "for conditions of distribution and use, see copyright notice in zlib.h",
            "Zlib",
            "reference to zlib.h's notice",
        ),
        (
            "permission is granted to anyone to use this software for any purpose, including commercial applications, and to alter it and redistribute it freely",
            "Zlib",
            "zlib permission notice",
        ),
        (
            "redistribution and use is allowed according to the terms of the bsd license",
            "BSD-3-Clause",
            "KDE CMake modules' BSD reference",
        ),
    ] {
        if let Some(at) = t.find(phrase) {
            push(Notice {
                expression: id.to_owned(),
                confidence: 0.85,
                line: h.line_of(at),
                detail: what,
            });
        }
    }
    // Permission texts pasted into a header.
    if let Some(at) =
        t.find("permission is hereby granted, free of charge, to any person obtaining a copy")
        && t[at..]
            .contains("the above copyright notice and this permission notice shall be included")
    {
        // The grant's list of rights ends "sublicense, and/or sell copies of the Software": a
        // copy without "sell" (PTL's headers, in Geant4) grants less than MIT, whatever the
        // title above it says.
        let grant = &t[at..t.floor_char_boundary((at + 400).min(t.len()))];
        mit_altered = !grant.contains("sell copies");
        push(Notice {
            expression: "MIT".to_owned(),
            confidence: 0.9,
            line: h.line_of(at),
            detail: "MIT permission notice",
        });
    }
    if let Some(at) = t.find("redistribution and use in source and binary forms, with or without modification, are permitted provided that")
    {
        let rest = &t[at..t.floor_char_boundary((at + 2500).min(t.len()))];
        let rest = &rest[..rest.floor_char_boundary(rest.len())];
        let id = if rest.contains("all advertising materials mentioning features") {
            "BSD-4-Clause"
        } else if rest.contains("neither the name of") || rest.contains("may not be used to endorse or promote") {
            "BSD-3-Clause"
        } else {
            "BSD-2-Clause"
        };
        push(Notice {
            expression: id.to_owned(),
            confidence: 0.85,
            line: h.line_of(at),
            detail: "BSD redistribution notice",
        });
    }
    if mit_altered && let Some(n) = out.iter_mut().find(|n| n.expression == "MIT") {
        n.confidence = 0.7;
        n.detail = MIT_ALTERED;
    }
    out
}

/// How an MIT grant that leaves out "sell" is reported.
pub(crate) const MIT_ALTERED: &str =
    "MIT permission notice, altered: it does not grant the right to sell copies";

/// The version number after "version" in a GNU notice (`3`, `2.1`).
fn version_after(t: &str) -> Option<String> {
    let at = t.find("version ")?;
    let v: String = t[at + 8..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let v = v.trim_end_matches('.').to_owned();
    (!v.is_empty()).then_some(v)
}

/// A licence name opening `t` (lower case), as the longest prefix up to a clause end that the
/// licence reader knows, with its confidence.
fn name_at(t: &str) -> Option<(String, f64)> {
    // The name ends at punctuation that closes a clause, or after a few words.
    let window = &t[..t.floor_char_boundary(t.len().min(80))];
    let end = window
        .find(['(', ';', ':', '"'])
        .or_else(|| window.find(". "))
        .unwrap_or(window.len());
    let phrase = &window[..end];
    // The same phrases come back in every file of a tree (and thousands of times in a bundle),
    // and a name that is no exact match costs a fuzzy search of the SPDX names: read each once
    // per thread.
    thread_local! {
        static READ: RefCell<HashMap<String, Option<(String, f64)>>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = READ.with(|r| r.borrow().get(phrase).cloned()) {
        return known;
    }
    let found = read_name(phrase);
    READ.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= 100_000 {
            r.clear();
        }
        r.insert(phrase.to_owned(), found.clone());
    });
    found
}

fn read_name(phrase: &str) -> Option<(String, f64)> {
    let words: Vec<&str> = phrase.split_whitespace().take(8).collect();
    for n in (1..=words.len()).rev() {
        let candidate = words[..n].join(" ");
        let candidate = candidate.trim_end_matches([',', '.']);
        // Only names that say "license"/"licence" or are a well-known short name: "under the
        // terms of the agreement" is no licence.
        let looks = candidate.contains("licen")
            || ["mit", "bsd", "isc", "apache", "mpl", "eupl", "cecill"]
                .iter()
                .any(|p| candidate.starts_with(p));
        if !looks {
            continue;
        }
        if let Ok((e, warnings)) = ospo_licence::read(candidate) {
            let s = e.to_string();
            // A bare family name ("the GPL") without version is too vague to report; a
            // licence ScanCode's LicenseDB names (the Geant4 Software License) is not.
            if s.starts_with("LicenseRef-") && !s.starts_with("LicenseRef-scancode-") {
                continue;
            }
            return Some((s, if warnings.is_empty() { 0.95 } else { 0.9 }));
        }
    }
    None
}

/// A reference to the licence of the package a file belongs to, which the file does not name:
/// gettext's "This file is distributed under the same license as the indico project."
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SameAs {
    /// 1-based line of the phrase.
    pub line: usize,
    /// The package or project named, as written ("indico project").
    pub name: String,
}

/// Finds "under the same license as the NAME project" (or "package"), the name possibly
/// continued on the next comment line. gettext's unfilled template ("the PACKAGE package")
/// names nothing and is left out.
pub(crate) fn same_licence_as(source: &str) -> Option<SameAs> {
    static FINDERS: LazyLock<[memmem::Finder<'static>; 2]> = LazyLock::new(|| {
        [
            memmem::Finder::new("same license as the "),
            memmem::Finder::new("same licence as the "),
        ]
    });
    let bytes = source.as_bytes();
    let (at, len) = FINDERS
        .iter()
        .find_map(|f| f.find(bytes).map(|at| (at, f.needle().len())))?;
    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    let rest = &source[at + len..];
    let mut lines = rest.lines();
    let mut text = lines.next().unwrap_or_default().trim().to_owned();
    if let Some(next) = lines.next() {
        let next = next
            .trim_start()
            .trim_start_matches(['#', '*', '/', ';', '-', '!', '%'])
            .trim();
        text.push(' ');
        text.push_str(next);
    }
    let words: Vec<&str> = text.split_whitespace().take(8).collect();
    let end = words.iter().position(|w| {
        let w = w.trim_end_matches(['.', ',', ';']);
        w.eq_ignore_ascii_case("project") || w.eq_ignore_ascii_case("package")
    })?;
    let name = words[..end].join(" ");
    let placeholder = ["PACKAGE", "PROJECT", "PACKAGE'S", "THE"];
    if name.is_empty() || placeholder.contains(&name.as_str()) {
        return None;
    }
    let noun = words[end].trim_end_matches(['.', ',', ';']);
    Some(SameAs {
        line,
        name: format!("{name} {noun}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        find(text).into_iter().map(|n| n.expression).collect()
    }

    #[test]
    fn apache_and_mit_named_in_notices() {
        let apache = "# Copyright 2024 CERN\n#\n# Licensed under the Apache License, Version 2.0 (the \"License\");\n# you may not use this file except in compliance with the License.\n";
        let n = find(apache);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].expression, "Apache-2.0");
        assert_eq!(n[0].line, 3);
        let invenio = "# This file is part of Invenio.\n# Copyright (C) 2019 CERN.\n#\n# Invenio is free software; you can redistribute it and/or modify it\n# under the terms of the MIT License; see LICENSE file for more details.\n";
        assert_eq!(ids(invenio), ["MIT"]);
        // Code taken from elsewhere names its licence as prose.
        let django = "# This file is part of Indico.\n# Indico is free software; you can redistribute it and/or\n# modify it under the terms of the MIT License; see the\n# LICENSE file for more details.\n\n# The code in here is taken almost verbatim from `django.core.mail`,\n# which is licensed under the three-clause BSD license and is originally\n";
        let mut found = ids(django);
        found.sort();
        assert_eq!(found, ["BSD-3-Clause", "MIT"]);
    }

    #[test]
    fn licences_beyond_the_spdx_list() {
        // Geant4's header, in every source file of the toolkit.
        let geant4 = "//\n// ********************************************************************\n// * License and Disclaimer                                           *\n// *                                                                  *\n// * The  Geant4 software  is  copyright of the Copyright Holders  of *\n// * the Geant4 Collaboration.  It is provided  under  the terms  and *\n// * conditions of the Geant4 Software License,  included in the file *\n// * LICENSE and available at  http://cern.ch/geant4/license .  These *\n// * include a list of copyright holders.                             *\n// ********************************************************************\n//\n#include \"G4Track.hh\"\n";
        let n = find(geant4);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].expression, "LicenseRef-scancode-geant4-sl-1.0");
        assert_eq!(n[0].line, 6);
    }

    #[test]
    fn dual_licensing_is_a_choice() {
        let typewatch = "/*\n*\tTypeWatch 3\n*\n*\tExamples/Docs: github.com/dennyferra/TypeWatch\n*  \n*  Dual licensed under the MIT and GPL licenses:\n*  http://www.opensource.org/licenses/mit-license.php\n*  http://www.gnu.org/licenses/gpl.html\n*/\n";
        let n = find(typewatch);
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].expression.starts_with("MIT OR GPL-"), "{n:?}");
        assert_eq!(n[0].line, 6);
        let chartist = "/* Chartist.js 0.11.4\n * Copyright © 2019 Gion Kunz\n * Free to use under either the WTFPL license or the MIT license.\n */\n";
        assert_eq!(ids(chartist), ["WTFPL OR MIT"]);
        let jqplot = "/**\n * jqPlot is currently available for use in all personal or commercial projects\n * under both the MIT and GPL version 2.0 licenses. This means that you can\n * choose the license that best suits your project and use it accordingly.\n */\n";
        assert_eq!(ids(jqplot), ["MIT OR GPL-2.0-only"]);
        // Without "dual", two licences named together both apply.
        assert!(ids("# licensed under the MIT and GPL licenses\n")[0].starts_with("MIT AND GPL-"));
    }

    #[test]
    fn gnu_notices_with_version_and_later_clause() {
        let gpl3 = "/*\n * This program is free software: you can redistribute it and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free Software Foundation, either version 3 of the License, or\n * (at your option) any later version.\n */\n";
        let n = find(gpl3);
        assert_eq!(n[0].expression, "GPL-3.0-or-later");
        assert_eq!(n[0].line, 3);
        let lgpl = "// under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; version 2.1 of the License.\n";
        assert_eq!(ids(lgpl), ["LGPL-2.1-only"]);
        let agpl = "# under the terms of the GNU Affero General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n";
        assert_eq!(ids(agpl), ["AGPL-3.0-or-later"]);
    }

    #[test]
    fn permission_texts_in_headers() {
        let mit = "/* Permission is hereby granted, free of charge, to any person obtaining a copy\n * of this software ...\n * The above copyright notice and this permission notice shall be included in\n * all copies or substantial portions of the Software. */\n";
        assert_eq!(ids(mit), ["MIT"]);
        let bsd = "# Redistribution and use in source and binary forms, with or without\n# modification, are permitted provided that the following conditions are met:\n# 1. ...\n# 3. Neither the name of the copyright holder nor the names of its\n#    contributors may be used to endorse or promote products\n";
        assert_eq!(ids(bsd), ["BSD-3-Clause"]);
    }

    #[test]
    fn banners_naming_mit() {
        let css = format!(
            "/*! normalize.css v8.0.1 | MIT License | github.com/necolas/normalize.css */html{{{}}}\n",
            "x".repeat(5000)
        );
        assert_eq!(ids(&css), ["MIT"]);
        assert_eq!(
            ids("/*!\n * gumshoejs v5.1.2\n * (c) 2019 Chris Ferdinandi\n * MIT License\n */\n"),
            ["MIT"]
        );
        assert!(ids("# The MIT License is short\n").is_empty());
    }

    #[test]
    fn banners_kept_inside_a_minified_bundle() {
        // A production bundle: one long line, each component's preserved banner inside it.
        let code = "function(e,t){return e+t}".repeat(100);
        let bundle = format!(
            "/*! For license information please see common.bundle.js.LICENSE.txt */\n(self.webpackChunk=self.webpackChunk||[]).push([[1],{{1:function(e){{{code}}},2:function(e){{/*! @license DOMPurify 2.4.0 | (c) Cure53 | Licensed under the Apache License, Version 2.0 */{code}}},3:function(e){{{code}/*! normalize.css v8.0.1 | MIT License | github.com/necolas/normalize.css */{code}}}}}]);\n"
        );
        let n = find(&bundle);
        let found: Vec<(&str, usize)> = n.iter().map(|n| (n.expression.as_str(), n.line)).collect();
        assert_eq!(found, [("Apache-2.0", 2), ("MIT", 2)], "{n:?}");
        // A comment in code that names a licence without a banner marker is not read.
        let plain = format!("var a=1;/* the MIT License is fine */{code}\n");
        assert!(find(&plain).is_empty());
        // Nor is `/*` inside a string that never closes.
        assert!(find(&format!("var s=\"/*! MIT License\";{code}\n")).is_empty());
    }

    #[test]
    fn notices_past_the_header() {
        // A stylesheet bundle: each part keeps its notice where it starts, far below line 200.
        let rule = ".a { color: red; }\n".repeat(3000);
        let css = format!(
            "{rule}/* This file is part of Indico. Copyright (C) 2002 - 2023 CERN Indico is free software; you can redistribute it and/or modify it under the terms of the MIT License; see the LICENSE file for more details. */\n{rule}/*!\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n */\n{rule}"
        );
        let n = find(&css);
        let found: Vec<(&str, usize)> = n.iter().map(|n| (n.expression.as_str(), n.line)).collect();
        assert_eq!(found, [("MIT", 3001), ("Apache-2.0", 6003)], "{n:?}");
        // A GNU notice split over lines keeps its version clause.
        let gpl = format!(
            "{}/*\n * under the terms of the GNU General Public License as published by\n * the Free Software Foundation; either version 2 of the License, or\n * (at your option) any later version.\n */\n",
            "int x;\n".repeat(500)
        );
        assert_eq!(ids(&gpl), ["GPL-2.0-or-later"]);
        // Code that only uses the word is no notice.
        let code = "def licence_of(x):\n    return x.license\n".repeat(2000);
        assert!(find(&code).is_empty());
    }

    #[test]
    fn a_notice_after_a_long_first_line() {
        // MathJax's bundles: 300 kB of code on line 1, then the banner of a bundled part.
        let bundle = format!(
            "{}\n/*!\n *  Copyright (c) 2015-2021 Martin Hensel\n *\n *  Licensed under the Apache License, Version 2.0 (the \"License\");\n */\n",
            "var a=1;".repeat(40_000)
        );
        let n = find(&bundle);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!((n[0].expression.as_str(), n[0].line), ("Apache-2.0", 5));
    }

    #[test]
    fn notices_of_sources_kept_as_strings_in_a_bundle() {
        // webpack's eval bundles keep each module's source as a string, line breaks escaped.
        let code = "function(e,t){return e+t}".repeat(400);
        let bundle = format!(
            "(self.webpackChunk=[]).push([[179],{{1:function(n){{eval(\"// This file is part of Indico.\\n// Copyright (C) 2002 - 2023 CERN\\n//\\n// Indico is free software; you can redistribute it and/or\\n// modify it under the terms of the GNU General Public License as published by\\n// the Free Software Foundation; either version 3 of the License, or\\n// (at your option) any later version.\\n\\n_.mixin({{}});\"){code}}}}}]);\n"
        );
        let n = find(&bundle);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(
            (n[0].expression.as_str(), n[0].line),
            ("GPL-3.0-or-later", 1)
        );
        // Minified code that uses the word names no licence.
        let code = format!("{}\n", "var license=t.license||e.licenses[0];".repeat(500));
        assert!(find(&code).is_empty());
    }

    #[test]
    fn multibyte_text_around_every_phrase_reads_without_panic() {
        // Phrases cut windows at byte offsets: every cut must fall on a character boundary.
        for filler in ["é", "ü€", "日本語", "😀"] {
            for pad in 0..4 {
                let f = filler.repeat(300);
                let p = "x".repeat(pad);
                for phrase in [
                    "licensed under the ",
                    "GNU General Public License as published by the Free Software Foundation",
                    "Redistribution and use in source and binary forms, with or without modification, are permitted provided that",
                    "fontawesome.com/license (",
                    "placed in the public domain",
                    "Permission is hereby granted, free of charge, to any person obtaining a copy",
                ] {
                    let text = format!("# {p}{f} {phrase}{f}\n# {f}{phrase} {p}{f}\n");
                    let _ = find(&text);
                    let _ = find(&format!("{}\n{text}", "y".repeat(300)));
                }
            }
        }
    }

    #[test]
    fn a_licence_name_on_a_line_of_its_own() {
        let ken = "/**\n * <p>Ken's original Date Instance Methods and copyright notice:</p>\n * Ken Snyder (ken d snyder at gmail dot com)\n * Creative Commons Attribution License 3.0 (http://creativecommons.org/licenses/by/3.0/)\n */\n";
        let n = find(ken);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!((n[0].expression.as_str(), n[0].line), ("CC-BY-3.0", 4));
        assert_eq!(ids("# Apache License, Version 2.0\n"), ["Apache-2.0"]);
        // Prose, code and a bare family name are no licence names.
        assert!(ids("# The license is checked below\n").is_empty());
        assert!(ids("license = get_license(name)\n").is_empty());
        assert!(ids("# GPL license\n").is_empty());
    }

    #[test]
    fn a_licence_id_after_a_copyright_notice() {
        let footer = "<div class=\"footer\">\n                Copyright &#169; 2017, Free Software Foundation Europe. CC-BY-SA-4.0\n</div>\n";
        let n = find(footer);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!((n[0].expression.as_str(), n[0].line), ("CC-BY-SA-4.0", 2));
        let man = ".SH AUTHOR\nFree Software Foundation Europe\n.SH COPYRIGHT\n2017, Free Software Foundation Europe. CC-BY-SA-4.0\n.\\\" Generated by docutils manpage writer.\n";
        let n = find(man);
        assert_eq!((n[0].expression.as_str(), n[0].line), ("CC-BY-SA-4.0", 4));
        // An institution called MIT, a lower-case or unversioned id, an id inside prose: none.
        assert!(find("# Copyright 2020 MIT\n").is_empty());
        assert!(find("# Copyright 2020 CERN. cc-by-4.0\n").is_empty());
        assert!(find("# Copyright 2020 CERN, see GPL-3.0-or-later for the terms.\n").is_empty());
    }

    #[test]
    fn public_domain_dedications() {
        let sprintf = "/*\n *     author Ash Searle\n *     The author (Ash Searle) has placed this code in the public domain:\n *     \"This code is unrestricted: you are free to use it however you like.\"\n */\n";
        let n = find(sprintf);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].expression, "LicenseRef-scancode-public-domain");
        assert_eq!(n[0].line, 3);
        let unlicense =
            "# This is free and unencumbered software released into the public domain.\n";
        assert_eq!(ids(unlicense), ["Unlicense"]);
        // Prose about the public domain dedicates nothing.
        assert!(
            ids("# Licence: works in the public domain are not covered by this licence\n")
                .is_empty()
        );
    }

    #[test]
    fn font_awesome_banner_names_three_licences() {
        let svg = "<?xml version=\"1.0\" standalone=\"no\"?>\n<!--\nFont Awesome Free 5.15.4 by @fontawesome - https://fontawesome.com\nLicense - https://fontawesome.com/license (Icons: CC BY 4.0 License, Fonts: SIL OFL 1.1 License, CSS: MIT License)\n-->\n";
        assert_eq!(ids(svg), ["CC-BY-4.0 AND OFL-1.1 AND MIT"]);
        let v4 = "/*!\n *  Font Awesome 4.7.0 by @davegandy - http://fontawesome.io - @fontawesome\n *  License - http://fontawesome.io/license (Font: SIL OFL 1.1, CSS: MIT License)\n */\n";
        assert_eq!(ids(v4), ["OFL-1.1 AND MIT"]);
    }

    #[test]
    fn scancode_false_positives_are_not_detections() {
        assert!(ids("gpl = load_licence('gpl')\nif gpl:\n    pass\n").is_empty());
        assert!(ids("# Berkeley Software Distribution 3 was released in 1979\n").is_empty());
        assert!(ids("dependencies = [\"gpl-tools\", \"mit-scheme\"]\n").is_empty());
        assert!(ids("# distributed under the terms of the agreement with the lab\n").is_empty());
    }

    #[test]
    fn same_licence_as_a_named_project() {
        let po = "# Translations template for indico.\n# Copyright (C) 2023 ORGANIZATION\n\
                  # This file is distributed under the same license as the indico project.\n";
        assert_eq!(
            same_licence_as(po),
            Some(SameAs {
                line: 3,
                name: "indico project".to_owned()
            })
        );
        let wrapped = "# This file is distributed under the same license as the invenio-rdm-records\n\
                       # project.\nmsgid \"\"\n";
        assert_eq!(
            same_licence_as(wrapped).map(|s| s.name),
            Some("invenio-rdm-records project".to_owned())
        );
        // gettext's unfilled template names no package.
        let template =
            "# This file is distributed under the same license as the PACKAGE package.\n";
        assert_eq!(same_licence_as(template), None);
        assert_eq!(
            same_licence_as("# under the same license as the rest of it\n"),
            None
        );
    }

    #[test]
    fn references_to_a_licence_elsewhere() {
        let disclaimer = "//\n// ********************************************************************\n\
            // * DISCLAIMER                                                       *\n\
            // * The following disclaimer summarizes all the specific disclaimers *\n\
            // * of contributors to this software. The specific disclaimers,which *\n\
            // * govern, are listed with their locations in:                      *\n\
            // *   http://cern.ch/geant4/license                                  *\n";
        let found = find(disclaimer);
        assert_eq!(found[0].expression, "LicenseRef-scancode-geant4-sl-1.0");
        assert_eq!(found[0].line, 7);
        let adler = "/* adler32.c -- compute the Adler-32 checksum of a data stream\n \
            * Copyright (C) 1995-2011, 2016 Mark Adler\n \
            * For conditions of distribution and use, see copyright notice in zlib.h\n */\n";
        assert_eq!(ids(adler), ["Zlib"]);
        let zlib_h = "  This software is provided 'as-is', without any express or implied\n  \
            warranty.  In no event will the authors be held liable for any damages\n  \
            arising from the use of this software.\n\n  \
            Permission is granted to anyone to use this software for any purpose,\n  \
            including commercial applications, and to alter it and redistribute it\n  \
            freely, subject to the following restrictions:\n";
        assert_eq!(ids(zlib_h), ["Zlib"]);
        let kde = "# Copyright (c) 2009, Ben Morgan, <Ben.Morgan@warwick.ac.uk>\n#\n\
            # Redistribution and use is allowed according to the terms of the BSD license.\n\
            # For details see the accompanying COPYING-CMAKE-SCRIPTS file.\n";
        assert_eq!(ids(kde), ["BSD-3-Clause"]);
        // The same words about something else are no reference.
        assert!(ids("# see copyright notice in the manual\n").is_empty());
    }

    #[test]
    fn permission_texts_in_headers_are_identified() {
        let hpnd = "/* $Id: win32def.c,v 1.3 2004-06-18 16:10:06 gcosmo Exp $ */\n\
            /* +---------------------- Copyright notice -------------------------------+ */\n\
            /* | Copyright (C) 1995, Guy Barrand, LAL Orsay, (barrand@lal.in2p3.fr)    | */\n\
            /* |   Permission to use, copy, modify, and distribute this software       | */\n\
            /* |   and its documentation for any purpose and without fee is hereby     | */\n\
            /* |   granted, provided that the above copyright notice appear in all     | */\n\
            /* |   copies and that both that copyright notice and this permission      | */\n\
            /* |   notice appear in supporting documentation.  This software is        | */\n\
            /* |   provided \"as is\" without express or implied warranty.               | */\n\
            /* +---------------------- Copyright notice -------------------------------+ */\n\n\
            /*\n  This program is a tool to build .def file\n*/\n#include <stdio.h>\n#include <string.h>\n\
            static char* getword(char* s) {\n  char* p = strtok(s, \" \");\n  return p;\n}\n\
            int main(int argc, char** argv) {\n  FILE* file = fopen(argv[1], \"r\");\n  char buffer[256];\n\
              while (fgets(buffer, sizeof(buffer), file) != NULL) {\n    char* word = getword(buffer);\n\
                if (word == NULL) continue;\n    printf(\"%s\\n\", word);\n  }\n  fclose(file);\n  return 0;\n}\n";
        let found = find(hpnd);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].expression, "HPND-Pbmplus");
        assert_eq!(found[0].line, 4);
        assert!(found[0].confidence >= HEADER_TEXT_SCORE);
        let isc = "/*\n * Copyright (c) 2004 Jane Doe <jane@example.org>\n *\n\
            * Permission to use, copy, modify, and distribute this software for any\n\
            * purpose with or without fee is hereby granted, provided that the above\n\
            * copyright notice and this permission notice appear in all copies.\n *\n\
            * THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES\n\
            * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF\n\
            * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\n\
            * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES\n\
            * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN\n\
            * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF\n\
            * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n */\n\n\
            #include <stdlib.h>\n\nint twice(int x) {\n  return 2 * x;\n}\n";
        assert_eq!(ids(isc), ["ISC"]);
        // Permission words alone are no licence text.
        assert!(ids("// Permission to use, copy or modify this file: ask the group.\n").is_empty());
    }

    #[test]
    fn ckeditor_headers_get_the_licence_of_their_version() {
        let header = "/**\n * @license Copyright (c) 2003-2022, CKSource Holding sp. z o.o. All rights reserved.\n * For licensing, see LICENSE.md or https://ckeditor.com/legal/ckeditor-oss-license\n */\n";
        let v5 = format!("{header}import {{ Plugin }} from 'ckeditor5/src/core';\n");
        let found = find(&v5);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].expression, "GPL-2.0-or-later");
        assert_eq!(found[0].line, 3);
        let v4 = format!("{header}CKEDITOR.plugins.add( 'image', {{}} );\n");
        assert_eq!(
            ids(&v4),
            ["GPL-2.0-or-later OR LGPL-2.1-or-later OR MPL-1.1"]
        );
    }

    #[test]
    fn an_mit_grant_without_sell_is_reported_altered() {
        let ptl = "//\n// MIT License\n// Copyright (c) 2020 Jonathan R. Madsen\n\
            // Permission is hereby granted, free of charge, to any person obtaining a copy\n\
            // of this software and associated documentation files (the \"Software\"), to deal\n\
            // in the Software without restriction, including without limitation the rights\n\
            // to use, copy, modify, merge, publish, distribute, sublicense, and\n\
            // copies of the Software, and to permit persons to whom the Software is\n\
            // furnished to do so, subject to the following conditions:\n\
            // The above copyright notice and this permission notice shall be included in\n\
            // all copies or substantial portions of the Software.\n";
        let found = find(ptl);
        let grant = found.iter().find(|n| n.expression == "MIT").unwrap();
        assert_eq!(grant.expression, "MIT");
        assert!(grant.detail.contains("altered"), "{}", grant.detail);
        assert!(grant.confidence < 0.9);
        let whole = ptl.replace(
            "sublicense, and\n// copies",
            "sublicense, and/or sell\n// copies",
        );
        let found = find(&whole);
        assert!(
            found.iter().all(|n| !n.detail.contains("altered")),
            "{found:?}"
        );
    }
}
