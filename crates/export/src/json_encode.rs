//! The compact JSON of a document (`documents.jsonl` and the stdout stream), written by hand.
//!
//! serde's derived serializer is the definition of the schema: `json_export::DocumentJson`
//! and the records' `Serialize` impls in `model`. Going through it costs a call per key and
//! value, and the `#[serde(flatten)]` spans send every key of every quote, mention and claim
//! through string escaping. This writer emits the same bytes with the keys as constants. In
//! debug builds every document the JSON exporter writes is checked against serde's output, and
//! every record is destructured without `..`, so that a field added in `model` fails to
//! compile here rather than go missing from the output.

use model::{
    Claim, Dateline, Document, Entity, Failure, Heading, Mention, Metadata, Quote, RemovedLine,
    Span, Status, Warning,
};

use crate::encode::{push_json_body, push_json_str, push_usize, Cursor, Out};

/// Writes the compact JSON line of `doc` (newline included) at the start of `buf`: its
/// length, or `None` when `buf` is too short for it. `words` is its word count.
pub(crate) fn line_into(buf: &mut [u8], doc: &Document, words: usize) -> Option<usize> {
    let len = buf.len();
    let mut out = Cursor {
        rest: buf,
        full: false,
    };
    push_document(&mut out, doc, words);
    out.put_byte(b'\n');
    (!out.full).then(|| len - out.rest.len())
}

