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

use crate::encode::{push_json_body, push_json_str, push_usize};

/// Appends the compact JSON object of `doc` (no newline). `words` is its word count.
pub(crate) fn push_document(out: &mut Vec<u8>, doc: &Document, words: usize) {
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
    } = &doc.meta;
    let ok = doc.is_ok();

    out.extend_from_slice(b"{\"id\":");
    push_json_str(out, &doc.id);
    out.extend_from_slice(b",\"source\":");
    push_json_str(out, &doc.source);
    out.extend_from_slice(match doc.status {
        Status::Ok => b",\"status\":\"ok\"",
        Status::Failed => b",\"status\":\"failed\"",
    });
    out.extend_from_slice(b",\"error\":");
    match &doc.failure {
        Some(Failure { stage, message }) => {
            out.extend_from_slice(b"{\"stage\":");
            push_json_str(out, stage);
            out.extend_from_slice(b",\"message\":");
            push_json_str(out, message);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"title\":");
    push_opt_str(out, title);
    out.extend_from_slice(b",\"published\":");
    match published {
        // A date's text has nothing to escape.
        Some(date) => {
            use std::io::Write;
            write!(out, "\"{date}\"").expect("write to a Vec");
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"authors\":");
    push_str_array(out, authors);
    out.extend_from_slice(b",\"image_credits\":");
    push_str_array(out, image_credits);
    out.extend_from_slice(b",\"volume\":");
    push_opt_str(out, volume);
    out.extend_from_slice(b",\"issue\":");
    push_opt_str(out, issue);
    out.extend_from_slice(b",\"dateline\":");
    match dateline {
        Some(Dateline {
            place,
            agency,
            text,
        }) => {
            out.extend_from_slice(b"{\"place\":");
            push_json_str(out, place);
            out.extend_from_slice(b",\"agency\":");
            push_opt_str(out, agency);
            out.extend_from_slice(b",\"text\":");
            push_json_str(out, text);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"url\":");
    push_opt_str(out, url);
    out.extend_from_slice(b",\"outlet\":");
    push_opt_str(out, outlet);
    out.extend_from_slice(b",\"words\":");
    push_usize(out, if ok { words } else { 0 });
    out.extend_from_slice(b",\"paragraphs\":");
    push_usize(out, if ok { doc.paragraphs.len() } else { 0 });

    out.extend_from_slice(b",\"headings\":");
    push_array(out, &doc.headings, |out, heading| {
        let Heading {
            text,
            before_paragraph,
            line,
        } = heading;
        out.extend_from_slice(b"{\"text\":");
        push_json_str(out, text);
        out.extend_from_slice(b",\"before_paragraph\":");
        push_usize(out, *before_paragraph);
        out.extend_from_slice(b",\"line\":");
        push_usize(out, *line);
        out.push(b'}');
    });

    out.extend_from_slice(b",\"text\":");
    push_json_str(out, &doc.text);

    out.extend_from_slice(b",\"removed\":");
    push_array(out, &doc.removed, |out, removed| {
        let RemovedLine { line, reason, text } = removed;
        out.extend_from_slice(b"{\"line\":");
        push_usize(out, *line);
        out.extend_from_slice(b",\"reason\":");
        push_json_str(out, reason);
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, text);
        out.push(b'}');
    });

    out.extend_from_slice(b",\"quotes\":[");
    push_records(out, &doc.quotes, b"{\"id\":\"", |out, quote| {
        let Quote {
            id,
            text,
            kind,
            speaker,
            speaker_mention,
            cue,
            continues,
            key,
            span,
        } = quote;
        push_json_body(out, id);
        out.extend_from_slice(b"\",\"text\":\"");
        push_json_body(out, text);
        out.extend_from_slice(b"\",\"kind\":\"");
        push_json_body(out, kind.as_str());
        out.extend_from_slice(b"\",\"speaker\":");
        push_opt_str(out, speaker);
        out.extend_from_slice(b",\"speaker_mention\":");
        push_opt_str(out, speaker_mention);
        out.extend_from_slice(b",\"cue\":");
        push_opt_str(out, cue);
        out.extend_from_slice(b",\"continues\":");
        push_opt_str(out, continues);
        out.extend_from_slice(b",\"key\":\"");
        push_json_body(out, key);
        push_span(out, b"\",\"start\":", span);
    });

    out.extend_from_slice(b",\"entities\":[");
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
        out.extend_from_slice(b"\",\"name\":\"");
        push_json_body(out, name);
        out.extend_from_slice(b"\",\"kind\":\"");
        push_json_body(out, kind.as_str());
        out.extend_from_slice(b"\",\"role\":");
        push_opt_str(out, role);
        out.extend_from_slice(b",\"aliases\":");
        push_str_array(out, aliases);
        out.extend_from_slice(b",\"mentions\":");
        push_usize(out, *mentions);
        out.extend_from_slice(b",\"key\":\"");
        push_json_body(out, key);
        out.extend_from_slice(b"\",\"value\":");
        push_opt_str(out, value);
        out.extend_from_slice(b",\"anchor\":");
        push_opt_str(out, anchor);
        out.push(b'}');
    });

    out.extend_from_slice(b",\"mentions\":[");
    push_records(out, &doc.mentions, b"{\"entity_id\":\"", |out, mention| {
        let Mention {
            entity_id,
            text,
            span,
        } = mention;
        push_json_body(out, entity_id);
        out.extend_from_slice(b"\",\"text\":\"");
        push_json_body(out, text);
        push_span(out, b"\",\"start\":", span);
    });

    out.extend_from_slice(b",\"claims\":[");
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
        out.extend_from_slice(b"\",\"text\":\"");
        push_json_body(out, text);
        out.extend_from_slice(b"\",\"value\":");
        // Floats are rare; serde_json's own formatting (shortest round trip, `null` for NaN
        // and infinities) keeps them exactly as before.
        serde_json::to_writer(&mut *out, value).expect("write to a Vec");
        out.extend_from_slice(b",\"unit\":\"");
        push_json_body(out, unit);
        out.extend_from_slice(b"\",\"subject\":");
        push_opt_str(out, subject);
        out.extend_from_slice(b",\"qualifier\":");
        push_opt_str(out, qualifier);
        push_span(out, b",\"start\":", span);
    });

    out.extend_from_slice(b",\"warnings\":");
    push_array(out, &doc.warnings, |out, warning| {
        let Warning { stage, message } = warning;
        out.extend_from_slice(b"{\"stage\":");
        push_json_str(out, stage);
        out.extend_from_slice(b",\"message\":");
        push_json_str(out, message);
        out.push(b'}');
    });
    out.push(b'}');
}

