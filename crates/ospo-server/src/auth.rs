//! Browser sign-in: OpenID Connect single sign-on (authorization code flow with PKCE), a token
//! login for instances without one, sessions in the database (so several servers share them)
//! and CSRF protection for the website's forms. The JSON API does not read cookies: it takes
//! bearer tokens only, so a cookie can never authorise an API write.

use crate::AppState;
use crate::pages::{error_page, render};
use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use minijinja::context;
use ospo_catalogue::{Session, now};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "ospo_session";
/// The double-submit cookie of the sign-in form (no session exists yet to hold a token).
const LOGIN_COOKIE: &str = "ospo_login";
/// The pending single sign-on: state, nonce, PKCE verifier and where to go back to.
const SSO_COOKIE: &str = "ospo_sso";

/// How the server identifies people in the browser.
#[derive(Clone, Debug, Default)]
pub struct AuthConfig {
    /// The address people reach the server at (`https://ospo.example.org`); it gives the
    /// single sign-on redirect address and makes cookies `Secure` when it is https.
    pub public_url: Option<String>,
    /// Single sign-on, when the institution has an OpenID Connect provider.
    pub oidc: Option<OidcConfig>,
}

/// An OpenID Connect provider (institutional single sign-on).
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer, e.g. `https://auth.cern.ch/auth/realms/cern`; its discovery document is read
    /// from `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    /// The client id registered with the provider.
    pub client_id: String,
    /// The client secret (never logged).
    pub client_secret: String,
    /// The ID token claim that names the ospo account (`sub`, `preferred_username`, `email`).
    pub account_claim: String,
    /// What the sign-in button says, e.g. "CERN single sign-on".
    pub label: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("account_claim", &self.account_claim)
            .finish()
    }
}

/// The provider's endpoints, from its discovery document.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Endpoints {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
}

/// The signed-in person as pages see it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Viewer {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub csrf: String,
}

tokio::task_local! {
    /// The person signed in for the page being rendered, if any.
    pub(crate) static VIEWER: Option<Viewer>;
}

/// The viewer of the page being rendered.
pub(crate) fn viewer() -> Option<Viewer> {
    VIEWER.try_with(Clone::clone).ok().flatten()
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page))
        .route("/login/token", post(token_login))
        .route("/login/sso", get(sso_start))
        .route("/login/callback", get(sso_callback))
        .route("/logout", post(logout))
}

/// Reads a cookie from the request headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(s: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let secure = if s.secure_cookies() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("cookie values are ASCII")
}

/// Resolves the session cookie of website requests into the actor, for handlers (as a
/// request extension) and for the page layout (as [`VIEWER`]).
pub(crate) async fn session_layer(
    State(s): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let session = match cookie(req.headers(), SESSION_COOKIE) {
        Some(secret) => s.catalogue.session(&secret, &now()).await.ok().flatten(),
        None => None,
    };
    let viewer = session.as_ref().map(|sess| Viewer {
        id: sess.actor.id.clone(),
        name: sess.actor.name.clone(),
        roles: sess.actor.roles.iter().map(ToString::to_string).collect(),
        csrf: sess.csrf.clone(),
    });
    if let Some(sess) = session {
        req.extensions_mut().insert(sess);
    }
    VIEWER.scope(viewer, next.run(req)).await
}

/// Checks a form post: the session's CSRF token must come back, and a browser's `Origin`, when
/// sent, must be this site.
pub(crate) fn check_form(
    s: &AppState,
    headers: &HeaderMap,
    expected: &str,
    sent: &str,
) -> Result<(), Box<Response>> {
    let same_origin = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None | Some("null") => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            origin.split_once("://").map(|(_, h)| h) == Some(host)
                || s.auth
                    .public_url
                    .as_deref()
                    .is_some_and(|u| u.trim_end_matches('/') == origin)
        }
    };
    if !same_origin || expected.is_empty() || !constant_time_eq(expected, sent) {
        return Err(Box::new(error_page(
            s,
            StatusCode::FORBIDDEN,
            "This form has expired or did not come from this site. Reload the page and try again.",
        )));
    }
    Ok(())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // Without randomness the server cannot sign anyone in safely; an empty token fails every
    // comparison above.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A local path to return to after signing in; anything else (other sites, `//host`) is `/`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