/// Appends the compact JSON object of `doc` (no newline). `words` is its word count.
// Inlined into its two callers, so that `line_into`'s cursor stays in registers.
#[inline(always)]
pub(crate) fn push_document<O: Out>(out: &mut O, doc: &Document, words: usize) {
    let Metadata {
        title,
        published,
        authors,
        image_credits,
        volume,
        issue,
        dateline,
        url,
        outlet,
        modified,
        language,
        section,
        ..
    } = &doc.meta;
    let ok = doc.is_ok();

    out.put(b"{\"id\":");
    push_json_str(out, &doc.id);
    out.put(b",\"source\":");
    push_json_str(out, &doc.source);
    out.put(match doc.status {
        Status::Ok => b",\"status\":\"ok\"",
        Status::Failed => b",\"status\":\"failed\"",
    });
    out.put(b",\"error\":");
    match &doc.failure {
        Some(Failure { stage, message }) => {
            out.put(b"{\"stage\":");
            push_json_str(out, stage);
            out.put(b",\"message\":");
            push_json_str(out, message);
            out.put_byte(b'}');
        }
        None => out.put(b"null"),
    }
    out.put(b",\"title\":");
    push_opt_str(out, title);
    out.put(b",\"published\":");
    push_opt_date(out, published);
    out.put(b",\"authors\":");
    push_str_array(out, authors);
    out.put(b",\"image_credits\":");
    push_str_array(out, image_credits);
    out.put(b",\"volume\":");
    push_opt_str(out, volume);
    out.put(b",\"issue\":");
    push_opt_str(out, issue);
    out.put(b",\"dateline\":");
    match dateline {
        Some(Dateline {
            place,
            agency,
            text,
        }) => {
            out.put(b"{\"place\":");
            push_json_str(out, place);
            out.put(b",\"agency\":");
            push_opt_str(out, agency);
            out.put(b",\"text\":");
            push_json_str(out, text);
            out.put_byte(b'}');
        }
        None => out.put(b"null"),
    }
    out.put(b",\"url\":");
    push_opt_str(out, url);
    out.put(b",\"outlet\":");
    push_opt_str(out, outlet);
    out.put(b",\"modified\":");
    push_opt_date(out, modified);
    out.put(b",\"language\":");
    push_opt_str(out, language);
    out.put(b",\"section\":");
    push_opt_str(out, section);
    out.put(b",\"words\":");
    push_usize(out, if ok { words } else { 0 });
    out.put(b",\"paragraphs\":");
    push_usize(out, if ok { doc.paragraphs.len() } else { 0 });

    out.put(b",\"headings\":");
    push_array(out, &doc.headings, |out, heading| {
        let Heading {
            text,
            before_paragraph,
            line,
        } = heading;
        out.put(b"{\"text\":");
        push_json_str(out, text);
        out.put(b",\"before_paragraph\":");
        push_usize(out, *before_paragraph);
        out.put(b",\"line\":");
        push_usize(out, *line);
        out.put_byte(b'}');
    });

    out.put(b",\"text\":");
    push_json_str(out, doc.text());

    out.put(b",\"removed\":");
    push_array(out, &doc.removed, |out, removed| {
        let RemovedLine { line, reason, text } = removed;
        out.put(b"{\"line\":");
        push_usize(out, *line);
        out.put(b",\"reason\":");
        push_json_str(out, reason);
        out.put(b",\"text\":");
        push_json_str(out, text);
        out.put_byte(b'}');
    });

    out.put(b",\"quotes\":[");
    push_records(out, &doc.quotes, b"{\"id\":\"", |out, quote| {
        let Quote {
            id,
            text,
            kind,
            speaker,
            speaker_mention,
            speaker_kind,
            cue,
            via,
            continues,
            key,
            span,
        } = quote;
        push_json_body(out, id);
        out.put(b"\",\"text\":\"");
        push_json_body(out, text);
        out.put(b"\",\"kind\":\"");
        push_json_body(out, kind.as_str());
        out.put(b"\",\"speaker\":");
        push_opt_str(out, speaker);
        out.put(b",\"speaker_mention\":");
        push_opt_str(out, speaker_mention);
        out.put(b",\"speaker_kind\":");
        match speaker_kind {
            Some(k) => push_json_str(out, k.as_str()),
            None => out.put(b"null"),
        }
        out.put(b",\"cue\":");
        push_opt_str(out, cue);
        out.put(b",\"via\":");
        push_opt_str(out, via);
        out.put(b",\"continues\":");
        push_opt_str(out, continues);
        out.put(b",\"key\":\"");
        push_json_body(out, key);
        push_span(out, b"\",\"start\":", span);
    });

    out.put(b",\"entities\":[");
    push_records(out, &doc.entities, b"{\"id\":\"", |out, entity| {
        let Entity {
            id,
            name,
            kind,
            role,
            aliases,
            mentions,
            key,
            value,
            anchor,
        } = entity;
        push_json_body(out, id);
        out.put(b"\",\"name\":\"");
        push_json_body(out, name);
        out.put(b"\",\"kind\":\"");
        push_json_body(out, kind.as_str());
        out.put(b"\",\"role\":");
        push_opt_str(out, role);
        out.put(b",\"aliases\":");
        push_str_array(out, aliases);
        out.put(b",\"mentions\":");
        push_usize(out, *mentions);
        out.put(b",\"key\":\"");
        push_json_body(out, key);
        out.put(b"\",\"value\":");
        push_opt_str(out, value);
        out.put(b",\"anchor\":");
        push_opt_str(out, anchor);
        out.put_byte(b'}');
    });

    out.put(b",\"mentions\":[");
    push_records(out, &doc.mentions, b"{\"entity_id\":\"", |out, mention| {
        let Mention {
            entity_id,
            text,
            span,
        } = mention;
        push_json_body(out, entity_id);
        out.put(b"\",\"text\":\"");
        push_json_body(out, text);
        push_span(out, b"\",\"start\":", span);
    });

    out.put(b",\"claims\":[");
    push_records(out, &doc.claims, b"{\"id\":\"", |out, claim| {
        let Claim {
            id,
            text,
            value,
            unit,
            subject,
            qualifier,
            span,
        } = claim;
        push_json_body(out, id);
        out.put(b"\",\"text\":\"");
        push_json_body(out, text);
        out.put(b"\",\"value\":");
        // Floats are rare; serde_json's own formatting (shortest round trip, `null` for NaN
        // and infinities) keeps them exactly as before.
        let mut room = [0u8; 64];
        let mut at = &mut room[..];
        serde_json::to_writer(&mut at, value).expect("a number fits in 64 bytes");
        let len = 64 - at.len();
        out.put(&room[..len]);
        out.put(b",\"unit\":\"");
        push_json_body(out, unit);
        out.put(b"\",\"subject\":");
        push_opt_str(out, subject);
        out.put(b",\"qualifier\":");
        push_opt_str(out, qualifier);
        push_span(out, b",\"start\":", span);
    });

    out.put(b",\"warnings\":");
    push_array(out, &doc.warnings, |out, warning| {
        let Warning { stage, message } = warning;
        out.put(b"{\"stage\":");
        push_json_str(out, stage);
        out.put(b",\"message\":");
        push_json_str(out, message);
        out.put_byte(b'}');
    });
    out.put_byte(b'}');
}

