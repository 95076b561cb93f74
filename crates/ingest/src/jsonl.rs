//! JSONL articles: `{"id": …, "text": …}` plus optional `title`, `url`, `published`,
//! `author` and `source`, one per line.

use std::io::BufRead;

use chrono::NaiveDate;
use model::Document;
use serde::Deserialize;

use crate::decode::{decode_owned, decode_string};
use crate::{IngestOptions, STAGE};

/// One physical line of a JSONL input, numbered from 1.
pub struct Line {
    pub number: usize,
    pub bytes: Result<Vec<u8>, String>,
}

/// Lines of a JSONL input, blank ones skipped, each bounded in size.
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
            match read_line(&mut self.reader, &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Line {
                        number: self.number,
                        bytes: Err(format!("cannot read: {e}")),
                    })
                }
            }
            self.last_len = buf.len();
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let bytes = if buf.len() as u64 > self.max_bytes {
                Err(format!(
                    "line is {} bytes, over the limit of {} (ingest.max_file_bytes)",
                    buf.len(),
                    self.max_bytes
                ))
            } else {
                Ok(buf)
            };
            return Some(Line {
                number: self.number,
                bytes,
            });
        }
    }
}

/// `BufRead::read_until(b'\n', buf)`, finding the newline with the `memchr` crate (the
/// standard library's byte search is several times slower on long lines).
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => {
                buf.extend_from_slice(&available[..=i]);
                (true, i + 1)
            }
            None => {
                buf.extend_from_slice(available);
                (available.is_empty(), available.len())
            }
        };
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

#[derive(Deserialize)]
struct Article {
    id: Option<serde_json::Value>,
    text: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    author: Option<Authors>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Authors {
    One(String),
    Many(Vec<String>),
}

/// A document from one JSONL line. Problems become a failed document that names the line.
pub fn parse_line(line: Line, label: &str, _options: &IngestOptions) -> Document {
    let source = numbered(label, ':', line.number);
    // Only failures and articles without an id need it.
    let number = line.number;
    let fallback_id = || numbered("line", '-', number);
    let bytes = match line.bytes {
        Ok(b) => b,
        Err(message) => return Document::failed(fallback_id(), source, STAGE, message),
    };
    let decoded = decode_owned(bytes);
    let article: Article = match serde_json::from_str(decoded.text.trim_end()) {
        Ok(a) => a,
        Err(e) => {
            return Document::failed(fallback_id(), source, STAGE, format!("invalid JSON: {e}"))
        }
    };
    let id = match article.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id(),
    };
    let Some(text) = article.text else {
        return Document::failed(id, source, STAGE, "no \"text\" field");
    };
    let text = decode_string(text); // a BOM or line endings inside the JSON string
    if text.trim().is_empty() {
        return Document::failed(id, source, STAGE, "empty \"text\"");
    }
    let mut doc = Document::new(id, source, text);
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
    if let Some(p) = article.published {
        match parse_published(&p) {
            Some(date) => doc.meta.published = Some(date),
            None => doc.warn(
                STAGE,
                format!("\"published\" is not a date (YYYY-MM-DD or RFC 3339): {p:?}"),
            ),
        }
    }
    doc
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
        parse_line(line, "in.jsonl", &IngestOptions::default())
    }

    #[test]
    fn fields_are_read() {
        let d = parse(
            r#"{"id":7,"text":"Hi.\r\nThere.","author":["A","B"],"published":"2025-08-21T10:00:00Z","source":"AP"}"#,
        );
        assert!(d.is_ok());
        assert_eq!(d.id, "7");
        assert_eq!(d.text, "Hi.\nThere.");
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
                let n = read_line(&mut ours, &mut a).unwrap();
                assert_eq!(n, std_reader.read_until(b'\n', &mut b).unwrap());
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
    }
}
