//! Support for the end-to-end tests: find and run the real `ospo` binary.

pub mod oidc;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `ospo` binary built by cargo next to the test executable (or `$OSPO_BIN`).
pub fn ospo_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("OSPO_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test executable has a path");
    // target/<profile>/deps/<test> -> target/<profile>/ospo
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    let bin = dir.join(format!("ospo{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build --workspace --bins` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// A command running `ospo` with the given arguments.
pub fn ospo(args: &[&str]) -> Command {
    let mut c = Command::new(ospo_bin());
    c.args(args);
    c.env("NO_COLOR", "1");
    c
}

/// Runs `ospo` and returns its output.
pub fn run(args: &[&str]) -> Output {
    ospo(args).output().expect("ospo runs")
}

/// The standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository root (for fixtures).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}

/// A running `ospo serve` on a free port; stopped when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    log: tempfile::NamedTempFile,
}

impl Server {
    /// Starts `ospo serve --database DB --listen 127.0.0.1:0` and waits for its address.
    pub fn start(database: &str) -> Server {
        Server::start_with(database, &[])
    }

    /// Starts `ospo serve` with more options (`--oidc-issuer`, ...) or environment variables
    /// given as `("ENV:NAME", "value")`.
    pub fn start_with(database: &str, extra: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let mut cmd = ospo(&["serve", "--database", database, "--listen", "127.0.0.1:0"]);
        for (k, v) in extra {
            match k.strip_prefix("ENV:") {
                Some(name) => {
                    cmd.env(name, v);
                }
                None => {
                    cmd.args([k, v]);
                }
            }
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(log.reopen().expect("the log file"))
            .spawn()
            .expect("ospo serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints its address");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server { child, base, log }
    }

    /// What the server wrote to its log (stderr) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// GET a path; returns (status, headers in lower case, body).
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], None)
    }

    /// Sends a request with headers and an optional body over a fresh connection.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Response {
        request(
            self.base.trim_start_matches("http://"),
            method,
            path,
            headers,
            body,
        )
    }
}

/// GETs an absolute `http://` URL (another server than ospo, e.g. the SSO provider).
pub fn get_url(url: &str, headers: &[(&str, &str)]) -> Response {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    request(
        authority,
        "GET",
        if path.is_empty() { "/" } else { path },
        headers,
        None,
    )
}

/// Sends one request over a fresh connection and reads the whole response.
pub fn request(
    authority: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(authority).expect("connect to the server");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    stream.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    Response::parse(&raw)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response as the tests see it.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body (chunked transfer decoded).
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").expect("a header block");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            let mut out = String::new();
            let mut rest = rest;
            while let Some((size, after)) = rest.split_once("\r\n") {
                let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                if n == 0 {
                    break;
                }
                out.push_str(&after[..n]);
                rest = &after[n + 2..];
            }
            out
        } else {
            rest.to_owned()
        };
        Response {
            status,
            headers,
            body,
        }
    }

    /// The cookies the response sets, as `name=value` (empty values are deletions).
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next())
            .map(|c| c.trim().to_owned())
            .collect()
    }

    /// The value of a cookie the response sets, if it sets it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies()
            .into_iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A fresh PostgreSQL database on the test server (`OSPO_TEST_POSTGRES`, which
/// scripts/test.sh sets), created with psql; returns its URL.
pub fn fresh_postgres() -> String {
    let base = std::env::var("OSPO_TEST_POSTGRES").expect(
        "OSPO_TEST_POSTGRES is not set: run ./scripts/test.sh, or export OSPO_TEST_POSTGRES=$(./scripts/postgres.sh)",
    );
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "ospo_e2e_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        let o = Command::new("psql")
            .arg(&base)
            .arg("-qc")
            .arg(&sql)
            .output()
            .expect("psql runs");
        assert!(
            o.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let (prefix, query) = base.split_once('?').unwrap_or((&base, ""));
    format!(
        "{}/{name}?{query}",
        prefix.rsplit_once('/').expect("a database in the URL").0
    )
}
