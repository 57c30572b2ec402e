//! The report as HTML (a standalone page with SVG bar charts, or a fragment for the website),
//! Markdown and JSON.
//!
//! Output depends only on the [`Report`]: sections and rows keep the report's order, numbers
//! are formatted with fixed decimals, nothing reads a clock. The same report gives the same
//! bytes.

use super::{Kpi, KpiValue, Report, Row, percent, svg};
use std::fmt::Write;

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A standalone HTML page with inline SVG charts.
    Html,
    /// Markdown (tables for distributions).
    Markdown,
    /// Pretty-printed JSON of the [`Report`].
    Json,
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Html => html(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report's title.
pub fn title(report: &Report) -> String {
    format!("Open source report {}", report.year)
}

fn period(report: &Report) -> String {
    format!(
        "The catalogue as it stood on {}; events dated from {} to {} (UTC). Every figure is \
         computed from the catalogue's data and names its source.",
        report.to, report.from, report.to
    )
}

/// One decimal, as the report writes per cents and days.
fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// The value of a KPI in words (for distributions: the total).
pub fn value_text(value: &KpiValue) -> String {
    match value {
        KpiValue::Count { count } => count.to_string(),
        KpiValue::Share {
            count,
            of,
            percent: Some(p),
        } => format!("{count} of {of} ({} %)", one_decimal(*p)),
        KpiValue::Share { count, of, .. } => format!("{count} of {of}"),
        KpiValue::Durations {
            count,
            median_days: Some(median),
            p90_days: Some(p90),
            ..
        } => format!(
            "median {} days, 90th percentile {} days ({count} measured)",
            one_decimal(*median),
            one_decimal(*p90)
        ),
        KpiValue::Durations { .. } => "none measured".to_owned(),
        KpiValue::Distribution { total, .. } => format!("{total} in all"),
        KpiValue::NotMeasured { reason } => format!("not measured: {reason}"),
    }
}

fn row_percent(row: &Row, total: u64) -> String {
    percent(row.count, total).map_or_else(|| "-".to_owned(), |p| format!("{} %", one_decimal(p)))
}

/// The styles of the report's HTML (used by the standalone page and the website).
pub const STYLE: &str = "\
.ospo-report { max-width: 60rem; }
.ospo-report .kpi { border-top: 1px solid #ddd; padding: .5rem 0 1rem; }
.ospo-report .kpi h3 { font-size: 1.05rem; margin: .25rem 0; }
.ospo-report .value { font-size: 1.4rem; font-weight: 700; margin: .25rem 0; }
.ospo-report .source { color: #555; font-size: .9rem; margin: .25rem 0; }
.ospo-report .not-measured .value { color: #8a5a00; font-size: 1.1rem; }
.ospo-report svg.chart { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
.ospo-report table { border-collapse: collapse; width: auto; min-width: 20rem; }
.ospo-report th, .ospo-report td { text-align: left; border-bottom: 1px solid #ddd; padding: .2rem .6rem; }
.ospo-report td.n { text-align: right; font-variant-numeric: tabular-nums; }
";

/// The report as an HTML fragment (an `<article>`), for a page that has its own layout.
/// Every text is escaped; every chart has a table with the same numbers next to it.
pub fn html_fragment(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<article class=\"ospo-report\">");
    let _ = writeln!(s, "<h1>{}</h1>", escape(&title(report)));
    let _ = writeln!(s, "<p class=\"period\">{}</p>", escape(&period(report)));
    let _ = writeln!(s, "<nav aria-label=\"Sections\"><ul>");
    for sec in &report.sections {
        let _ = writeln!(
            s,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&sec.id),
            escape(&sec.title)
        );
    }
    let _ = writeln!(s, "</ul></nav>");
    for sec in &report.sections {
        let _ = writeln!(
            s,
            "<section id=\"{}\" aria-labelledby=\"{}-heading\">\n<h2 id=\"{}-heading\">{}</h2>",
            escape(&sec.id),
            escape(&sec.id),
            escape(&sec.id),
            escape(&sec.title)
        );
        for kpi in &sec.kpis {
            html_kpi(&mut s, kpi);
        }
        let _ = writeln!(s, "</section>");
    }
    let _ = writeln!(s, "</article>");
    s
}

fn html_kpi(s: &mut String, kpi: &Kpi) {
    let class = match kpi.value {
        KpiValue::NotMeasured { .. } => "kpi not-measured",
        _ => "kpi",
    };
    let id = format!("kpi-{}", kpi.id.replace('.', "-"));
    let _ = writeln!(
        s,
        "<div class=\"{class}\" id=\"{}\" data-kpi=\"{}\">\n<h3>{}</h3>\n<p class=\"value\">{}</p>",
        escape(&id),
        escape(&kpi.id),
        escape(&kpi.title),
        escape(&value_text(&kpi.value))
    );
    if let KpiValue::Distribution { total, rows } = &kpi.value {
        if rows.is_empty() {
            let _ = writeln!(s, "<p>No data.</p>");
        } else {
            s.push_str(&svg::bar_chart(&id, &kpi.title, rows));
            let _ = writeln!(
                s,
                "<table>\n<caption class=\"source\">{} (numbers of the chart)</caption>\n\
                 <thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Count</th>\
                 <th scope=\"col\">Share</th></tr></thead>\n<tbody>",
                escape(&kpi.title)
            );
            for r in rows {
                let _ = writeln!(
                    s,
                    "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    escape(&r.label),
                    r.count,
                    escape(&row_percent(r, *total))
                );
            }
            let _ = writeln!(s, "</tbody>\n</table>");
        }
    }
    let _ = writeln!(
        s,
        "<p class=\"source\">Computed from: {}</p>\n</div>",
        escape(&kpi.source)
    );
}

/// The report as a standalone HTML page: inline styles and SVG, no scripts, nothing fetched.
pub fn html(report: &Report) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>\n\
         body {{ margin: 0 auto; max-width: 62rem; padding: 1rem; \
         font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; }}\n{STYLE}</style>\n\
         </head>\n<body>\n<main>\n",
        escape(&title(report))
    );
    s.push_str(&html_fragment(report));
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

/// Escapes text for a Markdown table cell or paragraph.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The report as Markdown: a heading per section and KPI, a table per distribution.
pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n\n{}\n", md(&title(report)), md(&period(report)));
    for sec in &report.sections {
        let _ = writeln!(s, "## {}\n", md(&sec.title));
        for kpi in &sec.kpis {
            let _ = writeln!(
                s,
                "### {}\n\n**{}**\n",
                md(&kpi.title),
                md(&value_text(&kpi.value))
            );
            if let KpiValue::Distribution { total, rows } = &kpi.value
                && !rows.is_empty()
            {
                let _ = writeln!(s, "| Value | Count | Share |\n| --- | ---: | ---: |");
                for r in rows {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} |",
                        md(&r.label),
                        r.count,
                        row_percent(r, *total)
                    );
                }
                s.push('\n');
            }
            let _ = writeln!(s, "Computed from: {}\n", md(&kpi.source));
        }
    }
    // One newline at the end, whatever came last.
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// The report as pretty-printed JSON with a final newline.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising plain structs, strings and numbers cannot fail; say so if it ever does.
        format!("{{\"error\": \"{}\"}}", e.to_string().replace('"', "'"))
    });
    s.push('\n');
    s
}
