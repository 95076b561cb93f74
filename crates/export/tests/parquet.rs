//! The `parquet` exporter against the `csv` exporter on the same documents: the contract's
//! types, the same rows, and values that read back through the `parquet` reader.

use std::collections::BTreeSet;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use export::{CsvExporter, CsvOptions, ExportContext, ParquetExporter, ParquetOptions, TABLES};
use model::{Capability, Claim, Document, Entity, EntityKind, Exporter, Quote, QuoteKind, Table};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

const TEXT: &str = "Jane Doe said, “=Prices rose 12.5 percent.” Doe works at Acme.";

/// A document with a quote that starts like a formula, an entity with two aliases and a claim;
/// every third one is failed.
fn document(i: usize) -> Document {
    let mut doc = Document::new(format!("d{i}"), format!("d{i}.txt"), TEXT.to_string());
    if i % 3 == 2 {
        doc.fail("clean", "broken on purpose");
        return doc;
    }
    doc.meta.published = chrono::NaiveDate::from_ymd_opt(2025, 8, 21);
    doc.meta.authors = vec!["Ann Lee".into(), "Bo Kim".into()];
    let open = TEXT.find('“').unwrap() + '“'.len_utf8();
    let close = TEXT.find('”').unwrap();
    let span = doc.span(open..close);
    doc.quotes.push(Quote {
        id: "q1".into(),
        text: TEXT[open..close].to_string(),
        kind: QuoteKind::Full,
        speaker: Some("Jane Doe".into()),
        speaker_mention: Some("Jane Doe".into()),
        speaker_kind: None,
        cue: Some("said".into()),
        via: None,
        continues: None,
        key: "prices rose 12 5 percent".into(),
        span: span.clone(),
    });
    doc.entities.push(Entity {
        id: "e1".into(),
        name: "Jane Doe".into(),
        kind: EntityKind::Person,
        role: None,
        aliases: vec!["Doe".into(), "Jane".into()],
        mentions: 2,
        key: "jane doe".into(),
        value: None,
        anchor: None,
    });
    doc.claims.push(Claim {
        id: "c1".into(),
        text: "12.5 percent".into(),
        value: 12.5,
        unit: "percent".into(),
        subject: Some("prices".into()),
        qualifier: None,
        span,
    });
    doc
}

fn context(dir: &Path, instance: &str) -> ExportContext {
    ExportContext {
        output_dir: dir.to_path_buf(),
        capabilities: BTreeSet::from([
            Capability::CleanText,
            Capability::Quotes,
            Capability::Entities,
            Capability::Claims,
        ]),
        instance: instance.to_string(),
    }
}

/// Runs `exporter` over seven documents and one corpus table.
fn export(mut exporter: Box<dyn Exporter>) {
    for i in 0..7 {
        exporter.write_document(&document(i)).unwrap();
    }
    let corpus = Table::from_rows(
        "quote_groups",
        &["group_id", "text", "doc_ids"],
        vec![
            vec!["g1".into(), "=Prices rose".into(), "d0|d1".into()],
            vec!["g2".into(), "Other".into(), "d3".into()],
        ],
    );
    exporter.write_table(&corpus).unwrap();
    exporter.finish().unwrap();
}

/// The file's batches and how many row groups it has.
fn read(path: &Path) -> (Vec<RecordBatch>, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let groups = builder.metadata().num_row_groups();
    let batches = builder.build().unwrap().map(Result::unwrap).collect();
    (batches, groups)
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn parquet_tables_have_the_csv_rows_with_real_types() {
    let dir = tempfile::tempdir().unwrap();
    let options = ParquetOptions {
        row_group_rows: 2,
        ..ParquetOptions::default()
    };
    export(Box::new(
        ParquetExporter::new(options, &context(dir.path(), "parquet")).unwrap(),
    ));
    export(Box::new(
        CsvExporter::new(CsvOptions::default(), &context(dir.path(), "csv")).unwrap(),
    ));

    for table in TABLES.iter().map(|t| t.name).chain(["quote_groups"]) {
        let (batches, groups) = read(&dir.path().join(format!("{table}.parquet")));
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let csv = csv_rows(&dir.path().join(format!("{table}.csv")));
        assert_eq!(rows, csv.len(), "{table}");
        assert_eq!(
            groups,
            rows.div_ceil(2),
            "{table}: a row group per two rows"
        );
        let contract = TABLES.iter().find(|t| t.name == table);
        if let (Some(contract), Some(batch)) = (contract, batches.first()) {
            let schema = batch.schema();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let want: Vec<&str> = contract.columns.iter().map(|c| c.name).collect();
            assert_eq!(names, want, "{table}");
        }
    }

    let (documents, _) = read(&dir.path().join("documents.parquet"));
    let documents = arrow_select_concat(&documents);
    let schema = documents.schema();
    assert_eq!(
        schema.field_with_name("published").unwrap().data_type(),
        &DataType::Date32
    );
    assert_eq!(
        schema.field_with_name("words").unwrap().data_type(),
        &DataType::Int64
    );
    let published = documents["published"].as_primitive::<Date32Type>();
    assert_eq!(
        published.value(0),
        Date32Type::from_naive_date(chrono::NaiveDate::from_ymd_opt(2025, 8, 21).unwrap())
    );
    // Failed documents have no date and no word count: nulls, not zeros or empty strings.
    assert!(published.is_null(2) && documents["words"].is_null(2));
    let csv_documents = csv_rows(&dir.path().join("documents.csv"));
    let words = documents["words"].as_primitive::<Int64Type>().value(0);
    assert_eq!(words.to_string(), csv_documents[0][7]);
    let authors = documents["author"].as_list::<i32>().value(0);
    let authors: Vec<&str> = authors.as_string::<i32>().iter().flatten().collect();
    assert_eq!(authors, ["Ann Lee", "Bo Kim"]);

    let (quotes, _) = read(&dir.path().join("quotes.parquet"));
    let quotes = arrow_select_concat(&quotes);
    // The formula guard is for spreadsheets: Parquet keeps the text as it is.
    assert_eq!(
        quotes["text"].as_string::<i32>().value(0),
        "=Prices rose 12.5 percent."
    );
    let csv_quotes = csv_rows(&dir.path().join("quotes.csv"));
    assert_eq!(&csv_quotes[0][2], "'=Prices rose 12.5 percent.");
    let start = quotes["start"].as_primitive::<Int64Type>().value(0);
    assert_eq!(start.to_string(), csv_quotes[0][9]);
    assert!(quotes["speaker_kind"].is_null(0));

    let (claims, _) = read(&dir.path().join("claims.parquet"));
    assert_eq!(
        claims[0]["value"].as_primitive::<Float64Type>().value(0),
        12.5
    );
    let (groups, _) = read(&dir.path().join("quote_groups.parquet"));
    assert_eq!(
        groups[0]["text"].as_string::<i32>().value(0),
        "=Prices rose"
    );
}

/// The batches of one file as one batch.
fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
    arrow_select::concat::concat_batches(&batches[0].schema(), batches).unwrap()
}
