//! Licence text identification: which SPDX licences a text (a LICENSE file, a `License`
//! metadata field holding a whole licence) contains, where, and how sure the match is.
//!
//! The method is askalono's (<https://github.com/jpeddicord/askalono>): texts are normalised to
//! lower-case words, copyright lines dropped, and compared as sets of word bigrams with the
//! Sørensen–Dice coefficient against every text of the SPDX licence list (the `spdx` crate's
//! copy). A text that bundles several licences is cut at the `Name:` headers of bundled
//! components (the `LICENSES_bundled.txt` convention of scientific
//! Python wheels); each part is matched, its bounds trimmed to the best-scoring lines, and what
//! is left is searched again. Licences found before the first mention of bundled or third-party
//! software are the work's own (the *primary* expression); the rest are reported as bundled,
//! with their component's name and declared licence, so that a project shipping, say, the GCC
//! runtime library is not read as being under the GPL.
//!
//! The index of the SPDX texts is built once per process ([`Identifier::get`]).

use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use crate::expr::Expression;

/// Matches at or above this Dice coefficient are reported.
pub const THRESHOLD: f64 = 0.8;

/// Parts of a text with fewer distinct bigrams than this are not searched.
const MIN_BIGRAMS: usize = 12;
/// How much better than its base licence a variant must match to be chosen over it.
const VARIANT_MARGIN: f64 = 0.02;
/// A variant matched this closely is the variant, however close its base licence.
const VARIANT_CLOSE: f64 = 0.97;

/// One licence found in a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextMatch {
    /// SPDX licence or exception id. A licence text alone does not say "only" or "or later";
    /// the GNU licences are reported as `-only` unless a notice says otherwise.
    pub id: String,
    /// Whether `id` is a licence exception (e.g. `GCC-exception-3.1`).
    pub exception: bool,
    /// Dice coefficient of the matched lines against the SPDX text, 0 to 1.
    pub score: f64,
    /// First and last line of the match, 1-based, inclusive.
    pub lines: (usize, usize),
    /// Whether the match belongs to bundled or third-party software rather than the work.
    pub bundled: bool,
    /// The bundled component it belongs to (its `Name:` header), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// A bundled component listed in the text (`Name:` ... `License:` ...).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BundledComponent {
    /// The component's name.
    pub name: String,
    /// First and last line of its block, 1-based, inclusive.
    pub lines: (usize, usize),
    /// Its `License:` line as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// Its licence as an SPDX expression: the declared one when it is valid SPDX, else the
    /// licences identified in its block joined with AND.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// What a text was identified as.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Identification {
    /// The work's own licence(s) as an SPDX expression (licences joined with AND, an exception
    /// attached with WITH to the licence before it), or `None` when no licence text matched.
    pub expression: Option<String>,
    /// The lowest score among the matches that make up `expression` (0 when none).
    pub confidence: f64,
    /// Every licence found, in the order of the text.
    pub matches: Vec<TextMatch>,
    /// Bundled components listed in the text.
    pub bundled: Vec<BundledComponent>,
    /// The method and the version of the SPDX texts compared against.
    pub method: String,
}

/// The SPDX texts, indexed by word bigram.
pub struct Identifier {
    /// One entry per distinct text.
    entries: Vec<Entry>,
    /// Bigram → the entries containing it.
    postings: HashMap<u64, Vec<u32>>,
}

/// A distinct SPDX text.
struct Entry {
    /// The current SPDX id that stands for it.
    id: &'static str,
    /// Whether it is a licence exception.
    exception: bool,
    /// Its distinct bigrams, sorted.
    bigrams: Vec<u64>,
}

static IDENTIFIER: OnceLock<Identifier> = OnceLock::new();

/// Identifies the licences in `text` (see the module documentation).
pub fn identify(text: &str) -> Identification {
    Identifier::get().identify(text)
}

/// A line of the input, tokenised.
struct Line {
    /// Distinct-per-line bigrams ending on this line (a bigram may span the line break).
    bigrams: Vec<u64>,
    /// The line's text, trimmed.
    text: String,
}

