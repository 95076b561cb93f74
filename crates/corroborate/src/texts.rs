//! Texts the stage prints only in its final rows (quote ids and texts, claim texts): they wait
//! in an unnamed temporary file, so memory holds what grouping compares and not what it
//! merely copies to the output. The file is the page cache's to hold, not the process's.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

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
    /// The `N` fields of the record at `at`.
    pub fn read<const N: usize>(&self, at: TextAt) -> Result<[String; N], String> {
        self.read_nth(at, 0)
    }

    /// The `N` fields of the record after the `skip` records of `N` fields at `at` (a
    /// document's records are found from where its first one starts).
    pub fn read_nth<const N: usize>(&self, at: TextAt, skip: u32) -> Result<[String; N], String> {
        let fail = |e: std::io::Error| format!("temporary file: {e}");
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut file = BufReader::with_capacity(4096, file);
        file.seek(SeekFrom::Start(at)).map_err(fail)?;
        let mut read_field = || {
            let mut len = [0u8; 4];
            file.read_exact(&mut len).map_err(fail)?;
            let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
            file.read_exact(&mut bytes).map_err(fail)?;
            String::from_utf8(bytes).map_err(|_| "temporary file: corrupt text".to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_by_address() {
        let mut file = TextFile::default();
        let a = file.push(&["q1", "“We will not give up,” he said"]);
        let b = file.push(&["Ukraine controls about 30%"]);
        let c = file.push(&["", "é"]);
        let reader = file.into_reader().unwrap();
        assert_eq!(reader.read::<1>(b).unwrap(), ["Ukraine controls about 30%"]);
        assert_eq!(reader.read::<2>(c).unwrap(), ["", "é"]);
        assert_eq!(reader.read::<2>(a).unwrap()[0], "q1");
        assert_eq!(reader.read_nth::<1>(b, 1).unwrap(), [""]);
    }
}
