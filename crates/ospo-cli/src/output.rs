//! The one place that prints errors, and small helpers for text output.

use std::io::Write;

/// Prints an error and its causes to stderr.
pub fn error(err: &anyhow::Error) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(e, "  caused by: {cause}");
    }
}

/// Whether the error is a write to a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints lenient-reading warnings to stderr.
pub fn warnings(ws: &[ospo_licence::Warning]) {
    let mut e = std::io::stderr().lock();
    for w in ws {
        let _ = writeln!(e, "warning: {w}");
    }
}

/// Wraps text at `width` columns with an indent.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A list item "- text" wrapped at `width`, continuation lines aligned under the text.
pub fn item(text: &str, indent: &str, width: usize) -> String {
    let inner = format!("{indent}  ");
    let wrapped = wrap(text, &inner, width);
    match wrapped.strip_prefix(inner.as_str()) {
        Some(rest) => format!("{indent}- {rest}"),
        None => wrapped,
    }
}
