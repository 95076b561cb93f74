//! JSONL articles: `{"id": …, "text": …}` plus optional `title`, `url`, `published`,
//! `author` and `source`, one per line, each read by serde_json. (A hand-written parser for
//! the common shape was dropped: under callgrind it saved 0.7% of the instructions of
//! `clean, quotes, entities, claims, csv` on 3 MB of the bench corpus, 1,061.7 M against
//! 1,068.8 M.)

use std::io::BufRead;

use chrono::NaiveDate;
use model::{Document, Format};
use serde::Deserialize;

use crate::decode::{decode_owned, decode_string};
use crate::STAGE;

/// One physical line of a JSONL input, numbered from 1.
pub struct Line {
    pub number: usize,
    pub bytes: Result<Vec<u8>, String>,
}

/// Lines of a JSONL input, blank ones skipped, each bounded in size: a line longer than the
/// limit is passed over as it is read, never held whole.
pub struct Lines<R> {
    reader: R,
    number: usize,
    max_bytes: u64,
    /// The last line's length: lines of a file are alike, so a new line's buffer starts
    /// at about that size (up to 1 MiB) rather than growing and being copied several times.
    last_len: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max_bytes: u64) -> Self {
        Lines {
            reader,
            number: 0,
            max_bytes,
            last_len: 0,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let guess = (self.last_len + self.last_len / 8).min(1 << 20);
            let mut buf = Vec::with_capacity(guess);
            self.number += 1;
            let length = match read_line(&mut self.reader, &mut buf, self.max_bytes) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) => {
                    return Some(Line {
                        number: self.number,
                        bytes: Err(format!("cannot read: {e}")),
                    })
                }
            };
            self.last_len = buf.len();
            if length > self.max_bytes {
                let message = format!(
                    "line is {length} bytes, over the limit of {} (ingest.max_file_bytes)",
                    self.max_bytes
                );
                return Some(Line {
                    number: self.number,
                    bytes: Err(message),
                });
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Line {
                number: self.number,
                bytes: Ok(buf),
            });
        }
    }
}

/// Reads a line (up to and with its `\n`) into `buf`, but keeps no more than `max` bytes of
/// it: the rest of a longer line is read and dropped. Returns the line's whole length, 0 at
/// the end of the input. The newline is found with `memchr`, several times faster than the
/// standard library's byte search on long lines.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: u64) -> std::io::Result<u64> {
    let (mut read, mut over) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => (true, i + 1),
            None => (available.is_empty(), available.len()),
        };
        if !over && read + used as u64 > max {
            // Over the limit: what was kept is of no use, and nothing more is kept.
            over = true;
            buf.clear();
        }
        if !over {
            buf.extend_from_slice(&available[..used]);
        }
        reader.consume(used);
        read += used as u64;
        if done {
            return Ok(read);
        }
    }
}

