//! Which files a run reads, in which order.
//!
//! Folders are walked depth first with each folder's entries sorted by name, which is the
//! order of their paths sorted component by component: document order never depends on the
//! file system. Symlinks are followed, but every folder and file is known by its identity
//! (device and inode on Unix), so a symlink loop, a folder given twice or a file reached by
//! two paths is read once, by the first path in that order. The output folder is never
//! walked (the outputs of an earlier run are not articles), nor are hidden entries.

use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use crate::read::kind_of;
use crate::IngestError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// One article per file (`.txt`, `.md`, anything named explicitly).
    Article,
    /// One article per line.
    Jsonl,
    /// A web page (`.html`, `.htm`, `.html.gz`): the `extract_html` stage finds its article.
    Html,
    /// A web archive (`.warc`, `.warc.gz`): one document per HTML response record.
    Warc,
    /// A folder or file that could not be listed or examined: one failed document, with
    /// this message, so that it is a row in `errors.csv` and the run goes on.
    Unreadable(String),
}

impl InputKind {
    /// Whether the input gives exactly one document (so a run's length is known up front).
    pub fn one_document(&self) -> bool {
        !matches!(self, InputKind::Jsonl | InputKind::Warc)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub kind: InputKind,
}

/// A folder entry (or a named path) that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A name starting with `.` (files and folders alike).
    Hidden,
    /// A file whose extension is not in `ingest.extensions`.
    OtherExtension,
    /// A FIFO, socket or device (named, or behind a symlink): reading it could block or
    /// never end.
    NotRegular(&'static str),
    /// The output folder, found inside an input folder.
    OutputFolder,
    /// A file or folder already reached by the earlier path given.
    SameAs(PathBuf),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Hidden => write!(f, "hidden"),
            SkipReason::OtherExtension => write!(f, "not an article extension"),
            SkipReason::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            SkipReason::OutputFolder => write!(f, "the output folder"),
            SkipReason::SameAs(p) => write!(f, "the same as {}", p.display()),
        }
    }
}

/// The files to read and the entries passed over.
#[derive(Debug, Default)]
pub struct Planned {
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
}

/// Where the walk may not go and what it reads.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions<'a> {
    /// File extensions read when walking a folder (files named explicitly are always read).
    pub extensions: &'a [String],
    /// The run's output folder, never walked.
    pub output: Option<&'a Path>,
}

/// The files to read: explicit files as given, folders walked recursively (see the module
/// doc). A path that does not exist is an error; everything found while walking, even an
/// unreadable folder, is planned or skipped.
pub fn plan_inputs(paths: &[PathBuf], options: &WalkOptions) -> Result<Planned, IngestError> {
    let mut walker = Walker {
        extensions: options.extensions,
        output: options
            .output
            .and_then(|o| identity(o, &std::fs::metadata(o).ok()?)),
        seen: HashSet::new(),
        first_path: std::collections::HashMap::new(),
        planned: Planned::default(),
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) => walker.visit(path, &meta, true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(IngestError::Missing { path: path.clone() })
            }
            Err(e) => walker.unreadable(path, format!("cannot read: {e}")),
        }
    }
    Ok(walker.planned)
}

/// A file system object's identity: two paths with the same identity are the same object.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn identity(path: &Path, meta: &Metadata) -> Option<Identity> {
    #[cfg(unix)]
    {
        let _ = path;
        use std::os::unix::fs::MetadataExt;
        Some(Identity::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        path.canonicalize().ok().map(Identity::Path)
    }
}

struct Walker<'a> {
    extensions: &'a [String],
    output: Option<Identity>,
    seen: HashSet<Identity>,
    /// The path by which each object was first reached, for the skip message.
    first_path: std::collections::HashMap<Identity, PathBuf>,
    planned: Planned,
}