#[inline(always)]
fn push_opt_str(out: &mut Vec<u8>, s: &Option<String>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

#[inline(always)]
fn push_array<T>(out: &mut Vec<u8>, items: &[T], mut push: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push(out, item);
    }
    out.push(b']');
}

#[inline(always)]
fn push_str_array(out: &mut Vec<u8>, items: &[String]) {
    // A loop of its own rather than `push_array` with a closure, which was not inlined.
    match items {
        [] => out.extend_from_slice(b"[]"),
        [first, rest @ ..] => {
            out.extend_from_slice(b"[\"");
            push_json_body(out, first);
            for item in rest {
                out.extend_from_slice(b"\",\"");
                push_json_body(out, item);
            }
            out.extend_from_slice(b"\"]");
        }
    }
}

/// The records of an array whose opening bracket is written: each starts with `open` (`{`
/// and the first key, with the first value's opening quote), after a comma but the first.
#[inline(always)]
fn push_records<T>(
    out: &mut Vec<u8>,
    items: &[T],
    open: &[u8],
    mut push: impl FnMut(&mut Vec<u8>, &T),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(open);
        push(out, item);
    }
    out.push(b']');
}

/// The span's fields, flattened into the record that holds it, and the record's closing
/// brace (`bytes` is never exported). `lead` closes the field before and starts the first.
#[inline(always)]
fn push_span(out: &mut Vec<u8>, lead: &[u8], span: &Span) {
    let Span {
        start,
        end,
        source_start,
        source_end,
        bytes: _,
    } = span;
    out.extend_from_slice(lead);
    push_usize(out, *start);
    out.extend_from_slice(b",\"end\":");
    push_usize(out, *end);
    out.extend_from_slice(b",\"source_start\":");
    push_usize(out, *source_start);
    out.extend_from_slice(b",\"source_end\":");
    push_usize(out, *source_end);
    out.push(b'}');
}
