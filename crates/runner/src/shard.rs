//! Shard mode's done marker: written last, atomically, so that a rerun of a finished shard
//! (a retried Kubernetes pod, a resubmitted Slurm array task) does nothing.

use std::path::Path;

use crate::run::Outcome;

pub const DONE_MARKER: &str = "_DONE";

/// The exit code a finished shard ended with, if the marker is there.
pub fn finished(marker: &Path) -> Option<u8> {
    // A marker is a few lines of JSON; a larger file is not one of ours.
    let text = ingest::read_string_bounded(marker, 64 * 1024, "").ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(if json["failed"].as_u64().unwrap_or(0) > 0 {
        1
    } else {
        0
    })
}

pub fn mark_done(marker: &Path, outcome: &Outcome) -> std::io::Result<()> {
    let json = serde_json::json!({
        "documents": outcome.documents,
        "failed": outcome.failed,
        "files": outcome.files.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
    });
    let tmp = marker.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_string_pretty(&json)? + "\n")?;
    std::fs::rename(&tmp, marker)
}