fn word_hash(w: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, enough for a few hundred thousand words.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn bigram(a: u64, b: u64) -> u64 {
    a.rotate_left(23).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b
}

/// Lower-case words, with the spelling variants that do not change a licence folded together.
fn words(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.as_str() {
                "licence" => "license".to_owned(),
                "licences" => "licenses".to_owned(),
                "licenced" => "licensed".to_owned(),
                "licensor" | "licencor" => "licensor".to_owned(),
                "organisation" => "organization".to_owned(),
                _ => w,
            }
        })
}

/// Copyright notices differ in every copy of a licence; they are not compared. A line of the
/// licence's own text that a line break made start with the word ("copyright notice and this
/// permission notice appear in all copies", in a wrapped ISC text) is no notice.
fn is_copyright(line: &str) -> bool {
    let l = line.trim_start().to_lowercase();
    if let Some(rest) = l.strip_prefix("copyright") {
        let next = rest
            .trim_start()
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        return !matches!(
            next,
            "notice"
                | "notices"
                | "holder"
                | "holders"
                | "owner"
                | "owners"
                | "and"
                | "or"
                | "law"
                | "laws"
                | "license"
                | "licenses"
                | "statement"
                | "statements"
                | "information"
                | "protection"
                | "interest"
                | "interests"
                | "to"
                | "in"
                | "of"
                | "is"
        );
    }
    l.starts_with("(c)") || l.starts_with('©')
}

/// The line without a leading list marker (`1.`, `(a)`, `ii)`, `*`, `-`), which copies of a
/// licence number differently.
fn without_marker(line: &str) -> &str {
    let t = line.trim_start();
    let (first, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
    let bullet = matches!(first, "*" | "-" | "•" | "o");
    let inner = first.trim_start_matches('(');
    let numbered = inner.len() > 1
        && inner.ends_with(['.', ')'])
        && inner[..inner.len() - 1].len() <= 4
        && (inner[..inner.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
            || inner[..inner.len() - 1]
                .chars()
                .all(|c| matches!(c, 'i' | 'v' | 'x'))
            || inner.len() == 2);
    if bullet || numbered { rest } else { t }
}

fn tokenise(text: &str) -> Vec<Line> {
    let mut prev: Option<u64> = None;
    text.lines()
        .map(|raw| {
            let mut bigrams = Vec::new();
            if !is_copyright(raw) {
                for w in words(without_marker(raw)) {
                    let h = word_hash(&w);
                    if let Some(p) = prev {
                        bigrams.push(bigram(p, h));
                    }
                    prev = Some(h);
                }
            }
            bigrams.sort_unstable();
            bigrams.dedup();
            Line {
                bigrams,
                text: raw.trim().to_owned(),
            }
        })
        .collect()
}

fn bigram_set(text: &str) -> HashSet<u64> {
    tokenise(text).into_iter().flat_map(|l| l.bigrams).collect()
}

fn header<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = line.split_once(':')?;
    (k.trim().eq_ignore_ascii_case(key) && !v.trim().is_empty()).then(|| v.trim())
}

/// Lines that announce bundled or third-party software.
fn announces_bundle(line: &str) -> bool {
    let l = line.to_lowercase();
    header(line, "Name").is_some()
        || l.contains("bundle")
        || l.contains("third party")
        || l.contains("third-party")
}

/// The bigram counts of a range of lines, for trimming it against one licence.
struct Window<'a> {
    lines: &'a [Line],
    range: Range<usize>,
    counts: HashMap<u64, u32>,
    shared: usize,
}

impl<'a> Window<'a> {
    fn new(lines: &'a [Line], range: Range<usize>, licence: &[u64]) -> Window<'a> {
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for l in &lines[range.clone()] {
            for b in &l.bigrams {
                *counts.entry(*b).or_default() += 1;
            }
        }
        let shared = counts
            .keys()
            .filter(|b| licence.binary_search(b).is_ok())
            .count();
        Window {
            lines,
            range,
            counts,
            shared,
        }
    }

    fn dice(&self, licence_len: usize) -> f64 {
        dice(self.shared, self.counts.len(), licence_len)
    }

    /// The window's size and overlap without line `i` (which must be in the window).
    fn without(&self, i: usize, licence: &[u64]) -> (usize, usize) {
        let (mut size, mut shared) = (self.counts.len(), self.shared);
        for b in &self.lines[i].bigrams {
            if self.counts.get(b) == Some(&1) {
                size -= 1;
                if licence.binary_search(b).is_ok() {
                    shared -= 1;
                }
            }
        }
        (size, shared)
    }

    fn remove(&mut self, i: usize, licence: &[u64]) {
        for b in &self.lines[i].bigrams {
            if let Some(c) = self.counts.get_mut(b) {
                *c -= 1;
                if *c == 0 {
                    self.counts.remove(b);
                    if licence.binary_search(b).is_ok() {
                        self.shared -= 1;
                    }
                }
            }
        }
    }
}

fn dice(shared: usize, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        0.0
    } else {
        2.0 * shared as f64 / (a + b) as f64
    }
}