async fn login_page(State(s): State<AppState>, Query(q): Query<NextParam>) -> Response {
    login_form(&s, &local_path(q.next.as_deref()), None, StatusCode::OK)
}

fn login_form(s: &AppState, next: &str, message: Option<&str>, status: StatusCode) -> Response {
    let csrf = random_token();
    let mut r = render(
        s,
        "login.html",
        context! {
            next,
            csrf => csrf.clone(),
            message,
            sso => s.auth.oidc.as_ref().map(|o| o.label.clone()),
        },
    );
    *r.status_mut() = status;
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(s, LOGIN_COOKIE, &csrf, "/login", 1800),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[derive(Deserialize)]
struct TokenLogin {
    token: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

async fn token_login(
    State(s): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<TokenLogin>,
) -> Response {
    let next = local_path(form.next.as_deref());
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if let Err(r) = check_form(&s, &headers, &expected, &form.csrf) {
        return *r;
    }
    let account = match s.catalogue.account_for_token(form.token.trim()).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            return login_form(
                &s,
                &next,
                Some("That token is not known or was revoked."),
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(_) => {
            return error_page(
                &s,
                StatusCode::INTERNAL_SERVER_ERROR,
                "The catalogue is not available.",
            );
        }
    };
    start_session(&s, &account, "token", &next).await
}

async fn start_session(s: &AppState, account: &str, via: &str, next: &str) -> Response {
    match s.catalogue.open_session(account, via, &now()).await {
        Ok(opened) => {
            let mut r = see_other(next);
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    s,
                    SESSION_COOKIE,
                    &opened.secret,
                    "/",
                    ospo_catalogue::SESSION_SECONDS,
                ),
            );
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(s, LOGIN_COOKIE, "", "/login", 0),
            );
            r
        }
        Err(ospo_catalogue::CatalogueError::NotFound(_)) => error_page(
            s,
            StatusCode::FORBIDDEN,
            &format!(
                "You are signed in as '{account}' at single sign-on, but ospo has no account '{account}' yet. \
                 Ask the OSPO to create one (ospo access account {account} --role maintainer --maintains PROJECT)."
            ),
        ),
        Err(_) => error_page(
            s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        ),
    }
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    axum::Form(form): axum::Form<LogoutForm>,
) -> Response {
    if let Some(axum::Extension(sess)) = session {
        if let Err(r) = check_form(&s, &headers, &sess.csrf, &form.csrf) {
            return *r;
        }
        if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
            let _ = s.catalogue.close_session(&secret).await;
        }
    }
    let mut r = see_other("/");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&s, SESSION_COOKIE, "", "/", 0),
    );
    r
}

// ---------------------------------------------------------------------------------------------
// OpenID Connect

/// One HTTP client for the provider: system roots (institutional CAs included), a timeout, and
/// statuses read rather than raised.
fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// Why single sign-on failed, in words for the person signing in (never with secrets).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SsoError {
    #[error("the single sign-on provider could not be reached: {0}")]
    Unreachable(String),
    #[error("the single sign-on provider answered {0}")]
    Provider(String),
    #[error("the sign-in could not be verified: {0}")]
    Invalid(String),
}

async fn endpoints(s: &AppState, oidc: &OidcConfig) -> Result<Endpoints, SsoError> {
    let issuer = oidc.issuer.trim_end_matches('/').to_owned();
    s.oidc_endpoints
        .get_or_try_init(|| async move {
            let url = format!("{issuer}/.well-known/openid-configuration");
            let found: Endpoints = tokio::task::spawn_blocking(move || {
                let mut resp = http()
                    .get(&url)
                    .call()
                    .map_err(|e| SsoError::Unreachable(e.to_string()))?;
                if resp.status() != 200 {
                    return Err(SsoError::Provider(format!(
                        "{} for its discovery document",
                        resp.status()
                    )));
                }
                resp.body_mut().read_json::<Endpoints>().map_err(|e| {
                    SsoError::Provider(format!("an unreadable discovery document: {e}"))
                })
            })
            .await
            .map_err(|e| SsoError::Unreachable(e.to_string()))??;
            // OpenID Connect Discovery 1.0, section 4.3: the issuer must be the one asked.
            if found.issuer.trim_end_matches('/') != issuer {
                return Err(SsoError::Invalid(format!(
                    "the discovery document names issuer '{}', not '{issuer}'",
                    found.issuer
                )));
            }
            Ok(found)
        })
        .await
        .cloned()
}

