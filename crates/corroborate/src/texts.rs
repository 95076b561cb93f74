//! Texts the stage prints only in its final rows (quote ids and texts, claim texts): they wait
//! in an unnamed temporary file, so memory holds what grouping compares and not what it
//! merely copies to the output. The file is the page cache's to hold, not the process's.

use std::fs::File;
use std::io::{BufWriter, Write};

/// Where a record starts in the file.
pub type TextAt = u64;

/// The file while documents are observed. `observe` cannot fail, so a write error is kept
/// and reported by [`TextFile::into_reader`].
#[derive(Default)]
pub struct TextFile {
    writer: Option<BufWriter<File>>,
    len: u64,
    error: Option<String>,
}

impl TextFile {
    /// Appends a record of `fields` (each written as its length, then its bytes).
    pub fn push(&mut self, fields: &[&str]) -> TextAt {
        let at = self.len;
        if let Err(e) = self.write(fields) {
            self.error.get_or_insert(e.to_string());
        }
        at
    }

    fn write(&mut self, fields: &[&str]) -> std::io::Result<()> {
        if self.error.is_some() {
            return Ok(());
        }
        let writer = match &mut self.writer {
            Some(w) => w,
            None => self
                .writer
                .insert(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?)),
        };
        for f in fields {
            writer.write_all(&(f.len() as u32).to_le_bytes())?;
            writer.write_all(f.as_bytes())?;
            self.len += 4 + f.len() as u64;
        }
        Ok(())
    }

    /// Where the next record will start.
    pub fn position(&self) -> TextAt {
        self.len
    }

    /// Ends writing: the file, ready to be read back by address.
    pub fn into_reader(self) -> Result<TextReader, String> {
        let fail = |e: String| format!("temporary file: {e}");
        if let Some(e) = self.error {
            return Err(fail(e));
        }
        let file = match self.writer {
            Some(w) => Some(w.into_inner().map_err(|e| fail(e.error().to_string()))?),
            None => None,
        };
        Ok(TextReader { file })
    }
}

/// Reads records back by address.
pub struct TextReader {
    file: Option<File>,
}

impl TextReader {
    /// The `N` fields of the record after the `skip` records of `N` fields that start the
    /// span `at..end` (a document's quotes), read in one go.
    pub fn read_in<const N: usize>(
        &self,
        (at, end): (TextAt, TextAt),
        skip: u32,
    ) -> Result<[String; N], String> {
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut bytes = vec![0u8; (end - at) as usize];
        read_exact_at(file, &mut bytes, at).map_err(|e| format!("temporary file: {e}"))?;
        let mut rest = &bytes[..];
        let mut read_field = || {
            let len = rest.get(..4).ok_or("temporary file: truncated")?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let field = rest.get(4..4 + len).ok_or("temporary file: truncated")?;
            let field =
                String::from_utf8(field.to_vec()).map_err(|_| "temporary file: corrupt text");
            rest = &rest[4 + len..];
            field
        };
        for _ in 0..skip as usize * N {
            read_field()?;
        }
        let mut fields: [String; N] = std::array::from_fn(|_| String::new());
        for field in &mut fields {
            *field = read_field()?;
        }
        Ok(fields)
    }
}

/// Fills `buf` from `offset` of `file`, in one positioned read where the system allows.
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_exact_at(file, buf, offset);
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = file;
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_by_address() {
        let mut file = TextFile::default();
        let a = file.push(&["q1", "“We will not give up,” he said"]);
        let b = file.push(&["Ukraine controls about 30%"]);
        let c = file.push(&["", "é"]);
        let end = file.position();
        let reader = file.into_reader().unwrap();
        let claim = reader.read_in::<1>((b, c), 0).unwrap();
        assert_eq!(claim, ["Ukraine controls about 30%"]);
        assert_eq!(reader.read_in::<2>((c, end), 0).unwrap(), ["", "é"]);
        assert_eq!(reader.read_in::<2>((a, b), 0).unwrap()[0], "q1");
        assert!(reader.read_in::<2>((a, b), 1).is_err());
    }
}
