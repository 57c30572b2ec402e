//! Horizontal bar charts as inline SVG, drawn in integers so the same rows give the same bytes.

use super::Row;
use super::render::escape;
use std::fmt::Write;

/// Width of the whole chart.
const WIDTH: u64 = 640;
/// Where the bars start (labels are right-aligned before it).
const BAR_X: u64 = 220;
/// The longest bar; room is left after it for the count.
const BAR_MAX: u64 = 340;
/// Height of one row, and of a bar within it.
const ROW: u64 = 26;
const BAR: u64 = 18;
/// Labels longer than this are shortened in the chart (the table below shows them whole).
const LABEL_CHARS: usize = 30;

/// A bar chart of `rows` titled `title`; `id` makes the title's and description's ids unique
/// on the page. The chart is an image with a title and a description listing every number,
/// and each bar carries its own title (a tooltip) and its count as text.
pub(crate) fn bar_chart(id: &str, title: &str, rows: &[Row]) -> String {
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u64 + 8;
    let desc: Vec<String> = rows
        .iter()
        .map(|r| format!("{}: {}", r.label, r.count))
        .collect();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\">\n<title id=\"{id}-title\">{}</title>\n\
         <desc id=\"{id}-desc\">{}</desc>\n",
        escape(title),
        escape(&desc.join("; ")),
    );
    for (i, r) in rows.iter().enumerate() {
        let top = 4 + ROW * i as u64;
        let text_y = top + 14;
        // At least one pixel for a non-zero count, so a small value stays visible.
        let width = match r.count {
            0 => 0,
            n => (n * BAR_MAX / max).max(1),
        };
        let label = shorten(&r.label);
        let _ = writeln!(
            s,
            "<g class=\"bar\"><text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\" \
             font-size=\"13\" fill=\"#1a1a1a\">{}</text>\
             <rect x=\"{BAR_X}\" y=\"{}\" width=\"{width}\" height=\"{BAR}\" fill=\"#0b5cad\">\
             <title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{text_y}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text></g>",
            BAR_X - 8,
            escape(&label),
            top + 1,
            escape(&r.label),
            r.count,
            BAR_X + width + 6,
            r.count,
        );
    }
    s.push_str("</svg>\n");
    s
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_count_and_text_is_escaped() {
        let rows = vec![
            Row {
                label: "<b>&co".into(),
                count: 4,
            },
            Row {
                label: "two".into(),
                count: 2,
            },
            Row {
                label: "none".into(),
                count: 0,
            },
        ];
        let svg = bar_chart("k", "A & B", &rows);
        assert!(svg.contains("width=\"340\" height=\"18\""), "{svg}");
        assert!(svg.contains("width=\"170\" height=\"18\""), "{svg}");
        assert!(svg.contains("width=\"0\" height=\"18\""), "{svg}");
        assert!(svg.contains("&lt;b&gt;&amp;co"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("<title id=\"k-title\">A &amp; B</title>"));
        assert!(svg.contains("<desc id=\"k-desc\">&lt;b&gt;&amp;co: 4; two: 2; none: 0</desc>"));
        let long = shorten("medical imaging and radiotherapy planning");
        assert_eq!(long.chars().count(), LABEL_CHARS);
        assert!(long.ends_with('…'));
    }
}
