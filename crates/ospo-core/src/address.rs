//! Web and e-mail addresses.

use crate::error::ValidationError;

string_newtype!(
    /// An absolute `http` or `https` URL: a homepage, repository, release or service link.
    ///
    /// Other schemes are refused because these links are rendered on public pages, where a
    /// `javascript:` or `data:` link would run in the visitor's browser; credentials in the
    /// URL (`https://user:secret@host/`) are refused so that they are never published.
    Url
);

const URL_EXPECTED: &str = "an absolute http(s) URL, e.g. \"https://gitlab.cern.ch/group/project\"";

impl Url {
    /// The longest URL accepted, in bytes.
    pub const MAX_LEN: usize = 2048;

    /// Accepts an absolute `http(s)://host/...` URL without whitespace or credentials.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: &str| {
            Err(ValidationError::malformed(
                "url",
                text,
                problem,
                URL_EXPECTED,
            ))
        };
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "url".into(),
                expected: URL_EXPECTED,
            });
        }
        if text.len() > Self::MAX_LEN {
            return bad("it is longer than 2048 bytes");
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains whitespace or control characters");
        }
        let lower = text.to_ascii_lowercase();
        let Some(rest) = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
        else {
            return bad("it does not start with http:// or https://");
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return bad("it carries a user name or password");
        }
        let host = authority
            .rsplit_once(':')
            .map_or(authority, |(host, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    host
                } else {
                    authority
                }
            });
        if host.is_empty() {
            return bad("it has no host name");
        }
        Ok(Self(text.to_owned()))
    }
}

string_newtype!(
    /// An e-mail address of a maintainer, expert or contact (`name@domain.tld`).
    ///
    /// Checked for shape only (one `@`, a dotted domain, no spaces); whether it receives mail
    /// is not something a model can know.
    EmailAddress
);

const EMAIL_EXPECTED: &str = "an e-mail address, e.g. \"jane.doe@cern.ch\"";

impl EmailAddress {
    /// Accepts `local@domain` with a dotted domain, at most 254 bytes.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: &str| {
            Err(ValidationError::malformed(
                "email",
                text,
                problem,
                EMAIL_EXPECTED,
            ))
        };
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "email".into(),
                expected: EMAIL_EXPECTED,
            });
        }
        if text.len() > 254 {
            return bad("it is longer than 254 bytes");
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains whitespace");
        }
        let Some((local, domain)) = text.split_once('@') else {
            return bad("it has no '@'");
        };
        if domain.contains('@') {
            return bad("it has more than one '@'");
        }
        if local.is_empty() || local.len() > 64 {
            return bad("the part before '@' must be 1 to 64 bytes");
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return bad("the domain must be dotted names, like cern.ch");
        }
        Ok(Self(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_web_links_without_credentials() {
        for ok in [
            "https://root.cern",
            "http://example.org:8080/path?q=1#frag",
            "https://gitlab.com/ohwr/project/mdior.git",
        ] {
            assert!(Url::parse(ok).is_ok(), "{ok}");
        }
        let cases = [
            (
                "javascript:alert(1)",
                "does not start with http:// or https://",
            ),
            ("ftp://example.org", "does not start with http"),
            ("https://user:pw@example.org/", "user name or password"),
            ("https:///path", "no host name"),
            ("https://example.org/a b", "whitespace"),
        ];
        for (input, problem) in cases {
            let e = Url::parse(input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
        }
    }

    #[test]
    fn email_addresses_are_checked_for_shape() {
        assert!(EmailAddress::parse("maintainer-1@cern.ch").is_ok());
        let cases = [
            ("jane.doe", "no '@'"),
            ("a@b@cern.ch", "more than one '@'"),
            ("@cern.ch", "before '@'"),
            ("jane@localhost", "dotted names"),
            ("jane@cern..ch", "dotted names"),
            ("jane doe@cern.ch", "whitespace"),
        ];
        for (input, problem) in cases {
            let e = EmailAddress::parse(input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
            assert!(e.starts_with("email"), "{e}");
        }
    }
}
