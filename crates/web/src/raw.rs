//! Raw-text elements taken out before parsing.
//!
//! The HTML5 tokenizer reads the content of `<script>`, `<style>` and a few others as raw
//! text up to the matching end tag; `tl` does not, and would read `if (a<b)` in a script as a
//! `<b>` element. They hold nothing of the article, so they are cut out here, with comments
//! (which may hold markup too), and the JSON-LD scripts are kept aside for the metadata.

use memchr::memmem;

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "noscript", "template", "iframe", "textarea", "xmp", "noembed",
];

pub struct Prepared {
    /// The page without raw-text content and comments.
    pub html: String,
    /// The content of each `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
}

pub fn prepare(page: &str) -> Prepared {
    let bytes = page.as_bytes();
    let mut html = String::with_capacity(page.len());
    let mut json_ld = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            let end = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |e| lt + 4 + e + 3);
            html.push_str(&page[copied..lt]);
            copied = end;
            at = end;
            continue;
        }
        let Some(name) = RAW_TEXT.iter().find(|n| starts_with_tag(rest, n)) else {
            at = lt + 1;
            continue;
        };
        let Some(open_end) = memchr::memchr(b'>', rest).map(|e| lt + 1 + e + 1) else {
            break;
        };
        let close = find_end_tag(&bytes[open_end..], name).map_or(bytes.len(), |e| open_end + e);
        if *name == "script" && is_json_ld(&page[lt..open_end]) {
            json_ld.push(page[open_end..close].to_string());
        }
        // Keep the (now empty) element itself: its end tag follows.
        html.push_str(&page[copied..open_end]);
        copied = close;
        at = close.max(open_end);
    }
    html.push_str(&page[copied..]);
    Prepared { html, json_ld }
}

fn starts_with_tag(rest: &[u8], name: &str) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(
            rest[name.len()],
            b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'\x0c'
        )
}

/// Offset of `</name` (any case) in `bytes`.
fn find_end_tag(bytes: &[u8], name: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = memmem::find(&bytes[at..], b"</") {
        let i = at + found;
        if starts_with_tag(&bytes[i + 2..], name) {
            return Some(i);
        }
        at = i + 2;
    }
    None
}

fn is_json_ld(open_tag: &str) -> bool {
    open_tag.to_ascii_lowercase().contains("ld+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_comments_are_cut_and_json_ld_kept() {
        let p = prepare(
            "<p>a</p><script>if (a<b) x('<div>')</script><!-- <div> --><STYLE>p{}</STYLE>\
             <script type=\"application/ld+json\">{\"headline\":\"H\"}</script><p>b</p>",
        );
        assert_eq!(
            p.html,
            "<p>a</p><script></script><STYLE></STYLE><script type=\"application/ld+json\"></script><p>b</p>"
        );
        assert_eq!(p.json_ld, vec!["{\"headline\":\"H\"}".to_string()]);
    }

    #[test]
    fn unclosed_raw_text_runs_to_the_end() {
        assert_eq!(prepare("<p>a</p><script>var x").html, "<p>a</p><script>");
        assert_eq!(prepare("<p>a<!-- never closed").html, "<p>a");
    }
}
