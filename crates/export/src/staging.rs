//! Write-then-rename: nothing reaches its final name before [`Staging::commit`].

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use model::StageError;

/// A staging folder inside the output folder, and the files written into it.
pub struct Staging {
    output_dir: PathBuf,
    dir: PathBuf,
    files: Vec<PathBuf>,
    committed: bool,
}

impl Staging {
    /// `name` distinguishes two exporters of one run (their instance names).
    pub fn new(output_dir: &Path, name: &str) -> Result<Self, StageError> {
        let dir = output_dir.join(format!(".newsmill-staging-{name}-{}", std::process::id()));
        if dir.exists() {
            let _ = fs::remove_dir_all(&dir);
        }
        fs::create_dir_all(&dir)
            .map_err(|e| StageError::new(format!("{}: cannot create: {e}", dir.display())))?;
        Ok(Staging {
            output_dir: output_dir.to_path_buf(),
            dir,
            files: Vec::new(),
            committed: false,
        })
    }

    /// Creates `relative` in the staging folder, to be moved to the output folder on commit.
    pub fn create(&mut self, relative: &str) -> Result<BufWriter<File>, StageError> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                StageError::new(format!("{}: cannot create: {e}", parent.display()))
            })?;
        }
        let file = File::create(&path)
            .map_err(|e| StageError::new(format!("{}: cannot create: {e}", path.display())))?;
        self.files.push(PathBuf::from(relative));
        Ok(BufWriter::with_capacity(64 * 1024, file))
    }

    /// Moves every staged file to its final name (each rename is atomic) and removes the
    /// staging folder.
    pub fn commit(mut self) -> Result<(), StageError> {
        for relative in &self.files {
            let from = self.dir.join(relative);
            let to = self.output_dir.join(relative);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| {
                    StageError::new(format!("{}: cannot create: {e}", parent.display()))
                })?;
            }
            fs::rename(&from, &to).map_err(|e| {
                StageError::new(format!(
                    "cannot move {} to {}: {e}",
                    from.display(),
                    to.display()
                ))
            })?;
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // An exporter dropped before commit (an error, an interrupted run) leaves the previous
        // outputs as they were and no half-written files behind.
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
