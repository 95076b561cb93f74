//! Which files a run reads, in which order.

use std::path::{Path, PathBuf};

use crate::IngestError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// One article per file (`.txt`, `.md`, anything named explicitly).
    Article,
    /// One article per line.
    Jsonl,
    /// A web page (`.html`, `.htm`, `.html.gz`): the `extract_html` stage finds its article.
    Html,
    /// A web archive (`.warc`, `.warc.gz`): one document per HTML response record.
    Warc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub kind: InputKind,
}

/// The files to read: explicit files as given, folders walked recursively; each folder's
/// files sorted by path so that document order never depends on the file system. Returns the
/// files and the folder entries passed over (other extensions, hidden files), for reporting.
pub fn plan_inputs(
    paths: &[PathBuf],
    extensions: &[String],
) -> Result<(Vec<InputFile>, Vec<PathBuf>), IngestError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            for p in found {
                let hidden = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if !hidden && has_extension(&p, extensions) {
                    files.push(input_file(p));
                } else {
                    skipped.push(p);
                }
            }
        } else if path.is_file() {
            files.push(input_file(path.clone()));
        } else {
            return Err(IngestError::Missing { path: path.clone() });
        }
    }
    Ok((files, skipped))
}

fn input_file(path: PathBuf) -> InputFile {
    let is = |exts: &[&str]| {
        let exts: Vec<String> = exts.iter().map(|e| e.to_string()).collect();
        has_extension(&path, &exts)
    };
    let kind = if is(&["jsonl"]) {
        InputKind::Jsonl
    } else if is(&["html", "htm", "xhtml", "html.gz", "htm.gz"]) {
        InputKind::Html
    } else if is(&["warc", "warc.gz"]) {
        InputKind::Warc
    } else {
        InputKind::Article
    };
    InputFile { path, kind }
}

/// Whether the file name ends in `.EXT` for one of `extensions` (which may hold dots:
/// `html.gz`), in any case.
fn has_extension(path: &Path, extensions: &[String]) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_lowercase()) else {
        return false;
    };
    extensions.iter().any(|x| {
        let x = x.to_lowercase();
        name.len() > x.len() + 1
            && name.ends_with(&x)
            && name.as_bytes()[name.len() - x.len() - 1] == b'.'
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    let entries = std::fs::read_dir(dir).map_err(|source| IngestError::Walk {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| IngestError::Walk {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
