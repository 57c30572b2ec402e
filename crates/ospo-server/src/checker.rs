//! The in-browser licence checker: its page, the page's script, and the WebAssembly build of
//! the engine it loads (built by `scripts/wasm.sh`; see the ospo-wasm crate).
//!
//! The page works in three ways, best first: the engine in the browser (WebAssembly, nothing
//! sent anywhere), the JSON API when the WebAssembly build is missing, and a plain form the
//! server answers when JavaScript is off. The state is in the query string in all three, so a
//! link shows the same result whichever way it is opened.

use crate::AppState;
use crate::pages::render;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use ospo_licence::{CheckRequest, Engine, Inbound, KnowledgeBase, Use};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Where the page loads the engine's JavaScript bindings from.
const ENGINE_URL: &str = "/checker/ospo_wasm.js";

/// The most components the page accepts in one question.
const MAX_COMPONENTS: usize = 50;

/// Adds the checker's templates to the website's.
pub(crate) fn templates(env: &mut Environment<'static>) {
    env.add_template("checker.html", include_str!("../templates/checker.html"))
        .expect("templates compile");
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/licences/check", get(page))
        .route("/checker/{file}", get(asset))
}

/// The folder with `scripts/wasm.sh`'s output, looked up once: `$OSPO_CHECKER_DIR`, else
/// `target/wasm` beside the running `target/{debug,release}/ospo`. `None`: the page falls
/// back to the JSON API.
fn engine_dir() -> Option<&'static PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = match std::env::var_os("OSPO_CHECKER_DIR") {
            Some(d) => PathBuf::from(d),
            None => std::env::current_exe()
                .ok()?
                .parent()?
                .parent()?
                .join("wasm"),
        };
        dir.join("ospo_wasm_bg.wasm").is_file().then_some(dir)
    })
    .as_ref()
}

/// The five uses with the words the page shows for them.
const USES: [(Use, &str, &str); 5] = [
    (
        Use::Merged,
        "Merged",
        "copied or compiled into one work (OSADL's view)",
    ),
    (Use::StaticLink, "Static link", "linked into one executable"),
    (
        Use::DynamicLink,
        "Dynamic link",
        "a shared library or plugin loaded at run time",
    ),
    (
        Use::Separate,
        "Separate",
        "shipped side by side, or a build tool only",
    ),
    (
        Use::Network,
        "Network",
        "offered as a service, not distributed",
    ),
];

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    exception: bool,
}

async fn page(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let mut components: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "inbound")
        .map(|(_, v)| v.clone())
        .take(MAX_COMPONENTS)
        .collect();
    let first = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let outbound = first("outbound");
    let use_ = first("use").parse::<Use>().unwrap_or(Use::Merged).as_str();
    // The server's answer, for visitors without JavaScript (and as the first paint otherwise).
    let given: Vec<String> = components
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let (report, error) = if given.is_empty() || outbound.is_empty() {
        (None, None)
    } else {
        let request = CheckRequest {
            inbound: Inbound::Many(given),
            outbound: outbound.clone(),
            use_: Some(use_.to_owned()),
            strict: false,
        };
        match request.run(&Engine::new(), Use::Merged, false) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    if components.is_empty() {
        components.push(String::new());
    }
    let kb = KnowledgeBase::get();
    let licences: Vec<Entry> = kb
        .licences()
        .iter()
        .chain(kb.exceptions())
        .filter(|p| !p.deprecated)
        .map(|p| Entry {
            id: &p.id,
            name: &p.name,
            exception: p.exception,
        })
        .collect();
    let titles: BTreeMap<&str, &str> = kb
        .sources()
        .map(|s| (s.key.as_str(), s.title.as_str()))
        .collect();
    let uses: Vec<_> = USES
        .iter()
        .map(|(u, label, help)| context! { value => u.as_str(), label => *label, help => *help })
        .collect();
    render(
        &s,
        "checker.html",
        context! {
            components,
            outbound,
            use_,
            uses,
            licences => Value::from(Serde(&licences)),
            titles => Value::from(Serde(&titles)),
            report => Value::from(Serde(&report)),
            error,
            engine => engine_dir().map(|_| ENGINE_URL),
            // Inline: one request less before the page is shown.
            css => Value::from_safe_string(include_str!("../static/checker.css").to_owned()),
        },
    )
}

/// The page's own files (in the binary) and the engine's (from [`engine_dir`]), with an ETag so
/// a repeat visit revalidates (304) instead of downloading, and the browser keeps its compiled
/// copy of the engine.
async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let script = "text/javascript; charset=utf-8";
    let (content_type, body): (&str, Cow<'static, [u8]>) = match file.as_str() {
        "checker.js" => (
            script,
            Cow::Borrowed(include_bytes!("../static/checker.js")),
        ),
        "checker.css" => (
            "text/css; charset=utf-8",
            Cow::Borrowed(include_bytes!("../static/checker.css")),
        ),
        "sw.js" => (script, Cow::Borrowed(include_bytes!("../static/sw.js"))),
        "ospo_wasm.js" | "ospo_wasm_bg.wasm" => {
            let Some(dir) = engine_dir() else {
                return not_built();
            };
            let path = dir.join(&file);
            match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
                Ok(Ok(bytes)) if file.ends_with(".wasm") => ("application/wasm", Cow::Owned(bytes)),
                Ok(Ok(bytes)) => (script, Cow::Owned(bytes)),
                _ => return not_built(),
            }
        }
        _ => return (StatusCode::NOT_FOUND, "no such file").into_response(),
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        // Revalidated on every load, so a rebuilt engine is picked up at once.
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::ETAG, etag),
        // The service worker (sw.js) may control the checker page, outside /checker/.
        (
            HeaderName::from_static("service-worker-allowed"),
            "/licences/check".to_owned(),
        ),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, body.into_owned()).into_response()
}

/// FNV-1a, 64 bits: a content tag for ETags, not a security hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn not_built() -> Response {
    (
        StatusCode::NOT_FOUND,
        "the WebAssembly checker is not built: run scripts/wasm.sh (the page uses the JSON API meanwhile)",
    )
        .into_response()
}
