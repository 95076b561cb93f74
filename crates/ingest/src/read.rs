//! Bounded reads of regular files: a FIFO, a device or a socket (even behind a symlink named
//! `article.txt`) is refused before it can block or stream forever, and no read goes past the
//! limit whatever the file's metadata claims (a file may grow while it is read).

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// Why a bounded read gave no bytes.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a regular file ({kind}), not read")]
    NotRegular { kind: &'static str },
    #[error("file is over the limit of {limit} bytes{what}")]
    TooLarge { limit: u64, what: &'static str },
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

/// What kind of file system entry `meta` describes, in words, for messages.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "regular file";
    }
    if t.is_dir() {
        return "folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "named pipe (FIFO)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
    }
    "special file"
}

/// Opens `path` for reading if it is a regular file (following symlinks). The file is checked
/// before it is opened (opening a FIFO would wait for a writer) and again through the open
/// handle (it may have been swapped in between); on Unix it is opened non-blocking, which
/// changes nothing for a regular file and keeps a FIFO swapped in from blocking the open.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(&meta),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(&meta),
        });
    }
    Ok(file)
}

/// All of `reader`, or [`ReadError::TooLarge`] as soon as it gives more than `limit` bytes:
/// at most `limit + 1` bytes are ever held.
pub fn read_to_limit(
    reader: impl Read,
    limit: u64,
    size_hint: u64,
    what: &'static str,
) -> Result<Vec<u8>, ReadError> {
    // The hint (the file's metadata) only sizes the first allocation; the limit is enforced
    // on the bytes actually read.
    let capacity = size_hint.min(limit).saturating_add(1).min(1 << 26);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, what });
    }
    Ok(bytes)
}

/// A whole regular file of at most `limit` bytes. `what` ends the too-large message
/// (` (ingest.max_file_bytes)`, say), so it names the setting to change.
pub fn read_bounded(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_to_limit(file, limit, hint, what)
}

/// [`read_bounded`] for a text that must be UTF-8 (a config file).
pub fn read_string_bounded(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let message = format!("not valid UTF-8 (first bad byte at offset {at})");
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            message,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_limit_whatever_the_source() {
        // An endless reader: only limit + 1 bytes are taken from it.
        let endless = std::io::repeat(b'a');
        match read_to_limit(endless, 1000, 0, "") {
            Err(ReadError::TooLarge { limit: 1000, .. }) => {}
            other => panic!("{other:?}"),
        }
        let bytes = read_to_limit(&b"exactly ten"[..10], 10, 1 << 40, "").unwrap();
        assert_eq!(bytes, b"exactly te");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read_bounded(&link, 100, "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a regular file (character device), not read"
        );
        let fifo = dir.path().join("p.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_bounded(&fifo, 100, "").unwrap_err();
            assert!(e.to_string().contains("FIFO"), "{e}");
        }
        let e = read_bounded(dir.path(), 100, "").unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }
}
