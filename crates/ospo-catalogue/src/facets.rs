//! What a project is filtered and searched by: facet values and the text body.

use ospo_core::Project;
use ospo_licence::{KnowledgeBase, Mode};

/// The facets a catalogue search can filter on, in the order they are shown.
pub const FACETS: &[&str] = &[
    "kind",
    "licence-family",
    "licence",
    "unit",
    "department",
    "topic",
    "language",
    "status",
    "domain",
];

/// The facet values of a project.
pub fn facet_values(p: &Project) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut push = |facet: &'static str, value: String| {
        let value = value.trim().to_owned();
        if !value.is_empty() && !out.iter().any(|(f, v)| *f == facet && *v == value) {
            out.push((facet, value));
        }
    };
    push("kind", p.kind.to_string());
    if let Some(s) = &p.status {
        push("status", s.to_string());
    }
    if let Some(u) = &p.unit {
        push("department", u.department.clone());
        push("unit", u.to_string());
    }
    for t in &p.topics {
        push("topic", t.clone());
    }
    for l in &p.languages {
        push("language", l.clone());
    }
    for uc in &p.use_cases {
        push("domain", uc.domain.clone());
    }
    if let Some(l) = &p.licence {
        let kb = KnowledgeBase::get();
        match ospo_licence::Expression::parse_with(l.as_str(), Mode::Lenient) {
            Ok((expr, _)) => {
                for t in expr.terms() {
                    push("licence", t.licence.as_str().to_owned());
                    let family = t
                        .spdx()
                        .map(|id| kb.category(id).family())
                        .unwrap_or("unknown");
                    push("licence-family", family.to_owned());
                }
            }
            Err(_) => push("licence-family", "unknown".to_owned()),
        }
    }
    out
}

/// The searchable text of a project beyond its name and summary.
pub fn body_text(p: &Project) -> String {
    let mut parts: Vec<&str> = vec![&p.description];
    parts.extend(p.topics.iter().map(String::as_str));
    parts.extend(p.languages.iter().map(String::as_str));
    for person in &p.people {
        parts.push(&person.name);
        parts.extend(person.expertise.iter().map(String::as_str));
    }
    for uc in &p.use_cases {
        parts.push(&uc.domain);
        parts.push(&uc.text);
    }
    let unit = p.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
    let mut s = parts.join(" \n");
    s.push(' ');
    s.push_str(&unit);
    s
}

/// Splits a user's query into search words: letters and digits only, lower-cased, at most 12.
pub fn query_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(12)
        .collect()
}

/// A piece of text, marked when it matches a query word.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Segment {
    /// The text, verbatim (escape it before putting it in HTML).
    pub text: String,
    /// Whether it matched.
    pub hit: bool,
}

/// Marks the words of `text` that start with one of the query words (case-insensitive).
pub fn highlight(text: &str, words: &[String]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, hit: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(s),
            _ => out.push(Segment {
                text: s.to_owned(),
                hit,
            }),
        }
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(rest.len());
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        let lower = word.to_lowercase();
        let hit = words.iter().any(|w| {
            // A word matches as a prefix; longer words also without their last letter
            // ("analyses" marks "analysed"), cut at a character boundary.
            let stem = match w.char_indices().last() {
                Some((i, _)) if w.chars().count() > 4 => &w[..i],
                _ => w.as_str(),
            };
            lower.starts_with(w.as_str()) || lower.starts_with(stem)
        });
        push(word, hit && !word.is_empty());
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_marks_word_prefixes_and_keeps_the_text() {
        let words = query_words("White rabbit");
        let segs = highlight("The White Rabbit timing <b>network</b>", &words);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "The White Rabbit timing <b>network</b>");
        let hits: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["White", "Rabbit"]);
    }

    #[test]
    fn non_ascii_words_are_marked_without_cutting_characters() {
        for q in ["café", "検出器", "ñandú", "Ünïcödé"] {
            let words = query_words(q);
            let segs = highlight(&format!("Le {q} du labo"), &words);
            assert!(segs.iter().any(|s| s.hit), "{q}: {segs:?}");
        }
    }

    #[test]
    fn query_words_drop_operators_and_punctuation() {
        assert_eq!(
            query_words("\"root\" OR (geant4)* -x"),
            vec!["root", "or", "geant4", "x"]
        );
    }
}
