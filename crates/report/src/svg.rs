//! The charts, drawn as inline SVG. Bars are placed in percentages of the chart's width and
//! labels in pixels, so a chart fills any width (a phone's, a printed page's) with its text at
//! the page's size; each chart names itself for screen readers and is followed by its numbers
//! as a table.

use std::fmt::Write;

use crate::html::escape;

/// One row of a horizontal bar chart: a label and two values drawn as two bars.
pub struct BarRow {
    pub label: String,
    pub first: u64,
    pub second: u64,
}

const ROW: usize = 46;
const LEGEND: usize = 26;

/// Horizontal bars, two per row (`names.0` in the accent colour, `names.1` in the muted one),
/// each scaled to the largest value of its series.
pub fn bars(id: &str, title: &str, names: (&str, &str), rows: &[BarRow]) -> String {
    let height = LEGEND + rows.len() * ROW;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart bars\" id=\"{id}\" width=\"100%\" height=\"{height}\" role=\"img\" \
         aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>",
        escape(title)
    );
    legend(&mut out, names);
    let max = |f: fn(&BarRow) -> u64| rows.iter().map(f).max().unwrap_or(0).max(1) as f64;
    let (max_first, max_second) = (max(|r| r.first), max(|r| r.second));
    for (i, row) in rows.iter().enumerate() {
        let y = LEGEND + i * ROW;
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{}\" class=\"label\">{}</text>",
            y + 14,
            escape(&row.label)
        );
        bar(&mut out, y + 20, row.first as f64 / max_first, "first");
        bar(&mut out, y + 32, row.second as f64 / max_second, "second");
    }
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, (first, second): (&str, &str)) {
    let _ = write!(
        out,
        "<rect x=\"0\" y=\"4\" width=\"12\" height=\"12\" class=\"first\"/>\
         <text x=\"18\" y=\"15\" class=\"axis\">{}</text>\
         <rect x=\"96\" y=\"4\" width=\"12\" height=\"12\" class=\"second\"/>\
         <text x=\"114\" y=\"15\" class=\"axis\">{}</text>",
        escape(first),
        escape(second)
    );
}

fn bar(out: &mut String, y: usize, share: f64, class: &str) {
    // A value above zero stays visible as a sliver, however small its share.
    let percent = if share > 0.0 {
        (share * 100.0).max(0.5)
    } else {
        0.0
    };
    let _ = write!(
        out,
        "<rect x=\"0\" y=\"{y}\" width=\"{percent:.1}%\" height=\"9\" rx=\"2\" class=\"{class}\"/>"
    );
}

/// One bar of the timeline: its labels and the two counts.
pub struct Bucket {
    /// For the table (`week of 2024-05-06`).
    pub label: String,
    /// Under the bar, short (`2024-05-06`).
    pub axis: String,
    pub documents: u64,
    pub quotes: u64,
}

const PANEL: f64 = 70.0;
const TOP: f64 = 22.0;
const GAP: f64 = 34.0;
const LEFT: f64 = 44.0;

/// Documents and quotes per bucket, as two bar panels one above the other sharing the time
/// axis. Drawn in a view box that scales to the page (so it prints whole), at most as wide as
/// its bars need.
pub fn timeline(id: &str, title: &str, unit: &str, buckets: &[Bucket]) -> String {
    let n = buckets.len().max(1) as f64;
    let width = (LEFT + n * 14.0 + 8.0).clamp(320.0, 760.0);
    let height = TOP + 2.0 * PANEL + GAP + 30.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart timeline\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" \
         style=\"max-width:{width}px\" role=\"img\" aria-labelledby=\"{id}-title\">\
         <title id=\"{id}-title\">{}</title>",
        escape(title)
    );
    let slot = (width - LEFT - 8.0) / n;
    let documents: Vec<u64> = buckets.iter().map(|b| b.documents).collect();
    let quotes: Vec<u64> = buckets.iter().map(|b| b.quotes).collect();
    let panels = [
        ("Documents", "first", TOP, documents),
        ("Quotes", "second", TOP + PANEL + GAP, quotes),
    ];
    for (name, class, top, values) in panels {
        let label = format!("{name} per {unit}");
        panel(&mut out, (&label, class), top, (width, slot), &values);
    }
    axis_labels(&mut out, buckets, slot, height - 8.0);
    out.push_str("</svg>");
    out
}

/// One row of bars from `top`, scaled to its largest value, with its name and a base line.
fn panel(
    out: &mut String,
    (label, class): (&str, &str),
    top: f64,
    (width, slot): (f64, f64),
    values: &[u64],
) {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let _ = write!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" class=\"axis\">{} (max {max})</text>\
         <line x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" class=\"base\"/>",
        top - 8.0,
        escape(label),
        width - 8.0,
        top + PANEL,
        top + PANEL
    );
    let bar_width = (slot * 0.7).min(40.0);
    for (i, &value) in values.iter().enumerate() {
        let h = PANEL * value as f64 / max as f64;
        let x = LEFT + i as f64 * slot + (slot - bar_width) / 2.0;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\" class=\"{class}\"/>",
            top + PANEL - h
        );
    }
}

/// The first and last buckets' labels, and a few between when there is room.
fn axis_labels(out: &mut String, buckets: &[Bucket], slot: f64, y: f64) {
    let n = buckets.len();
    let step = (n / 4).max(1);
    let mut shown: Vec<usize> = (0..n).step_by(step).collect();
    if n > 1 && shown.last() != Some(&(n - 1)) {
        if n - 1 - shown[shown.len() - 1] < step / 2 + 1 {
            shown.pop();
        }
        shown.push(n - 1);
    }
    for i in shown {
        let x = LEFT + (i as f64 + 0.5) * slot;
        let anchor = match i {
            0 if n > 1 => "start",
            i if i + 1 == n && n > 1 => "end",
            _ => "middle",
        };
        let x = match anchor {
            "start" => LEFT,
            "end" => LEFT + n as f64 * slot,
            _ => x,
        };
        let _ = write!(
            out,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"{anchor}\" class=\"axis\">{}</text>",
            escape(&buckets[i].axis)
        );
    }
}
