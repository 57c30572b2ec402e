//! Slugs: the short, URL-safe identifiers of projects and services (`white-rabbit`, `root`).

use crate::error::ValidationError;

string_newtype!(
    /// A project or service identifier used in URLs, manifests and links between projects.
    ///
    /// 1 to 64 characters from lowercase ASCII letters, digits and `-`, starting and ending
    /// with a letter or digit, without `--`. Build one from a display name with
    /// [`Slug::from_name`] (OHWR ids such as `maroc_csa` or `WR2RF-VME` become `maroc-csa` and
    /// `wr2rf-vme`).
    #[derive(PartialOrd, Ord)]
    Slug
);

const EXPECTED: &str =
    "1 to 64 lowercase letters, digits and single hyphens, e.g. \"white-rabbit\"";

impl Slug {
    /// The longest slug, in characters.
    pub const MAX_LEN: usize = 64;

    /// Accepts `text` if it is already a valid slug; the error names the first problem found.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "slug".into(),
                expected: EXPECTED,
            });
        }
        let problem = |p: String| Err(ValidationError::malformed("slug", text, p, EXPECTED));
        if text.len() > Self::MAX_LEN {
            return problem(format!(
                "it is {} characters long, the limit is {}",
                text.chars().count(),
                Self::MAX_LEN
            ));
        }
        for (i, c) in text.chars().enumerate() {
            if c.is_ascii_uppercase() {
                return problem(format!("uppercase {c:?} at position {}", i + 1));
            }
            if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return problem(format!(
                    "character {c:?} at position {} is not allowed",
                    i + 1
                ));
            }
        }
        if text.starts_with('-') || text.ends_with('-') {
            return problem("it starts or ends with a hyphen".into());
        }
        if text.contains("--") {
            return problem("it contains two hyphens in a row".into());
        }
        Ok(Self(text.to_owned()))
    }

    /// Makes a slug from a display name: letters are lowercased and common accented Latin
    /// letters lose their accents, every other run of characters becomes one `-`, and the
    /// result is cut to [`Slug::MAX_LEN`] at a word boundary where possible.
    ///
    /// Fails only when the name has no letter or digit that can be kept.
    pub fn from_name(name: &str) -> Result<Self, ValidationError> {
        let mut slug = String::with_capacity(name.len());
        for c in name.chars().flat_map(char::to_lowercase) {
            if let Some(ascii) = fold_accent(c) {
                slug.push_str(ascii);
            } else if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        if slug.len() > Self::MAX_LEN {
            let cut = &slug[..Self::MAX_LEN];
            // Prefer ending at a hyphen, unless that would throw most of the name away.
            slug = match cut.rfind('-') {
                Some(at) if at >= Self::MAX_LEN / 2 => cut[..at].to_owned(),
                _ => cut.to_owned(),
            };
        }
        let slug = slug.trim_matches('-');
        if slug.is_empty() {
            return Err(ValidationError::malformed(
                "name",
                name,
                "it has no letter or digit to build a slug from",
                "a name with at least one Latin letter or digit",
            ));
        }
        Self::parse(slug)
    }
}

/// The ASCII spelling of a common accented Latin letter (already lowercase).
fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_slugs() {
        for ok in ["root", "white-rabbit", "10g-wr-nic", "a", &"x".repeat(64)] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_invalid_slugs_naming_the_problem() {
        let cases = [
            ("", "slug is empty"),
            ("White-Rabbit", "uppercase 'W' at position 1"),
            ("maroc_csa", "character '_' at position 6 is not allowed"),
            ("fmc tdc", "character ' ' at position 4"),
            ("-spec", "starts or ends with a hyphen"),
            ("spec-", "starts or ends with a hyphen"),
            ("wr--switch", "two hyphens in a row"),
            ("géant", "character 'é' at position 2"),
        ];
        for (input, problem) in cases {
            let message = Slug::parse(input).unwrap_err().to_string();
            assert!(message.contains(problem), "{input:?}: {message}");
            assert!(message.starts_with("slug"), "{message}");
        }
        let long = Slug::parse(&"a".repeat(65)).unwrap_err().to_string();
        assert!(
            long.contains("65 characters long, the limit is 64"),
            "{long}"
        );
    }

    #[test]
    fn from_name_slugifies_display_names_and_ohwr_ids() {
        let cases = [
            ("ROOT", "root"),
            (
                "Simple PCIe FMC carrier (SPEC)",
                "simple-pcie-fmc-carrier-spec",
            ),
            (
                "FMC Time to Digital Converter | FMC TDC 1ns 5cha",
                "fmc-time-to-digital-converter-fmc-tdc-1ns-5cha",
            ),
            ("maroc_csa", "maroc-csa"),
            ("WR2RF-VME", "wr2rf-vme"),
            ("  Geant4 -- toolkit!  ", "geant4-toolkit"),
            ("Détecteur à pixels Æther", "detecteur-a-pixels-aether"),
            ("Straße", "strasse"),
        ];
        for (name, slug) in cases {
            assert_eq!(Slug::from_name(name).unwrap().as_str(), slug, "{name}");
        }
    }

    #[test]
    fn from_name_cuts_long_names_at_a_word() {
        let name =
            "a very long project name that keeps going and going beyond any reasonable length";
        let slug = Slug::from_name(name).unwrap();
        assert!(slug.as_str().len() <= Slug::MAX_LEN);
        assert_eq!(
            slug.as_str(),
            "a-very-long-project-name-that-keeps-going-and-going-beyond-any"
        );
    }

    #[test]
    fn from_name_refuses_names_without_letters() {
        let e = Slug::from_name("— ✓ —").unwrap_err();
        assert_eq!(e.field(), "name");
        assert!(e.to_string().contains("no letter or digit"));
    }

    #[test]
    fn deserialising_validates() {
        let ok: Slug = serde_json::from_str("\"indico\"").unwrap();
        assert_eq!(ok, "indico");
        let err = serde_json::from_str::<Slug>("\"In dico\"").unwrap_err();
        assert!(err.to_string().contains("uppercase 'I'"), "{err}");
    }
}
