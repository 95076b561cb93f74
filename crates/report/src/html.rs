//! Escaping and the small pieces of markup every section uses.

use std::fmt::Write;

/// Appends `text` with the five characters that mean something in HTML escaped, so any
/// article text (titles, quotes, names) is shown as text and never read as markup.
pub fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// `text` cut to `max` characters (with an ellipsis), for labels that must fit a chart.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

/// A number with thin thousands separators (`12 345`), as people read counts.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// `1 quote` / `2 quotes`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A table: caption, header cells and rows of ready-made cell markup. A header starting
/// with `#` is a column of numbers (right-aligned, never broken).
pub fn table(out: &mut String, caption: &str, headers: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        out,
        "<div class=\"table\"><table><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    let numeric: Vec<bool> = headers.iter().map(|h| h.starts_with('#')).collect();
    for header in headers {
        let (class, name) = match header.strip_prefix('#') {
            Some(name) => (" class=\"n\"", name),
            None => ("", *header),
        };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape(name));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.get(i) == Some(&true) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A link to an anchor of the page when there is one, else the plain (escaped) text.
pub fn link(anchor: Option<&str>, text: &str) -> String {
    match anchor {
        Some(anchor) => format!("<a href=\"#{anchor}\">{}</a>", escape(text)),
        None => escape(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_shown_not_run() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("Zelenskyy’s “plan”"), "Zelenskyy’s “plan”");
    }

    #[test]
    fn counts_and_labels_read_as_people_write_them() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(plural(1, "quote", "quotes"), "1 quote");
        assert_eq!(plural(3, "quote", "quotes"), "3 quotes");
        assert_eq!(shorten("Ursula von der Leyen", 9), "Ursula vo…");
        assert_eq!(shorten("Rubio", 9), "Rubio");
    }
}
