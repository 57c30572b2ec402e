//! What must not be published: private keys, credentials, executables. Each hit names its kind
//! and line, never the secret itself.
//!
//! The patterns follow what secret scanners agree on (gitleaks' and GitHub secret scanning's
//! documented formats): PEM and OpenSSH private key blocks, AWS access key ids (`AKIA`/`ASIA` and
//! 16 upper-case letters or digits), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_` and 36
//! characters, `github_pat_`), Slack tokens (`xox?-`), key files by name (`id_rsa`, `*.p12`, ...)
//! and `.env` files assigning a value to a secret-looking name.

use memchr::memmem;
use serde::Serialize;

/// A credential found in a file: what kind, and where. The secret is not kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecretHit {
    /// What it looks like (`PEM private key`, `AWS access key id`, ...).
    pub kind: &'static str,
    /// 1-based line, where there is one (a key file named as such has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// Spelt in parts, so that this source file does not read as holding a key.
const PEM_BEGIN: &str = concat!("-----", "BEGIN ");
const PEM_PRIVATE: &str = concat!("PRIVATE ", "KEY-----");

/// File names that are private keys or key stores whatever they hold.
const KEY_FILE_NAMES: &[&str] = &["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".pgpass"];
/// Extensions of key stores (PKCS#12, Java key stores).
const KEY_FILE_EXTENSIONS: &[&str] = &["p12", "pfx", "jks", "keystore"];
/// Names whose assigned value in a `.env` file is a secret.
const SECRET_NAMES: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

/// The credentials a file holds, from its name and text.
pub(crate) fn find(name: &str, text: &str) -> Vec<SecretHit> {
    let mut hits = Vec::new();
    if let Some(kind) = key_file(name) {
        hits.push(SecretHit { kind, line: None });
    }
    // Searched over the whole text (one pass per pattern), lines counted for hits only.
    let line_of = |at: usize| Some(text[..at].matches('\n').count() + 1);
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    for at in memmem::find_iter(text.as_bytes(), PEM_BEGIN) {
        let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
        if text[at..end].contains(PEM_PRIVATE) {
            found.push((at, "PEM private key"));
        }
    }
    found.extend(tokens(text));
    found.sort_unstable();
    let mut last_line = None;
    for (at, kind) in found {
        let line = line_of(at);
        // One hit per line is enough to point at it.
        if line != last_line {
            hits.push(SecretHit { kind, line });
            last_line = line;
        }
    }
    if is_dotenv(name) {
        for (i, line) in text.lines().enumerate() {
            if let Some(kind) = dotenv_secret(line) {
                hits.push(SecretHit {
                    kind,
                    line: Some(i + 1),
                });
            }
        }
    }
    hits
}

/// A file that is a private key or key store by its name.
fn key_file(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if KEY_FILE_NAMES.contains(&lower.as_str()) {
        return Some("private key file");
    }
    match lower.rsplit_once('.') {
        Some((_, ext)) if KEY_FILE_EXTENSIONS.contains(&ext) => Some("key store"),
        _ => None,
    }
}

/// `.env`, `.env.local`, `prod.env`: but not the templates people publish on purpose.
fn is_dotenv(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let template = ["example", "sample", "template", "dist", "defaults"]
        .iter()
        .any(|t| lower.contains(t));
    !template && (lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env"))
}

/// `NAME=value` in a `.env` file where NAME looks secret and the value is not empty or a
/// placeholder.
fn dotenv_secret(line: &str) -> Option<&'static str> {
    let line = line.trim();
    let line = line.strip_prefix("export ").unwrap_or(line);
    if line.starts_with('#') {
        return None;
    }
    let (name, value) = line.split_once('=')?;
    let name = name.trim().to_ascii_uppercase();
    let value = value.trim().trim_matches(['"', '\'']);
    let secret_name = SECRET_NAMES.iter().any(|s| name.contains(s));
    let placeholder = value.is_empty()
        || value.starts_with("${")
        || value.starts_with('<')
        || ["changeme", "change-me", "xxx", "none", "null", "todo"]
            .contains(&value.to_ascii_lowercase().as_str());
    (secret_name && !placeholder).then_some("secret in a .env file")
}

/// Well-known token formats in a text, with their byte offsets.
fn tokens(line: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let starts_word = |at: usize| at == 0 || !word(b[at - 1]);
    // AWS access key id: AKIA/ASIA + 16 [A-Z0-9], not the documentation's EXAMPLE key.
    for prefix in ["AKIA", "ASIA"] {
        for at in memmem::find_iter(b, prefix) {
            let rest = &b[at..];
            if starts_word(at)
                && rest.len() >= 20
                && rest[4..20]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && rest.get(20).is_none_or(|c| !word(*c))
                && !line[at..at + 20].ends_with("EXAMPLE")
            {
                out.push((at, "AWS access key id"));
            }
        }
    }
    // GitHub tokens: ghp_, gho_, ghs_, ghu_, ghr_ and 36 characters; fine-grained github_pat_.
    for at in memmem::find_iter(b, "gh") {
        let rest = &b[at..];
        if starts_word(at)
            && rest.len() >= 40
            && b"pousr".contains(&rest[2])
            && rest[3] == b'_'
            && run_len(&rest[4..]) == 36
        {
            out.push((at, "GitHub token"));
        }
    }
    for at in memmem::find_iter(b, "github_pat_") {
        if starts_word(at) && run_len(&b[at + 11..]) >= 22 {
            out.push((at, "GitHub token"));
        }
    }
    // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs- and digits.
    for at in memmem::find_iter(b, "xox") {
        let rest = &b[at..];
        if starts_word(at)
            && rest.len() > 15
            && b"baprs".contains(&rest[3])
            && rest[4] == b'-'
            && rest[5].is_ascii_digit()
        {
            out.push((at, "Slack token"));
        }
    }
    out
}

/// How many token characters (`[A-Za-z0-9_]`) open `b`.
fn run_len(b: &[u8]) -> usize {
    b.iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count()
}

/// Extensions of compiled code and packaged binaries (repolinter's `binaries-not-present`
/// names `*.exe` and `*.dll`; the others are the same thing on other platforms).
const BINARY_EXTENSIONS: &[&str] = &[
    "exe", "dll", "so", "dylib", "o", "obj", "a", "lib", "class", "jar", "war", "pyc", "pyo",
    "whl", "egg", "msi", "deb", "rpm", "apk",
];

/// What kind of executable or compiled artefact a file is, by its first bytes or its name;
/// `None` for everything else (images, fonts and documents are fine to publish).
pub(crate) fn executable(name: &str, head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x7fELF") {
        return Some("ELF executable or library");
    }
    if head.starts_with(b"MZ") && head.len() >= 64 {
        return Some("Windows executable or DLL");
    }
    if [
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
    ]
    .iter()
    .any(|m| head.starts_with(*m))
    {
        return Some("Mach-O executable or library");
    }
    if head.starts_with(b"\xca\xfe\xba\xbe") {
        return Some("Java class or Mach-O universal binary");
    }
    let lower = name.to_ascii_lowercase();
    match lower.rsplit_once('.') {
        Some((_, ext)) if BINARY_EXTENSIONS.contains(&ext) => Some("compiled or packaged binary"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_private_keys_are_found_and_public_keys_are_not() {
        let key = format!("{PEM_BEGIN}RSA {PEM_PRIVATE}\nMIIEow\n-----END RSA PRIVATE KEY-----\n");
        assert_eq!(
            find("server.pem", &key),
            vec![SecretHit {
                kind: "PEM private key",
                line: Some(1)
            }]
        );
        let public = concat!("-----", "BEGIN PUBLIC KEY-----\nMIIB\n");
        assert!(find("server.pub", public).is_empty());
    }

    #[test]
    fn tokens_are_found_but_the_documented_example_key_is_not() {
        let aws = format!("aws_access_key_id = {}{}", "AKIA", "Z7QRSTUVWXYZ2345");
        assert_eq!(find("config.ini", &aws)[0].kind, "AWS access key id");
        let example = format!("key = {}{}", "AKIA", "IOSFODNN7EXAMPLE");
        assert!(find("README.md", &example).is_empty());
        // A longer word holding the prefix is no key.
        assert!(find("x.py", "MAKIAZZZZZZZZZZZZZZZZ = 1").is_empty());
        let gh = format!("token: {}_{}", "ghp", "a".repeat(36));
        assert_eq!(find("ci.yml", &gh)[0].kind, "GitHub token");
        assert!(find("ci.yml", "ghp_short").is_empty());
    }

    #[test]
    fn dotenv_values_count_but_templates_and_placeholders_do_not() {
        let env = "DEBUG=1\nDB_PASSWORD=hunter2\nAPI_TOKEN=\nSECRET_KEY=${FROM_VAULT}\n";
        assert_eq!(
            find(".env", env),
            vec![SecretHit {
                kind: "secret in a .env file",
                line: Some(2)
            }]
        );
        assert!(find(".env.example", env).is_empty());
        assert!(find("settings.py", env).is_empty());
    }

    #[test]
    fn key_files_by_name_and_executables_by_magic() {
        assert_eq!(find("id_rsa", "")[0].kind, "private key file");
        assert_eq!(find("cert.p12", "")[0].kind, "key store");
        assert_eq!(
            executable("tool", b"\x7fELF\x02\x01"),
            Some("ELF executable or library")
        );
        assert_eq!(
            executable("setup.exe", b""),
            Some("compiled or packaged binary")
        );
        assert_eq!(executable("logo.png", b"\x89PNG\r\n"), None);
    }
}
