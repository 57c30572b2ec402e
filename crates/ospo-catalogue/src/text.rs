//! The in-memory full-text index behind interactive search: every word of each project's
//! name, summary and searchable text, matched by prefix and ranked by where it occurs and how
//! rare it is. Built from the database with the facet index; the database's own full-text
//! index (SQLite FTS5, PostgreSQL tsvector) serves catalogues too large to hold in memory.

use std::collections::HashMap;

/// Where a word occurs, best first: name, summary, other searchable text.
const WEIGHTS: [f64; 4] = [0.0, 1.0, 4.0, 10.0];

/// Words of a text, lower-cased, letters and digits only.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The inverted index: sorted terms, each with the projects it occurs in and the best field.
#[derive(Default)]
pub struct TextIndex {
    terms: Vec<Box<str>>,
    postings: Vec<Vec<(u32, u8)>>,
    documents: usize,
}

impl TextIndex {
    /// Indexes documents given as (name, summary, other text).
    pub fn build<'a>(docs: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> TextIndex {
        let mut map: HashMap<String, Vec<(u32, u8)>> = HashMap::new();
        let mut documents = 0;
        for (i, (name, summary, body)) in docs.enumerate() {
            documents += 1;
            for (text, weight) in [(name, 3u8), (summary, 2), (body, 1)] {
                for w in words(text) {
                    let list = map.entry(w).or_default();
                    match list.last_mut() {
                        Some((doc, best)) if *doc == i as u32 => *best = (*best).max(weight),
                        _ => list.push((i as u32, weight)),
                    }
                }
            }
        }
        let mut entries: Vec<(String, Vec<(u32, u8)>)> = map.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let (terms, postings) = entries
            .into_iter()
            .map(|(t, p)| (t.into_boxed_str(), p))
            .unzip();
        TextIndex {
            terms,
            postings,
            documents,
        }
    }

    /// Projects matching every query word (as a prefix of one of their words), with scores.
    /// Returns the match bitset and a score per project (0 where not matched).
    pub fn search(&self, query_words: &[String], n: usize) -> (Vec<u64>, Vec<f64>) {
        let mut bits = vec![u64::MAX; n.div_ceil(64)];
        if !n.is_multiple_of(64)
            && let Some(last) = bits.last_mut()
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        let mut scores = vec![0.0; n];
        let mut best = vec![0u8; n];
        for w in query_words {
            best.iter_mut().for_each(|b| *b = 0);
            let start = self.terms.partition_point(|t| t.as_ref() < w.as_str());
            let mut df = 0usize;
            for (term, list) in self.terms[start..].iter().zip(&self.postings[start..]) {
                if !term.starts_with(w.as_str()) {
                    break;
                }
                for &(doc, weight) in list {
                    let b = &mut best[doc as usize];
                    if *b == 0 {
                        df += 1;
                    }
                    *b = (*b).max(weight);
                }
            }
            let idf = (1.0 + self.documents as f64 / (df.max(1) as f64)).ln();
            for (i, word) in bits.iter_mut().enumerate() {
                let mut keep = 0u64;
                let mut x = *word;
                while x != 0 {
                    let bit = x.trailing_zeros();
                    let doc = i * 64 + bit as usize;
                    if best[doc] > 0 {
                        keep |= 1 << bit;
                        scores[doc] += WEIGHTS[best[doc] as usize] * idf;
                    }
                    x &= x - 1;
                }
                *word = keep;
            }
        }
        (bits, scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_match_as_a_prefix_and_names_rank_first() {
        let docs = [
            (
                "White Rabbit switch",
                "Sub-nanosecond timing over Ethernet",
                "",
            ),
            (
                "Fine Delay",
                "Pulses with picosecond delays",
                "used for timing distribution",
            ),
            ("ROOT", "Data analysis", "rabbits are not involved"),
        ];
        let ix = TextIndex::build(docs.iter().copied());
        let (bits, scores) = ix.search(&["timing".into()], 3);
        assert_eq!(bits[0], 0b011);
        assert!(
            scores[0] > scores[1],
            "a summary match outranks a body match: {scores:?}"
        );
        let (bits, _) = ix.search(&["rabbit".into(), "tim".into()], 3);
        assert_eq!(bits[0], 0b001, "all words must match");
        let (bits, scores) = ix.search(&["rabbit".into()], 3);
        assert_eq!(bits[0], 0b101);
        assert!(scores[0] > scores[2], "a name match outranks a body match");
        let (bits, _) = ix.search(&["zzz".into()], 3);
        assert_eq!(bits[0], 0);
    }
}
