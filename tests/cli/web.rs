//! Signing in to the website and editing projects in it: the token login, OpenID Connect single
//! sign-on against a provider on loopback, CSRF and origin checks, own/other projects, stale
//! edits; on SQLite and PostgreSQL.

use ospo_e2e::{Response, Server, oidc};

fn access(db: &str, args: &[&str]) -> String {
    let mut all = vec!["access", "--database", db];
    all.extend_from_slice(args);
    let o = ospo_e2e::run(&all);
    assert!(o.status.success(), "{args:?}: {}", ospo_e2e::stderr(&o));
    ospo_e2e::stdout(&o).trim().to_owned()
}

fn token_of(issued: &str) -> String {
    issued
        .split_whitespace()
        .find(|w| w.starts_with("ospo_"))
        .expect("a token")
        .to_owned()
}

/// The value of a hidden form field.
fn field(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in the page"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn post_form(s: &Server, path: &str, cookie: &str, body: &str) -> Response {
    s.request(
        "POST",
        path,
        &[
            ("Cookie", cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body),
    )
}

/// Signs in through the login page with an API token; returns the session cookie.
fn token_login(s: &Server, token: &str, next: &str) -> String {
    let page = s.get(&format!("/login?next={next}"));
    assert_eq!(page.status, 200);
    let pre = page.cookie("ospo_login").expect("the login form's cookie");
    let csrf = field(&page.body, "csrf");
    assert_eq!(
        pre, csrf,
        "double-submit: the cookie and the field carry one value"
    );
    let r = post_form(
        s,
        "/login/token",
        &format!("ospo_login={pre}"),
        &form(&[("token", token), ("csrf", &csrf), ("next", next)]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(next));
    let session = r.cookie("ospo_session").expect("a session cookie");
    let set = r
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("ospo_session="))
        .unwrap();
    assert!(
        set.1.contains("HttpOnly") && set.1.contains("SameSite=Lax"),
        "{}",
        set.1
    );
    format!("ospo_session={session}")
}

fn api_project(s: &Server, slug: &str) -> serde_json::Value {
    let r = s.get(&format!("/api/projects/{slug}"));
    assert_eq!(r.status, 200);
    r.json()
}

fn edit_in_the_browser(db: &str) {
    let s = Server::start(db);
    access(
        db,
        &[
            "account",
            "dev",
            "--name",
            "Dana Dev",
            "--role",
            "maintainer",
            "--maintains",
            "root",
        ],
    );
    let token = token_of(&access(db, &["issue", "dev"]));

    // Not signed in: the edit page sends to the sign-in page and comes back after it.
    let r = s.get("/projects/root/edit");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/login?next=/projects/root/edit")
    );
    let page = s.get("/projects/root");
    assert!(page.body.contains("Sign in to edit it"));

    // A wrong token and a forged login form are refused.
    let login = s.get("/login");
    let pre = login.cookie("ospo_login").unwrap();
    let r = post_form(
        &s,
        "/login/token",
        &format!("ospo_login={pre}"),
        &form(&[("token", "ospo_wrong"), ("csrf", &pre)]),
    );
    assert_eq!(r.status, 401);
    assert!(r.body.contains("not known or was revoked"));
    assert!(r.cookie("ospo_session").is_none());
    let r = post_form(
        &s,
        "/login/token",
        "ospo_login=something-else",
        &form(&[("token", &token), ("csrf", &pre)]),
    );
    assert_eq!(r.status, 403, "a login form from another site is refused");
    assert!(r.cookie("ospo_session").is_none());

    let cookie = token_login(&s, &token, "/projects/root/edit");
    let page = s.request("GET", "/projects/root/edit", &[("Cookie", &cookie)], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signed in as Dana Dev"));
    let csrf = field(&page.body, "csrf");
    let version = field(&page.body, "version");
    assert_eq!(version, api_project(&s, "root")["version"].to_string());

    // Without the CSRF token, or from another origin, nothing is saved.
    let edit = |extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("name", "ROOT"),
            ("summary", "Data analysis framework, edited in the browser"),
            ("licence", "LGPL-2.1-or-later"),
            ("topics", "data analysis, statistics"),
            (
                "use_cases",
                "finance: fits to market data\nmedical imaging: PET image reconstruction",
            ),
            ("comment", "new summary"),
        ];
        pairs.extend_from_slice(extra);
        form(&pairs)
    };
    let r = post_form(
        &s,
        "/projects/root/edit",
        &cookie,
        &edit(&[("version", &version)]),
    );
    assert_eq!(r.status, 403);
    let r = s.request(
        "POST",
        "/projects/root/edit",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://evil.example"),
        ],
        Some(&edit(&[("version", &version), ("csrf", &csrf)])),
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        api_project(&s, "root")["version"].to_string(),
        version,
        "refused forms change nothing"
    );

    // A good save lands, with the audit trail naming the maintainer.
    let r = post_form(
        &s,
        "/projects/root/edit",
        &cookie,
        &edit(&[("version", &version), ("csrf", &csrf)]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let saved = api_project(&s, "root");
    assert_eq!(
        saved["summary"],
        "Data analysis framework, edited in the browser"
    );
    assert_eq!(saved["use_cases"][1]["domain"], "medical imaging");
    let page = s.request(
        "GET",
        r.header("location").unwrap(),
        &[("Cookie", &cookie)],
        None,
    );
    assert!(page.body.contains("Saved: this is version"));
    assert!(page.body.contains("PET image reconstruction"));
    let audit = ospo_e2e::run(&["catalogue", "--database", db, "audit", "root"]);
    assert!(
        ospo_e2e::stdout(&audit).contains("dev"),
        "{}",
        ospo_e2e::stdout(&audit)
    );

    // The same form again (now stale) is refused, and what was typed comes back.
    let r = post_form(
        &s,
        "/projects/root/edit",
        &cookie,
        &form(&[
            ("name", "ROOT"),
            ("summary", "A summary typed over an old version"),
            ("version", &version),
            ("csrf", &csrf),
        ]),
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("someone else saved this project meanwhile"));
    assert!(r.body.contains("A summary typed over an old version"));
    assert_eq!(
        api_project(&s, "root")["summary"],
        "Data analysis framework, edited in the browser"
    );

    // A malformed licence is named, the rest of the input kept.
    let current = api_project(&s, "root")["version"].to_string();
    let r = post_form(
        &s,
        "/projects/root/edit",
        &cookie,
        &form(&[
            ("name", "ROOT"),
            ("summary", "Kept after the error"),
            ("licence", "LGPL-2.1-or-later AND"),
            ("version", &current),
            ("csrf", &csrf),
        ]),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Licence:"), "{}", r.body);
    assert!(r.body.contains("Kept after the error"));

    // Another maintainer's project: no form, and a forged post is refused.
    let r = s.request("GET", "/projects/indico/edit", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 403);
    assert!(r.body.contains("You may not edit Indico"), "{}", r.body);
    let before = api_project(&s, "indico");
    let r = post_form(
        &s,
        "/projects/indico/edit",
        &cookie,
        &form(&[
            ("name", "Hijacked"),
            ("version", &before["version"].to_string()),
            ("csrf", &csrf),
        ]),
    );
    assert_eq!(r.status, 403);
    assert_eq!(api_project(&s, "indico")["name"], before["name"]);

    // A session cookie does not authorise the JSON API (bearer tokens only).
    let r = s.request(
        "DELETE",
        "/api/projects/root",
        &[("Cookie", &cookie), ("If-Match", &format!("\"{current}\""))],
        None,
    );
    assert_eq!(r.status, 401);

    // Signing out ends the session on the server, not only in the browser.
    let r = post_form(&s, "/logout", &cookie, &form(&[("csrf", &csrf)]));
    assert_eq!(r.status, 303);
    assert_eq!(r.cookie("ospo_session").as_deref(), Some(""));
    let r = s.request("GET", "/projects/root/edit", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 303, "the old cookie no longer signs anyone in");

    // An OSPO member curates every project from the same form.
    access(
        db,
        &[
            "account",
            "olga",
            "--name",
            "Olga OSPO",
            "--role",
            "ospo-member",
        ],
    );
    let curator = token_login(&s, &token_of(&access(db, &["issue", "olga"])), "/");
    let page = s.request(
        "GET",
        "/projects/indico/edit",
        &[("Cookie", &curator)],
        None,
    );
    assert_eq!(page.status, 200);
    let before = api_project(&s, "indico");
    let r = post_form(
        &s,
        "/projects/indico/edit",
        &curator,
        &form(&[
            ("name", "Indico"),
            ("summary", "Curated by the OSPO"),
            ("version", &field(&page.body, "version")),
            ("csrf", &field(&page.body, "csrf")),
        ]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = api_project(&s, "indico");
    assert_eq!(after["summary"], "Curated by the OSPO");
    assert_eq!(after["version"], before["version"].as_u64().unwrap() + 1);

    // Neither tokens nor session secrets reach the log.
    let log = s.log();
    assert!(!log.contains(&token) && !log.contains(cookie.trim_start_matches("ospo_session=")));
}

#[test]
fn maintainers_edit_their_own_projects_in_the_browser_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    edit_in_the_browser(dir.path().join("web.db").to_str().unwrap());
}

#[test]
fn maintainers_edit_their_own_projects_in_the_browser_on_postgres() {
    edit_in_the_browser(&ospo_e2e::fresh_postgres());
}

/// One single sign-on round trip: ospo → provider → ospo's callback; returns the callback's
/// answer.
fn sso_round_trip(s: &Server, next: &str) -> Response {
    let start = s.get(&format!("/login/sso?next={next}"));
    assert_eq!(start.status, 303, "{}", start.body);
    let pending = start
        .cookie("ospo_sso")
        .expect("the pending sign-in cookie");
    let to_provider = start.header("location").unwrap().to_owned();
    for p in [
        "response_type=code",
        "client_id=ospo-test",
        "code_challenge_method=S256",
        "scope=openid",
    ] {
        assert!(to_provider.contains(p), "{p} in {to_provider}");
    }
    let back = ospo_e2e::get_url(&to_provider, &[]);
    assert_eq!(back.status, 302, "{}", back.body);
    let callback = back.header("location").unwrap();
    let path = &callback[callback.find("/login/callback").expect("our callback")..];
    s.request(
        "GET",
        path,
        &[("Cookie", &format!("ospo_sso={pending}"))],
        None,
    )
}

#[test]
fn single_sign_on_with_openid_connect() {
    let provider = oidc::Provider::start("jdoe");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sso.db");
    let db = db.to_str().unwrap();
    let s = Server::start_with(
        db,
        &[
            ("--oidc-issuer", &provider.issuer),
            ("--oidc-client-id", oidc::CLIENT_ID),
            ("--oidc-label", "Lab single sign-on"),
            ("ENV:OSPO_OIDC_CLIENT_SECRET", oidc::CLIENT_SECRET),
        ],
    );
    access(
        db,
        &[
            "account",
            "jdoe",
            "--name",
            "Jo Doe",
            "--role",
            "maintainer",
            "--maintains",
            "indico",
        ],
    );
    assert!(
        s.get("/login")
            .body
            .contains("Sign in with Lab single sign-on")
    );

    let done = sso_round_trip(&s, "/projects/indico/edit");
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/projects/indico/edit"));
    assert_eq!(
        done.cookie("ospo_sso").as_deref(),
        Some(""),
        "the pending sign-in is cleared"
    );
    let cookie = format!("ospo_session={}", done.cookie("ospo_session").unwrap());
    let page = s.request("GET", "/projects/indico/edit", &[("Cookie", &cookie)], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signed in as Jo Doe"));
    assert!(provider.refusals().is_empty(), "{:?}", provider.refusals());

    // An answer that does not belong to the sign-in started in this browser.
    let start = s.get("/login/sso");
    let pending = start.cookie("ospo_sso").unwrap();
    let r = s.request(
        "GET",
        "/login/callback?code=abc&state=forged",
        &[("Cookie", &format!("ospo_sso={pending}"))],
        None,
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("does not belong"), "{}", r.body);
    assert!(r.cookie("ospo_session").is_none());
    let r = s.get("/login/callback?code=abc&state=x");
    assert_eq!(r.status, 403);
    assert!(r.body.contains("no sign-in was started"));

    // A replayed ID token (another sign-in's nonce) is refused.
    provider.replay_nonce(true);
    let r = sso_round_trip(&s, "/");
    assert_eq!(r.status, 403);
    assert!(r.body.contains("nonce"), "{}", r.body);
    assert!(r.cookie("ospo_session").is_none());
    provider.replay_nonce(false);

    // A person the provider knows but ospo does not gets no session, and is told why.
    provider.sign_in_as("stranger");
    let r = sso_round_trip(&s, "/");
    assert_eq!(r.status, 403);
    assert!(r.body.contains("no account"), "{}", r.body);
    assert!(r.cookie("ospo_session").is_none());

    // The provider refused nothing it should have accepted; the secret is not in the log.
    assert!(provider.refusals().is_empty(), "{:?}", provider.refusals());
    assert!(!s.log().contains(oidc::CLIENT_SECRET));
}