/// A date as a JSON string (its text has nothing to escape), or null.
#[inline(always)]
fn push_opt_date(out: &mut impl Out, date: &Option<chrono::NaiveDate>) {
    match date {
        Some(date) => {
            use std::io::Write;
            let mut room = [0u8; 64];
            let mut at = &mut room[..];
            write!(at, "\"{date}\"").expect("a date fits in 64 bytes");
            let len = 64 - at.len();
            out.put(&room[..len]);
        }
        None => out.put(b"null"),
    }
}

#[inline(always)]
fn push_opt_str(out: &mut impl Out, s: &Option<String>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.put(b"null"),
    }
}

#[inline(always)]
fn push_array<O: Out, T>(out: &mut O, items: &[T], mut push: impl FnMut(&mut O, &T)) {
    out.put_byte(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.put_byte(b',');
        }
        push(out, item);
    }
    out.put_byte(b']');
}

#[inline(always)]
fn push_str_array(out: &mut impl Out, items: &[String]) {
    // A loop of its own rather than `push_array` with a closure, which was not inlined.
    match items {
        [] => out.put(b"[]"),
        [first, rest @ ..] => {
            out.put(b"[\"");
            push_json_body(out, first);
            for item in rest {
                out.put(b"\",\"");
                push_json_body(out, item);
            }
            out.put(b"\"]");
        }
    }
}

/// The records of an array whose opening bracket is written: each starts with `open` (`{`
/// and the first key, with the first value's opening quote), after a comma but the first.
#[inline(always)]
fn push_records<O: Out, T>(
    out: &mut O,
    items: &[T],
    open: &[u8],
    mut push: impl FnMut(&mut O, &T),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.put_byte(b',');
        }
        out.put(open);
        push(out, item);
    }
    out.put_byte(b']');
}

/// The span's fields, flattened into the record that holds it, and the record's closing
/// brace (`bytes` is never exported). `lead` closes the field before and starts the first.
#[inline(always)]
fn push_span(out: &mut impl Out, lead: &[u8], span: &Span) {
    let Span {
        start,
        end,
        source_start,
        source_end,
        bytes: _,
    } = span;
    out.put(lead);
    push_usize(out, *start);
    out.put(b",\"end\":");
    push_usize(out, *end);
    out.put(b",\"source_start\":");
    push_usize(out, *source_start);
    out.put(b",\"source_end\":");
    push_usize(out, *source_end);
    out.put_byte(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Document;

    #[test]
    fn a_line_written_in_place_is_the_line_appended_or_nothing() {
        let mut doc = Document::new(
            "d\"1",
            "in.jsonl:1",
            "Line one, “quoted”.\n\nTab\there \\ and \u{1} control.".to_string(),
        );
        doc.meta.authors = vec!["A".into(), "B \"C\"".into()];
        doc.meta.published = chrono::NaiveDate::from_ymd_opt(2025, 8, 21);
        doc.warn(
            "clean",
            "a warning with a very long message to escape: \"yes\"",
        );
        let mut appended = Vec::new();
        push_document(&mut appended, &doc, 7);
        appended.push(b'\n');
        for room in 0..appended.len() + 3 {
            let mut buf = vec![b'x'; room];
            match line_into(&mut buf, &doc, 7) {
                Some(len) => {
                    assert!(room >= appended.len());
                    assert_eq!(&buf[..len], &appended[..]);
                }
                None => assert!(room < appended.len(), "room {room}"),
            }
        }
    }
}