impl Identifier {
    /// The index, built on first use (about 700 SPDX texts).
    pub fn get() -> &'static Identifier {
        IDENTIFIER.get_or_init(Identifier::build)
    }

    fn build() -> Identifier {
        let mut entries = Vec::new();
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut seen: HashSet<Vec<u64>> = HashSet::new();
        let licences = spdx::text::LICENSE_TEXTS.iter().map(|(id, t)| {
            let current = spdx::license_id(id).is_some_and(|l| !l.is_deprecated());
            (*id, *t, false, current)
        });
        let exceptions = spdx::text::EXCEPTION_TEXTS.iter().map(|(id, t)| {
            let current = spdx::exception_id(id).is_some_and(|e| !e.is_deprecated());
            (*id, *t, true, current)
        });
        for (id, text, exception, current) in licences.chain(exceptions) {
            if !current {
                continue;
            }
            let mut bigrams: Vec<u64> = bigram_set(text).into_iter().collect();
            bigrams.sort_unstable();
            // The GNU licences share one text between -only and -or-later; the first id (the
            // SPDX list's order puts -only first) stands for it.
            if bigrams.len() < MIN_BIGRAMS || !seen.insert(bigrams.clone()) {
                continue;
            }
            let n = entries.len() as u32;
            for b in &bigrams {
                postings.entry(*b).or_default().push(n);
            }
            entries.push(Entry {
                id,
                exception,
                bigrams,
            });
        }
        Identifier { entries, postings }
    }

    /// How many distinct SPDX texts the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index is empty (never, with the `text` feature's data).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best-matching entry for a range of lines, by Dice coefficient.
    fn best(&self, lines: &[Line], range: Range<usize>) -> Option<(usize, f64)> {
        let set: HashSet<u64> = lines[range]
            .iter()
            .flat_map(|l| l.bigrams.iter().copied())
            .collect();
        if set.len() < MIN_BIGRAMS {
            return None;
        }
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for b in &set {
            if let Some(p) = self.postings.get(b) {
                for e in p {
                    *shared.entry(*e).or_default() += 1;
                }
            }
        }
        let scores: Vec<(usize, f64)> = shared
            .into_iter()
            .map(|(e, n)| {
                (
                    e as usize,
                    dice(n, set.len(), self.entries[e as usize].bigrams.len()),
                )
            })
            .collect();
        let top = scores
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        // A variant named after its base licence (BSD-3-Clause-HP after BSD-3-Clause) that the
        // text does not match closely wins only by a margin: a text about as close to both is
        // the base licence worded its own way (KDE's "The name of the author may not be used"
        // BSD-3-Clause read 0.939 against HP's variant, whose "HP" and patent words it lacks,
        // and 0.926 against BSD-3-Clause). A variant's own text (QPL-1.0-INRIA-2004: 1.0, and
        // 0.98 against QPL-1.0) stays the variant.
        if top.1 >= VARIANT_CLOSE {
            return Some(top);
        }
        let id = self.entries[top.0].id;
        let base = scores.iter().copied().find(|(e, score)| {
            let base = self.entries[*e].id;
            id.len() > base.len()
                && id.starts_with(base)
                && id.as_bytes()[base.len()] == b'-'
                && *score >= top.1 - VARIANT_MARGIN
                && !self.entries[*e].exception
        });
        Some(base.unwrap_or(top))
    }

    /// Trims lines off both ends of `range` while that does not lower the score against
    /// `entry` (askalono's `optimize_bounds`).
    fn trim(&self, lines: &[Line], range: Range<usize>, entry: usize) -> (Range<usize>, f64) {
        let licence = &self.entries[entry].bigrams;
        let len = licence.len();
        let mut w = Window::new(lines, range, licence);
        let mut score = w.dice(len);
        loop {
            let mut changed = false;
            while w.range.len() > 1 {
                let (size, shared) = w.without(w.range.start, licence);
                let s = dice(shared, size, len);
                if s < score {
                    break;
                }
                w.remove(w.range.start, licence);
                w.range.start += 1;
                score = s;
                changed = true;
            }
            while w.range.len() > 1 {
                let (size, shared) = w.without(w.range.end - 1, licence);
                let s = dice(shared, size, len);
                if s < score {
                    break;
                }
                w.remove(w.range.end - 1, licence);
                w.range.end -= 1;
                score = s;
                changed = true;
            }
            if !changed {
                return (w.range, score);
            }
        }
    }

    /// Finds every licence in `range`, best first, then in what is left on either side.
    fn scan(&self, lines: &[Line], range: Range<usize>, out: &mut Vec<(Range<usize>, usize, f64)>) {
        let Some((entry, _)) = self.best(lines, range.clone()) else {
            return;
        };
        let (found, score) = self.trim(lines, range.clone(), entry);
        if score < THRESHOLD {
            return;
        }
        self.scan(lines, range.start..found.start, out);
        out.push((found.clone(), entry, score));
        self.scan(lines, found.end..range.end, out);
    }

    /// Identifies the licences in `text` (see the module documentation).
    pub fn identify(&self, text: &str) -> Identification {
        let lines = tokenise(text);
        // Parts: cut at the headers of bundled components.
        let mut parts = Vec::new();
        let mut start = 0;
        for (i, l) in lines.iter().enumerate() {
            if header(&l.text, "Name").is_some() {
                if start < i {
                    parts.push(start..i);
                }
                start = i;
            }
        }
        if start < lines.len() {
            parts.push(start..lines.len());
        }
        let mut found = Vec::new();
        for p in parts {
            self.scan(&lines, p, &mut found);
        }
        // Components: from each `Name:` header to the next one.
        let heads: Vec<usize> = (0..lines.len())
            .filter(|i| header(&lines[*i].text, "Name").is_some())
            .collect();
        let blocks: Vec<(usize, usize)> = heads
            .iter()
            .enumerate()
            .map(|(k, s)| (*s, heads.get(k + 1).copied().unwrap_or(lines.len())))
            .collect();
        // The first announcement of bundled software outside a matched licence text.
        let inside = |i: usize| found.iter().any(|(r, _, _)| r.contains(&i));
        let bundle_from = (0..lines.len())
            .find(|i| announces_bundle(&lines[*i].text) && !inside(*i))
            .unwrap_or(lines.len());
        let matches: Vec<TextMatch> = found
            .iter()
            .map(|(r, e, score)| {
                let Entry { id, exception, .. } = self.entries[*e];
                let component = blocks
                    .iter()
                    .find(|(s, end)| (*s..*end).contains(&r.start))
                    .and_then(|(s, _)| header(&lines[*s].text, "Name"))
                    .map(str::to_owned);
                TextMatch {
                    id: id.to_owned(),
                    exception,
                    score: (score * 1000.0).round() / 1000.0,
                    lines: (r.start + 1, r.end),
                    bundled: r.start >= bundle_from,
                    component,
                }
            })
            .collect();
        let bundled = blocks
            .iter()
            .map(|(s, end)| {
                let declared = lines[*s..*end]
                    .iter()
                    .take(8)
                    .find_map(|l| header(&l.text, "License"))
                    .map(str::to_owned);
                let spdx = declared
                    .as_deref()
                    .and_then(|d| Expression::parse(d).ok())
                    .map(|e| e.to_string());
                let inner: Vec<&TextMatch> = matches
                    .iter()
                    .filter(|m| (*s..*end).contains(&(m.lines.0 - 1)))
                    .collect();
                BundledComponent {
                    name: header(&lines[*s].text, "Name")
                        .unwrap_or_default()
                        .to_owned(),
                    lines: (s + 1, *end),
                    declared,
                    expression: spdx.or_else(|| join(&inner)),
                }
            })
            .collect();
        let primary: Vec<&TextMatch> = matches.iter().filter(|m| !m.bundled).collect();
        let confidence = primary.iter().map(|m| m.score).fold(f64::NAN, f64::min);
        Identification {
            expression: join(&primary),
            confidence: if confidence.is_nan() { 0.0 } else { confidence },
            matches,
            bundled,
            method: format!(
                "word-bigram Dice coefficient against the SPDX licence list {} texts",
                crate::spdx_list_version()
            ),
        }
    }
}