fn redirect_uri(s: &AppState, headers: &HeaderMap) -> String {
    let base = match &s.auth.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => format!(
            "http://{}",
            headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost")
        ),
    };
    format!("{base}/login/callback")
}

fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn sso_start(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextParam>,
) -> Response {
    let Some(oidc) = s.auth.oidc.clone() else {
        return error_page(
            &s,
            StatusCode::NOT_FOUND,
            "This server has no single sign-on configured; sign in with an API token.",
        );
    };
    let ep = match endpoints(&s, &oidc).await {
        Ok(ep) => ep,
        Err(e) => return error_page(&s, StatusCode::BAD_GATEWAY, &e.to_string()),
    };
    let (state, nonce, verifier) = (random_token(), random_token(), random_token());
    let next = URL_SAFE_NO_PAD.encode(local_path(q.next.as_deref()));
    let query = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", oidc.client_id.as_str()),
        ("redirect_uri", redirect_uri(&s, &headers).as_str()),
        ("scope", "openid profile email"),
        ("state", state.as_str()),
        ("nonce", nonce.as_str()),
        ("code_challenge", pkce_challenge(&verifier).as_str()),
        ("code_challenge_method", "S256"),
    ])
    .unwrap_or_default();
    let sep = if ep.authorization_endpoint.contains('?') {
        '&'
    } else {
        '?'
    };
    let mut r = see_other(&format!("{}{sep}{query}", ep.authorization_endpoint));
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &s,
            SSO_COOKIE,
            &format!("{state}.{nonce}.{verifier}.{next}"),
            "/login",
            600,
        ),
    );
    r
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

async fn sso_callback(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(cb): Query<Callback>,
) -> Response {
    match sso_finish(&s, &headers, cb).await {
        Ok((account, next)) => {
            let mut r = start_session(&s, &account, "sso", &next).await;
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&s, SSO_COOKIE, "", "/login", 0),
            );
            r
        }
        Err(e) => error_page(&s, StatusCode::FORBIDDEN, &format!("Sign-in failed: {e}")),
    }
}

async fn sso_finish(
    s: &AppState,
    headers: &HeaderMap,
    cb: Callback,
) -> Result<(String, String), SsoError> {
    let oidc = s
        .auth
        .oidc
        .clone()
        .ok_or_else(|| SsoError::Invalid("no single sign-on is configured".into()))?;
    if let Some(error) = cb.error {
        return Err(SsoError::Provider(format!(
            "'{error}'{}",
            cb.error_description
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        )));
    }
    let pending = cookie(headers, SSO_COOKIE).unwrap_or_default();
    let parts: Vec<&str> = pending.split('.').collect();
    let [state, nonce, verifier, next] = parts[..] else {
        return Err(SsoError::Invalid(
            "no sign-in was started from this browser (or it took over 10 minutes)".into(),
        ));
    };
    if !constant_time_eq(state, cb.state.as_deref().unwrap_or("")) {
        return Err(SsoError::Invalid(
            "the answer does not belong to the sign-in started here".into(),
        ));
    }
    let code = cb
        .code
        .ok_or_else(|| SsoError::Provider("no authorisation code".into()))?;
    let ep = endpoints(s, &oidc).await?;
    let form = [
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", redirect_uri(s, headers)),
        ("code_verifier", verifier.to_owned()),
    ];
    // client_secret_basic (OpenID Connect Core 1.0, section 9): both parts form-encoded.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(&oidc.client_id),
        form_encode(&oidc.client_secret)
    ));
    let token_endpoint = ep.token_endpoint.clone();
    let tokens: TokenResponse = tokio::task::spawn_blocking(move || {
        let mut resp = http()
            .post(&token_endpoint)
            .header("Authorization", format!("Basic {basic}"))
            .header("Accept", "application/json")
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| SsoError::Unreachable(e.to_string()))?;
        let status = resp.status();
        if status != 200 {
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            let error = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
                .unwrap_or_default();
            return Err(SsoError::Provider(format!(
                "{status} at its token endpoint {error}"
            )));
        }
        resp.body_mut()
            .read_json::<TokenResponse>()
            .map_err(|e| SsoError::Provider(format!("an unreadable token response: {e}")))
    })
    .await
    .map_err(|e| SsoError::Unreachable(e.to_string()))??;
    let id_token = tokens
        .id_token
        .ok_or_else(|| SsoError::Provider("no ID token (is the 'openid' scope allowed?)".into()))?;
    let claims = validate_id_token(
        &id_token,
        &ep.issuer,
        &oidc.client_id,
        nonce,
        now().unix_seconds(),
    )?;
    let account = claims
        .get(&oidc.account_claim)
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            SsoError::Invalid(format!(
                "the ID token has no '{}' claim to name the account",
                oidc.account_claim
            ))
        })?
        .to_owned();
    let next = URL_SAFE_NO_PAD
        .decode(next)
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    Ok((account, local_path(next.as_deref())))
}

