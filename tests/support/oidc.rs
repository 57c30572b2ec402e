//! An OpenID Connect provider for the single sign-on tests: discovery, the authorization
//! endpoint (it signs in one configured person at once, as an institutional SSO does for a
//! browser that already has its session) and the token endpoint with client authentication
//! and PKCE (RFC 7636) checked. It speaks HTTP/1.1 on a loopback port.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// The client the provider knows.
pub const CLIENT_ID: &str = "ospo-test";
/// Its secret.
pub const CLIENT_SECRET: &str = "s3cret-of-the-test-client";

struct Pending {
    redirect_uri: String,
    nonce: String,
    challenge: String,
}

#[derive(Default)]
struct State {
    subject: String,
    pending: HashMap<String, Pending>,
    /// Answer with an ID token whose nonce is not the one asked for (a replayed token).
    wrong_nonce: bool,
    /// What the token endpoint refused, for the test to read.
    refusals: Vec<String>,
}

/// A running provider; it stops with the test process.
pub struct Provider {
    /// `http://127.0.0.1:PORT/realms/lab`
    pub issuer: String,
    state: Arc<Mutex<State>>,
}

impl Provider {
    /// Starts a provider that signs in `subject`.
    pub fn start(subject: &str) -> Provider {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let issuer = format!(
            "http://{}/realms/lab",
            listener.local_addr().expect("address")
        );
        let state = Arc::new(Mutex::new(State {
            subject: subject.to_owned(),
            ..State::default()
        }));
        let (s, iss) = (state.clone(), issuer.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &iss, &s);
            }
        });
        Provider { issuer, state }
    }

    /// Who the next sign-in is.
    pub fn sign_in_as(&self, subject: &str) {
        self.state.lock().unwrap().subject = subject.to_owned();
    }

    /// Makes the next ID tokens carry another nonce.
    pub fn replay_nonce(&self, on: bool) {
        self.state.lock().unwrap().wrong_nonce = on;
    }

    /// The token endpoint's refusals so far.
    pub fn refusals(&self) -> Vec<String> {
        self.state.lock().unwrap().refusals.clone()
    }
}

fn serve(stream: TcpStream, issuer: &str, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let prefix = issuer.split_once("/realms").map(|(_, p)| p).unwrap_or("");
    let path = path.strip_prefix("/realms").unwrap_or(path);
    let path = path.strip_prefix(prefix).unwrap_or(path);
    let (status, extra, content) = match (method, path) {
        ("GET", "/.well-known/openid-configuration") => (
            "200 OK",
            String::new(),
            serde_json::json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/protocol/openid-connect/auth"),
                "token_endpoint": format!("{issuer}/protocol/openid-connect/token"),
                "jwks_uri": format!("{issuer}/protocol/openid-connect/certs"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            })
            .to_string(),
        ),
        ("GET", "/protocol/openid-connect/auth") => authorize(query, state),
        ("POST", "/protocol/openid-connect/token") => token(&headers, &body, issuer, state),
        _ => ("404 Not Found", String::new(), "{}".to_owned()),
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{content}",
        content.len()
    )?;
    out.flush()
}

fn form(text: &str) -> HashMap<String, String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(text)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

fn authorize(query: &str, state: &Mutex<State>) -> (&'static str, String, String) {
    let q = form(query);
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("client_id") != CLIENT_ID
        || get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return (
            "400 Bad Request",
            String::new(),
            r#"{"error":"invalid_request"}"#.into(),
        );
    }
    let code = URL_SAFE_NO_PAD.encode(Sha256::digest(format!("{query}{}", q.len()).as_bytes()));
    state.lock().unwrap().pending.insert(
        code.clone(),
        Pending {
            redirect_uri: get("redirect_uri"),
            nonce: get("nonce"),
            challenge: get("code_challenge"),
        },
    );
    let back = format!(
        "{}?{}",
        get("redirect_uri"),
        serde_urlencoded::to_string([("code", code.as_str()), ("state", get("state").as_str())])
            .unwrap()
    );
    ("302 Found", format!("Location: {back}\r\n"), "{}".into())
}

fn token(
    headers: &HashMap<String, String>,
    body: &[u8],
    issuer: &str,
    state: &Mutex<State>,
) -> (&'static str, String, String) {
    let mut st = state.lock().unwrap();
    let f = form(&String::from_utf8_lossy(body));
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let refusal = if headers.get("authorization") != Some(&expected) {
        Some("invalid_client")
    } else if get("grant_type") != "authorization_code" {
        Some("unsupported_grant_type")
    } else {
        match st.pending.remove(&get("code")) {
            None => Some("invalid_grant"),
            Some(p) if p.redirect_uri != get("redirect_uri") => Some("invalid_grant"),
            Some(p)
                if URL_SAFE_NO_PAD.encode(Sha256::digest(get("code_verifier").as_bytes()))
                    != p.challenge =>
            {
                Some("invalid_grant")
            }
            Some(p) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let nonce = if st.wrong_nonce {
                    "an-older-sign-in".to_owned()
                } else {
                    p.nonce
                };
                let claims = serde_json::json!({
                    "iss": issuer, "sub": st.subject, "aud": CLIENT_ID, "azp": CLIENT_ID,
                    "exp": now + 300, "iat": now, "nonce": nonce,
                    "preferred_username": st.subject, "name": "Test Person",
                });
                let id_token = format!(
                    "{}.{}.{}",
                    URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"test"}"#),
                    URL_SAFE_NO_PAD.encode(claims.to_string()),
                    URL_SAFE_NO_PAD.encode("signature")
                );
                let answer = serde_json::json!({
                    "access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token,
                });
                return ("200 OK", String::new(), answer.to_string());
            }
        }
    };
    let error = refusal.unwrap_or("invalid_request");
    st.refusals.push(error.to_owned());
    (
        "400 Bad Request",
        String::new(),
        format!(r#"{{"error":"{error}"}}"#),
    )
}
