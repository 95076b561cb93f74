//! Properties of decoding and JSONL reading over arbitrary bytes: never a panic, text that is
//! valid UTF-8 with `\n` line ends, the same answer every time, and one document per
//! non-blank line (nothing dropped, every id unique).

use ingest::{decode, decode_page, document_from_bytes, FileReader, IngestOptions};
use proptest::prelude::*;

/// Bytes that reach the interesting branches: BOMs, NULs, CR, quotes, high bytes.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xFE\xFF".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\x00".to_vec()),
        Just("“quoted” é".as_bytes().to_vec()),
        Just(b"<meta charset=\"utf-16\">".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..16),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// JSONL-ish lines: fragments of article objects, broken or not, and stray bytes.
fn jsonl() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(br#"{"id":"a","text":"Jane said, \"Yes.\""}"#.to_vec()),
        Just(br#"{"id":7,"text":"t","published":20250101}"#.to_vec()),
        Just(br#"{"id":"../../x","html":"<p>x</p>","author":["A",1]}"#.to_vec()),
        Just(br#"{"text":"\ud800","published":"2025-13-45"}"#.to_vec()),
        Just(br#"{"id":"a","text":" "}"#.to_vec()),
        Just(b"{\"text\":\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"   ".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..24),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

fn read_stream(input: &[u8], max_bytes: u64, capacity: usize) -> Vec<model::Document> {
    let options = IngestOptions {
        max_file_bytes: max_bytes,
        ..IngestOptions::default()
    };
    let reader = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(input.to_vec()));
    FileReader::new(Vec::new(), options)
        .then_stream(Box::new(reader), "<stdin>")
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_never_fails_and_is_deterministic(input in bytes()) {
        let a = decode(&input);
        let b = decode(&input);
        prop_assert_eq!(&a.text, &b.text);
        prop_assert_eq!(&a.warning, &b.warning);
        prop_assert!(!a.text.contains('\r'));
        // A String is valid UTF-8 by construction; its bytes say so once more.
        prop_assert!(std::str::from_utf8(a.text.as_bytes()).is_ok());
        let page = decode_page(&input, Some("utf-16"));
        prop_assert!(!page.text.contains('\r'));
        prop_assert_eq!(page.text, decode_page(&input, Some("utf-16")).text);
    }

    #[test]
    fn a_file_is_a_document_or_says_why_not(input in bytes()) {
        let doc = document_from_bytes("id".into(), "f.txt".into(), &input);
        match &doc.failure {
            None => {
                prop_assert!(!doc.text().trim().is_empty());
                prop_assert!(!doc.text().contains('\0'));
            }
            Some(f) => prop_assert!(!f.message.is_empty()),
        }
    }

    #[test]
    fn every_jsonl_line_is_one_document(
        input in jsonl(),
        max in prop_oneof![1u64..64, Just(1u64 << 20)],
        capacity in 1usize..32,
    ) {
        // A UTF-16 byte order mark changes what the lines are (see the next property).
        prop_assume!(!input.starts_with(b"\xFF\xFE") && !input.starts_with(b"\xFE\xFF"));
        let docs = read_stream(&input, max, capacity);
        // Blank lines are not documents; a line over the limit is one (it fails), blank or not,
        // since it is not kept to be looked at.
        let lines = input
            .split_inclusive(|&b| b == b'\n')
            .filter(|l| l.len() as u64 > max || !l.iter().all(u8::is_ascii_whitespace))
            .count();
        prop_assert_eq!(docs.len(), lines);
        let mut ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        prop_assert_eq!(ids.len(), count, "ids are unique");
        for d in &docs {
            prop_assert!(d.id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
            prop_assert!(d.source.starts_with("<stdin>:"));
        }
        // The buffer size changes nothing.
        let again = read_stream(&input, max, 64);
        let summary = |d: &[model::Document]| -> Vec<(String, String, bool)> {
            d.iter().map(|d| (d.id.clone(), d.text().to_string(), d.is_ok())).collect()
        };
        prop_assert_eq!(summary(&docs), summary(&again));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// JSONL in UTF-16 (little or big endian, by its byte order mark) reads as its UTF-8.
    #[test]
    fn utf16_jsonl_reads_as_its_utf8(input in jsonl(), big_endian in any::<bool>()) {
        let text = String::from_utf8_lossy(&input).into_owned();
        prop_assume!(!text.starts_with('\u{feff}'));
        let units = text.encode_utf16();
        let utf16: Vec<u8> = if big_endian {
            [0xFE, 0xFF].into_iter().chain(units.flat_map(u16::to_be_bytes)).collect()
        } else {
            [0xFF, 0xFE].into_iter().chain(units.flat_map(u16::to_le_bytes)).collect()
        };
        let summary = |d: Vec<model::Document>| -> Vec<(String, String, Option<String>)> {
            d.into_iter()
                .map(|d| (d.id.clone(), d.text().to_string(), d.failure.map(|f| f.message)))
                .collect()
        };
        let expected = summary(read_stream(text.as_bytes(), 1 << 20, 64));
        prop_assert_eq!(summary(read_stream(&utf16, 1 << 20, 64)), expected);
    }

    /// Shards read the JSONL files before their share for the ids only (a lighter parse):
    /// whatever the lines, the ids are those of one run.
    #[test]
    fn shards_of_any_jsonl_give_the_ids_of_one_run(
        parts in proptest::collection::vec(jsonl(), 1..4),
        max in prop_oneof![8u64..64, Just(1u64 << 20)],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<ingest::InputFile> = parts
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                let path = dir.path().join(format!("part-{i}.jsonl"));
                std::fs::write(&path, bytes).unwrap();
                ingest::InputFile { path, kind: ingest::InputKind::Jsonl }
            })
            .collect();
        let options = IngestOptions { max_file_bytes: max, ..IngestOptions::default() };
        let read = |files: &[ingest::InputFile], first: usize| -> Vec<String> {
            FileReader::new(files.to_vec(), options.clone())
                .starting_at(first)
                .map(|d| d.id)
                .collect()
        };
        let whole = read(&files, 0);
        for first in 1..=files.len() {
            let mut merged = read(&files[..first], 0);
            merged.extend(read(&files, first));
            prop_assert_eq!(&merged, &whole);
        }
    }
}

/// Reading stops at the end of a line over the limit: the reader is left at the next line.
#[test]
fn a_long_stream_line_is_passed_over() {
    let mut input = format!("{{\"id\":\"big\",\"text\":\"{}\"}}\n", "x".repeat(1 << 20));
    input.push_str("{\"id\":\"after\",\"text\":\"Still read.\"}\n");
    let docs = read_stream(input.as_bytes(), 1000, 1 << 12);
    assert_eq!(docs.len(), 2);
    let message = &docs[0].failure.as_ref().unwrap().message;
    let expected = format!(
        "line is {} bytes, over the limit of 1000",
        input.find('\n').unwrap() + 1
    );
    assert!(message.starts_with(&expected), "{message}");
    assert_eq!(docs[0].source, "<stdin>:1");
    assert_eq!(
        (docs[1].id.as_str(), docs[1].text()),
        ("after", "Still read.")
    );
}