/// Joins matches into an expression: distinct licences with AND, each exception attached with
/// WITH to the licence before it.
fn join(matches: &[&TextMatch]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for m in matches {
        if m.exception {
            if let Some(last) = parts.last_mut()
                && !last.contains(" WITH ")
            {
                *last = format!("{last} WITH {}", m.id);
            }
            continue;
        }
        if !parts
            .iter()
            .any(|p| p == &m.id || p.starts_with(&format!("{} WITH", m.id)))
        {
            parts.push(m.id.clone());
        }
    }
    // Only expressions the strict parser accepts are returned.
    let joined = parts.join(" AND ");
    (!parts.is_empty() && Expression::parse(&joined).is_ok()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCIPY: &str = include_str!("../tests/texts/scipy-1.17.1.License.txt");
    const MATPLOTLIB: &str = include_str!("../tests/texts/matplotlib-3.11.2.License.txt");
    const CONTOURPY: &str = include_str!("../tests/texts/contourpy-1.3.3.License.txt");
    const CYCLER: &str = include_str!("../tests/texts/cycler-0.12.1.License.txt");
    const KIWISOLVER: &str = include_str!("../tests/texts/kiwisolver-1.5.1.License.txt");

    #[test]
    fn scipy_is_bsd_with_the_gcc_runtime_bundled() {
        let id = identify(SCIPY);
        assert_eq!(id.expression.as_deref(), Some("BSD-3-Clause"), "{id:#?}");
        assert!(id.confidence >= 0.9, "{}", id.confidence);
        // The GPL text is there, but as a bundled component's, not the project's.
        let gpl: Vec<&TextMatch> = id
            .matches
            .iter()
            .filter(|m| m.id.starts_with("GPL-3.0"))
            .collect();
        assert_eq!(gpl.len(), 1, "{:#?}", id.matches);
        assert!(gpl[0].bundled);
        assert_eq!(gpl[0].component.as_deref(), Some("GCC runtime library"));
        let gcc = id
            .bundled
            .iter()
            .find(|b| b.name == "GCC runtime library")
            .unwrap();
        assert_eq!(
            gcc.expression.as_deref(),
            Some("GPL-3.0-or-later WITH GCC-exception-3.1")
        );
        let names: Vec<&str> = id.bundled.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            ["OpenBLAS", "LAPACK", "GCC runtime library", "libquadmath"]
        );
        assert!(
            id.matches
                .iter()
                .any(|m| m.id == "GCC-exception-3.1" && m.exception && m.bundled)
        );
    }

    #[test]
    fn matplotlib_is_its_psf_style_agreement() {
        let id = identify(MATPLOTLIB);
        // The matplotlib agreement is the PSF-2.0 template with the licensor's name changed;
        // SPDX matches it as PSF-2.0 (spdx/license-list-XML#1104).
        assert_eq!(id.expression.as_deref(), Some("PSF-2.0"), "{id:#?}");
        // The changed names (MDT for PSF, matplotlib for Python) cost some bigrams.
        assert!(id.confidence >= THRESHOLD, "{}", id.confidence);
        assert!(
            id.bundled.iter().any(|b| b.name == "FreeType"
                && b.expression.as_deref() == Some("FTL OR GPL-2.0-or-later"))
        );
        assert!(
            !id.matches
                .iter()
                .any(|m| !m.bundled && m.id == "Python-2.0")
        );
    }

    #[test]
    fn single_licence_fields() {
        for (text, expected) in [
            (CONTOURPY, "BSD-3-Clause"),
            (CYCLER, "BSD-3-Clause"),
            (KIWISOLVER, "BSD-3-Clause"),
        ] {
            let id = identify(text);
            assert_eq!(id.expression.as_deref(), Some(expected), "{id:#?}");
            assert!(id.confidence >= 0.9, "{id:#?}");
            assert!(id.bundled.is_empty());
        }
    }

    #[test]
    fn spdx_texts_identify_as_themselves() {
        for id in [
            "MIT",
            "Apache-2.0",
            "GPL-2.0-only",
            "LGPL-2.1-only",
            "MPL-2.0",
            "BSD-2-Clause",
            // Variants and near neighbours, each its own text.
            "BSD-3-Clause-HP",
            "BSD-3-Clause-Clear",
            "QPL-1.0-INRIA-2004",
            "MIT-0",
            "ISC",
            "0BSD",
        ] {
            let text = spdx::license_id(id).unwrap().text();
            let got = identify(text);
            assert_eq!(got.expression.as_deref(), Some(id), "{got:#?}");
            assert!(got.confidence > 0.98, "{id}: {}", got.confidence);
        }
    }

    #[test]
    fn two_licences_one_after_the_other() {
        let text = format!(
            "{}\n\n{}",
            spdx::license_id("MIT").unwrap().text(),
            spdx::license_id("Apache-2.0").unwrap().text()
        );
        let got = identify(&text);
        assert_eq!(
            got.expression.as_deref(),
            Some("MIT AND Apache-2.0"),
            "{got:#?}"
        );
    }

    #[test]
    fn prose_is_not_a_licence() {
        let got = identify(
            "This package provides fast histogramming for particle physics analyses. \
             See the documentation for installation instructions and examples of use.",
        );
        assert_eq!(got.expression, None);
        assert_eq!(got.confidence, 0.0);
        assert!(got.matches.is_empty());
    }

    #[test]
    fn a_base_licence_worded_its_own_way_is_not_a_variant() {
        // KDE's CMake modules' COPYING-CMAKE-SCRIPTS.
        let kde = "Redistribution and use in source and binary forms, with or without\n\
            modification, are permitted provided that the following conditions\n\
            are met:\n\n\
            1. Redistributions of source code must retain the copyright\n   \
            notice, this list of conditions and the following disclaimer.\n\
            2. Redistributions in binary form must reproduce the copyright\n   \
            notice, this list of conditions and the following disclaimer in the\n   \
            documentation and/or other materials provided with the distribution.\n\
            3. The name of the author may not be used to endorse or promote\n   \
            products derived from this software without specific prior written permission.\n\n\
            THIS SOFTWARE IS PROVIDED BY THE AUTHOR ``AS IS'' AND ANY EXPRESS OR\n\
            IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES\n\
            OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED.\n\
            IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY DIRECT, INDIRECT,\n\
            INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT\n\
            NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,\n\
            DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY\n\
            THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT\n\
            (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF\n\
            THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n";
        let got = identify(kde);
        assert_eq!(got.expression.as_deref(), Some("BSD-3-Clause"), "{got:#?}");
        // HP's own text is still HP's variant.
        let hp = identify(spdx::license_id("BSD-3-Clause-HP").unwrap().text());
        assert_eq!(hp.expression.as_deref(), Some("BSD-3-Clause-HP"));
    }

    #[test]
    fn the_index_holds_the_spdx_list_and_is_built_once() {
        let index = Identifier::get();
        assert!(index.len() > 600, "{}", index.len());
        assert!(std::ptr::eq(index, Identifier::get()));
    }

    #[test]
    fn a_wrapped_line_opening_with_copyright_is_licence_text() {
        // ISC as OpenBSD writes it: a line of the grant starts with "copyright notice"; read as
        // a notice and dropped, the text looked like 0BSD, which has no such condition.
        let isc = "Copyright (c) 2004 Jane Doe <jane@example.org>\n\n\
            Permission to use, copy, modify, and distribute this software for any\n\
            purpose with or without fee is hereby granted, provided that the above\n\
            copyright notice and this permission notice appear in all copies.\n\n\
            THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES\n\
            WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF\n\
            MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\n\
            ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES\n\
            WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN\n\
            ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF\n\
            OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n";
        let got = identify(isc);
        assert_eq!(got.expression.as_deref(), Some("ISC"), "{got:#?}");
        assert!(is_copyright("Copyright (C) 2019 CERN"));
        assert!(is_copyright("copyright 2019 the authors"));
        assert!(!is_copyright(
            "copyright notice and this permission notice appear"
        ));
        assert!(!is_copyright(
            "copyright holders and contributors \"as is\""
        ));
    }
}