fn form_encode(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// Validates an ID token received from the token endpoint (OpenID Connect Core 1.0, section
/// 3.1.3.7): issuer, audience, authorised party, expiry and nonce. The token came straight
/// from the provider over the connection just made, so, as item 6 of that section allows,
/// the TLS server check of that connection stands in for the signature check.
pub(crate) fn validate_id_token(
    token: &str,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<serde_json::Map<String, serde_json::Value>, SsoError> {
    let invalid = |m: &str| SsoError::Invalid(m.to_owned());
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| invalid("the ID token is not a JWT"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| invalid("the ID token's payload is not base64url"))?;
    let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes)
        .map_err(|_| invalid("the ID token's payload is not JSON"))?;
    let text = |k: &str| claims.get(k).and_then(|v| v.as_str()).unwrap_or("");
    if text("iss").trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(SsoError::Invalid(format!(
            "the ID token was issued by '{}', not '{issuer}'",
            text("iss")
        )));
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(serde_json::Value::String(a)) => vec![a.as_str()],
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    };
    if !audiences.contains(&client_id) {
        return Err(invalid("the ID token is meant for another client"));
    }
    if audiences.len() > 1 && text("azp") != client_id {
        return Err(invalid("the ID token's authorised party is another client"));
    }
    let exp = claims.get("exp").and_then(|v| v.as_i64()).unwrap_or(0);
    // A minute of leeway for clocks that differ.
    if exp + 60 < now {
        return Err(invalid("the ID token has expired"));
    }
    if !constant_time_eq(text("nonce"), nonce) || nonce.is_empty() {
        return Err(invalid("the ID token's nonce does not match this sign-in"));
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: serde_json::Value) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    fn good() -> serde_json::Value {
        serde_json::json!({"iss": "https://sso.example", "aud": "ospo", "exp": 2000, "nonce": "n1", "sub": "jdoe"})
    }

    #[test]
    fn id_token_checks_each_claim() {
        let ok = validate_id_token(&token(good()), "https://sso.example/", "ospo", "n1", 1000);
        assert_eq!(ok.unwrap()["sub"], "jdoe");
        for (key, value, expected) in [
            (
                "iss",
                serde_json::json!("https://evil.example"),
                "issued by",
            ),
            ("aud", serde_json::json!("other"), "another client"),
            (
                "aud",
                serde_json::json!(["ospo", "other"]),
                "authorised party",
            ),
            ("exp", serde_json::json!(100), "expired"),
            ("nonce", serde_json::json!("n2"), "nonce"),
        ] {
            let mut claims = good();
            claims[key] = value;
            let err = validate_id_token(&token(claims), "https://sso.example", "ospo", "n1", 1000)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{key}: {err}");
        }
        assert!(validate_id_token("garbage", "https://sso.example", "ospo", "n1", 1000).is_err());
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            local_path(Some("/projects/indico/edit")),
            "/projects/indico/edit"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn pkce_challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