impl Walker<'_> {
    /// Plans `path` (`meta` follows symlinks); `named` when the user gave it, so any
    /// extension is read and hidden names are not skipped.
    fn visit(&mut self, path: &Path, meta: &Metadata, named: bool) {
        if !meta.is_dir() && !meta.is_file() {
            return self.skip(path, SkipReason::NotRegular(kind_of(meta)));
        }
        if !named && !meta.is_dir() && !has_extension(path, self.extensions) {
            return self.skip(path, SkipReason::OtherExtension);
        }
        let Some(id) = identity(path, meta) else {
            return self.unreadable(path, "cannot resolve the path".to_string());
        };
        if meta.is_dir() && self.output.as_ref() == Some(&id) {
            return self.skip(path, SkipReason::OutputFolder);
        }
        if !self.seen.insert(id.clone()) {
            let first = self.first_path[&id].clone();
            return self.skip(path, SkipReason::SameAs(first));
        }
        self.first_path.insert(id, path.to_path_buf());
        if meta.is_dir() {
            self.walk(path);
        } else {
            self.planned.files.push(input_file(path.to_path_buf()));
        }
    }

    fn walk(&mut self, dir: &Path) {
        let listed = std::fs::read_dir(dir).and_then(|entries| {
            let mut names = entries
                .map(|e| e.map(|e| e.file_name()))
                .collect::<std::io::Result<Vec<_>>>()?;
            names.sort();
            Ok(names)
        });
        let names = match listed {
            Ok(names) => names,
            Err(e) => return self.unreadable(dir, format!("cannot list folder: {e}")),
        };
        for name in names {
            let path = dir.join(&name);
            if name.to_string_lossy().starts_with('.') {
                self.skip(&path, SkipReason::Hidden);
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) => self.visit(&path, &meta, false),
                // A broken symlink or a vanished entry: an error if it looked like an article.
                Err(_) if !has_extension(&path, self.extensions) => {
                    self.skip(&path, SkipReason::OtherExtension)
                }
                Err(e) => self.unreadable(&path, format!("cannot read: {e}")),
            }
        }
    }

    fn skip(&mut self, path: &Path, reason: SkipReason) {
        let path = path.to_path_buf();
        self.planned.skipped.push(Skipped { path, reason });
    }

    fn unreadable(&mut self, path: &Path, message: String) {
        let path = path.to_path_buf();
        let kind = InputKind::Unreadable(message);
        self.planned.files.push(InputFile { path, kind });
    }
}

/// The skipped entries as summary lines: a count with an example for the ordinary ones
/// (hidden, other extensions) and for files and folders reached again, and a warning naming
/// each special file and the output folder.
pub fn skipped_summary(skipped: &[Skipped]) -> Vec<String> {
    let ordinary =
        |s: &&Skipped| matches!(s.reason, SkipReason::Hidden | SkipReason::OtherExtension);
    let again = |s: &&Skipped| matches!(s.reason, SkipReason::SameAs(_));
    let mut lines = Vec::new();
    let (count, first) = (
        skipped.iter().filter(ordinary).count(),
        skipped.iter().find(ordinary),
    );
    if let Some(first) = first {
        lines.push(format!(
            "skipped {count} files in input folders that are not articles (hidden, or another extension; e.g. {}): see ingest.extensions",
            first.path.display()
        ));
    }
    let (count, first) = (
        skipped.iter().filter(again).count(),
        skipped.iter().find(again),
    );
    if let Some(first) = first {
        lines.push(format!(
            "skipped {count} paths to files or folders already read (symlinks, hard links, inputs given twice; e.g. {}: {})",
            first.path.display(),
            first.reason
        ));
    }
    for s in skipped {
        match &s.reason {
            SkipReason::NotRegular(_) => lines.push(format!(
                "warning: {}: skipped: {}",
                s.path.display(),
                s.reason
            )),
            SkipReason::OutputFolder => {
                lines.push(format!("skipped {}: {}", s.path.display(), s.reason))
            }
            _ => {}
        }
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder that cannot be listed (gone by the time it is listed, here; permissions in
    /// life) is planned as a failed document, and the walk goes on.
    #[test]
    fn a_folder_that_cannot_be_listed_is_planned_as_unreadable() {
        let extensions = ["txt".to_string()];
        let mut walker = Walker {
            extensions: &extensions,
            output: None,
            seen: HashSet::new(),
            first_path: std::collections::HashMap::new(),
            planned: Planned::default(),
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Text.").unwrap();
        walker.walk(&dir.path().join("gone"));
        walker.walk(dir.path());
        let kinds: Vec<&InputKind> = walker.planned.files.iter().map(|f| &f.kind).collect();
        assert!(
            matches!(kinds[0], InputKind::Unreadable(m) if m.starts_with("cannot list folder: ")),
            "{kinds:?}"
        );
        assert_eq!(kinds[1], &InputKind::Article);
    }
}