#[derive(Deserialize)]
struct Article {
    id: Option<serde_json::Value>,
    text: Option<String>,
    /// A web page instead of a text: the `extract_html` stage finds its article.
    html: Option<String>,
    title: Option<String>,
    url: Option<String>,
    /// Read as any JSON value: a number or a malformed date is a warning, not a failure.
    published: Option<serde_json::Value>,
    author: Option<Authors>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Authors {
    One(String),
    Many(Vec<String>),
}

/// The `id` of a line, read on its own: a line whose other fields are wrong still has the
/// id it gives, and a shard that only needs the ids of the lines before its share reads
/// nothing else (its other fields are skipped over, not kept).
#[derive(Deserialize)]
struct GivenId {
    id: Option<serde_json::Value>,
}

/// The id a line's document gets before it is made unique: the line's own `id` (a
/// non-empty string, or a number as written) if the line is a JSON object, else `line-N`.
/// [`parse_line`] gives its document this id whatever else it finds in the line.
pub fn line_id(line: Line) -> String {
    let number = line.number;
    line.bytes
        .ok()
        .and_then(|bytes| given_id(&decode_owned(bytes).text))
        .unwrap_or_else(|| numbered("line", '-', number))
}

fn given_id(json: &str) -> Option<String> {
    let id = serde_json::from_str::<GivenId>(json).ok()?.id;
    id_text(id)
}

fn id_text(id: Option<serde_json::Value>) -> Option<String> {
    match id? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A document from one JSONL line. Problems become a failed document that names the line.
pub fn parse_line(line: Line, label: &str) -> Document {
    let source = numbered(label, ':', line.number);
    // Only failures and articles without an id need it.
    let number = line.number;
    let fallback_id = || numbered("line", '-', number);
    let bytes = match line.bytes {
        Ok(b) => b,
        Err(message) => return Document::failed(fallback_id(), source, STAGE, message),
    };
    let decoded = decode_owned(bytes);
    let article = match serde_json::from_str::<Article>(&decoded.text) {
        Ok(a) => a,
        Err(e) => {
            let id = given_id(&decoded.text).unwrap_or_else(fallback_id);
            return Document::failed(id, source, STAGE, format!("invalid JSON: {e}"));
        }
    };
    let id = id_text(article.id).unwrap_or_else(fallback_id);
    let (text, format, field) = match (article.text, article.html) {
        (Some(text), _) => (text, Format::Text, "text"),
        (None, Some(html)) => (html, Format::Html, "html"),
        (None, None) => return Document::failed(id, source, STAGE, "no \"text\" field"),
    };
    let text = decode_string(text); // a BOM or line endings inside the JSON string
    if text.trim().is_empty() {
        return Document::failed(id, source, STAGE, format!("empty \"{field}\""));
    }
    let mut doc = Document::new(id, source, text);
    doc.format = format;
    if let Some(w) = decoded.warning {
        doc.warn(STAGE, w);
    }
    doc.meta.title = article.title.filter(|t| !t.trim().is_empty());
    doc.meta.url = article.url;
    doc.meta.outlet = article.source;
    doc.meta.authors = match article.author {
        Some(Authors::One(a)) if !a.trim().is_empty() => vec![a],
        Some(Authors::Many(v)) => v,
        _ => Vec::new(),
    };
    if let Some(warning) = article.published.and_then(|p| set_published(&mut doc, p)) {
        doc.warn(STAGE, warning);
    }
    doc
}

/// Fills the document's date from `published`, or says why it cannot.
fn set_published(doc: &mut Document, published: serde_json::Value) -> Option<String> {
    let date = match &published {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => parse_published(s),
        _ => None,
    };
    match date {
        Some(date) => {
            doc.meta.published = Some(date);
            None
        }
        None => Some(format!(
            "\"published\" is not a date (YYYY-MM-DD or RFC 3339), left empty: {published}"
        )),
    }
}

/// `{prefix}{sep}{n}`, written without the formatting machinery, which costs several times
/// more for every line read.
fn numbered(prefix: &str, sep: char, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(prefix.len() + 1 + digits.len() - at);
    out.push_str(prefix);
    out.push(sep);
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
    out
}

fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Document {
        let line = Line {
            number: 3,
            bytes: Ok(s.as_bytes().to_vec()),
        };
        parse_line(line, "in.jsonl")
    }

    #[test]
    fn fields_are_read() {
        let d = parse(
            r#"{"id":7,"text":"Hi.\r\nThere.","author":["A","B"],"published":"2025-08-21T10:00:00Z","source":"AP"}"#,
        );
        assert!(d.is_ok());
        assert_eq!(d.id, "7");
        assert_eq!(d.text(), "Hi.\nThere.");
        assert_eq!(d.meta.authors, vec!["A", "B"]);
        assert_eq!(d.meta.published.unwrap().to_string(), "2025-08-21");
        assert_eq!(d.meta.outlet.as_deref(), Some("AP"));
    }

    #[test]
    fn lines_read_as_read_until_reads_them() {
        let text = "a\n\n{\"x\": 1}\r\nlast without newline";
        for capacity in [1, 2, 3, 5, 64] {
            let mut ours = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            let mut std_reader = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            loop {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let n = read_line(&mut ours, &mut a, u64::MAX).unwrap();
                assert_eq!(n as usize, std_reader.read_until(b'\n', &mut b).unwrap());
                assert_eq!(a, b);
                if n == 0 {
                    break;
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 100, 123_456, usize::MAX] {
            assert_eq!(numbered("in.jsonl", ':', n), format!("in.jsonl:{n}"));
            assert_eq!(numbered("line", '-', n), format!("line-{n}"));
        }
    }

    #[test]
    fn bad_lines_fail_with_their_line_number() {
        let d = parse("{not json");
        assert!(!d.is_ok());
        assert_eq!(d.source, "in.jsonl:3");
        assert!(d.failure.unwrap().message.starts_with("invalid JSON"));
        let d = parse(r#"{"id":"x"}"#);
        assert_eq!(d.failure.unwrap().message, "no \"text\" field");
        // Wrong in another field, the line keeps its id.
        let d = parse(r#"{"id":"x","text":5}"#);
        assert_eq!(d.id, "x");
        assert!(d
            .failure
            .unwrap()
            .message
            .starts_with("invalid JSON: invalid type"));
    }

    #[test]
    fn a_line_has_the_same_id_read_alone_or_whole() {
        for json in [
            r#"{"id":"x","text":"t"}"#,
            r#"{"id":7,"text":5}"#,
            r#"{"id":"","text":"t"}"#,
            r#"{"id":null,"text":"t","id":"y"}"#,
            r#"{"id":"x","text":"t"} trailing"#,
            r#"{"id":["x"],"text":"t"}"#,
            r#"{"text":"t","text":"u","id":"dup"}"#,
            "not json",
            "\u{feff}{\"id\":\"bom\",\"text\":\"t\"}",
        ] {
            let line = |bytes: &[u8]| Line {
                number: 4,
                bytes: Ok(bytes.to_vec()),
            };
            let whole = parse_line(line(json.as_bytes()), "f");
            assert_eq!(line_id(line(json.as_bytes())), whole.id, "{json}");
        }
        let over = Line {
            number: 9,
            bytes: Err("too long".into()),
        };
        assert_eq!(line_id(over), "line-9");
    }

    #[test]
    fn a_published_date_that_is_not_one_is_a_warning() {
        for (published, shown) in [
            ("20250821", "20250821"),
            ("\"last Tuesday\"", "\"last Tuesday\""),
            ("[2025, 8, 21]", "[2025,8,21]"),
        ] {
            let d = parse(&format!(
                r#"{{"id":"a","text":"Hi.","published":{published}}}"#
            ));
            assert!(d.is_ok(), "{published}");
            assert_eq!(d.meta.published, None);
            let warning = &d.warnings[0].message;
            assert!(
                warning.starts_with("\"published\" is not a date"),
                "{warning}"
            );
            assert!(warning.ends_with(shown), "{warning}");
        }
        let d = parse(r#"{"id":"a","text":"Hi.","published":null}"#);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn a_line_over_the_limit_is_refused_without_being_kept() {
        let long = "x".repeat(10_000);
        let input = format!("{{\"text\":\"a\"}}\n{long}\n\n{{\"text\":\"b\"}}");
        for capacity in [1, 7, 64, 8192] {
            let reader = std::io::BufReader::with_capacity(capacity, input.as_bytes());
            let lines: Vec<Line> = Lines::new(reader, 100).collect();
            let numbers: Vec<usize> = lines.iter().map(|l| l.number).collect();
            assert_eq!(numbers, [1, 2, 4]);
            assert_eq!(lines[0].bytes.as_deref().unwrap(), b"{\"text\":\"a\"}\n");
            assert_eq!(
                lines[1].bytes.as_ref().unwrap_err(),
                "line is 10001 bytes, over the limit of 100 (ingest.max_file_bytes)"
            );
            assert_eq!(lines[2].bytes.as_deref().unwrap(), b"{\"text\":\"b\"}");
        }
        // The long line's bytes were never gathered: the buffer stays within the limit.
        let mut reader = std::io::BufReader::with_capacity(16, long.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 100).unwrap(), 10_000);
        assert!(buf.capacity() <= 2 * 100, "{}", buf.capacity());
    }
}
