//! Write-then-rename: nothing reaches its final name before [`Staging::commit`], and a run's
//! outputs become the output folder's together, in one rename ([`OutputFolder::commit`]).

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Component, Path, PathBuf};

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
        // Config validation keeps exporters' folders inside the output folder; this keeps any
        // other caller there too.
        let inside = Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            return Err(StageError::new(format!(
                "{relative}: not a path inside the output folder"
            )));
        }
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

/// The hidden folder of an output folder that holds its generations, the pointer to the
/// current one and the lock.
pub const STATE_DIR: &str = ".newsmill";
const CURRENT: &str = "current";
const LOCK: &str = "lock";
const GENERATION: &str = "gen-";
/// A link being made, before it is renamed into the output folder.
const LINK_PREFIX: &str = "link.";

/// An output folder being written by one run, committed as a whole with one rename.
///
/// Layout: each run writes a new generation, `.newsmill/gen-NNNNNN/`, and commits by renaming
/// a fresh symbolic link over `.newsmill/current` (the one rename: before it a reader sees the
/// previous run whole, after it the new one whole). What users read, `out/quotes.csv` and the
/// like, are links to `.newsmill/current/quotes.csv`: a table the current run did not write is
/// a dangling link, removed right after the commit (or at the next start, if the run died in
/// between). A lock (`.newsmill/lock`, held for the run) keeps two runs from writing one folder;
/// the generations of dead runs are removed by the next run once it holds the lock.
pub struct OutputFolder {
    root: PathBuf,
    generation: PathBuf,
    /// The generation `current` pointed to at the start, removed once the commit is done.
    previous: Option<PathBuf>,
    committed: bool,
    /// Held (locked) for the life of the run; closing it releases the lock.
    _lock: File,
}

impl OutputFolder {
    /// Locks `root` (created if missing), removes what dead runs left and opens a new
    /// generation to write into.
    pub fn open(root: &Path) -> Result<Self, StageError> {
        let state = root.join(STATE_DIR);
        fs::create_dir_all(&state).map_err(|e| io_error(&state, "cannot create", e))?;
        let lock = lock(&state.join(LOCK), root)?;
        let previous = fs::read_link(state.join(CURRENT))
            .ok()
            .and_then(|target| target.file_name().map(|n| state.join(n)));
        remove_dead(root, previous.as_deref())?;
        let number = previous
            .as_deref()
            .and_then(generation_number)
            .map_or(1, |n| n + 1);
        let generation = state.join(format!("{GENERATION}{number:06}"));
        fs::create_dir(&generation).map_err(|e| io_error(&generation, "cannot create", e))?;
        Ok(OutputFolder {
            root: root.to_path_buf(),
            generation,
            previous,
            committed: false,
            _lock: lock,
        })
    }

    /// The folder this run's exporters write into.
    pub fn staging_dir(&self) -> &Path {
        &self.generation
    }

    /// Makes the new generation the output: links its entries from the output folder, switches
    /// `current` to it (one rename), then removes the links and the generation it replaced.
    pub fn commit(mut self) -> Result<(), StageError> {
        let state = self.root.join(STATE_DIR);
        // The exporters' own staging folders are gone once they finished.
        let names = entry_names(&self.generation)?;
        for name in names.iter().filter(|n| !n.starts_with(".newsmill")) {
            link_entry(&self.root, name)?;
        }
        let generation_name = self.generation.file_name().unwrap_or_default();
        let pointer = state.join(format!("{CURRENT}.new"));
        let _ = fs::remove_file(&pointer);
        symlink(Path::new(generation_name), &pointer)?;
        let current = state.join(CURRENT);
        fs::rename(&pointer, &current).map_err(|e| io_error(&current, "cannot replace", e))?;
        self.committed = true;
        // The run is committed: what follows only tidies up, and the next start does it again
        // if it is interrupted.
        remove_stale_links(&self.root);
        if let Some(previous) = &self.previous {
            let _ = fs::remove_dir_all(previous);
        }
        Ok(())
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.generation);
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> StageError {
    StageError::new(format!("{}: {what}: {e}", path.display()))
}

/// Takes the lock of an output folder (released when the file is closed, by the process
/// ending if need be). The file stays empty, so that two runs' folders compare equal.
fn lock(path: &Path, root: &Path) -> Result<File, StageError> {
    let file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| io_error(path, "cannot open", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(StageError::new(format!(
            "output folder {} is being written by another newsmill run: wait for it to end or choose another --output",
            root.display()
        ))),
        Err(fs::TryLockError::Error(e)) => Err(io_error(path, "cannot lock", e)),
    }
}

fn generation_number(path: &Path) -> Option<u64> {
    path.file_name()?
        .to_str()?
        .strip_prefix(GENERATION)?
        .parse()
        .ok()
}

/// With the lock held no other run is writing: every generation but the current one is a dead
/// run's, and so are the staging folders of earlier versions and links left dangling.
fn remove_dead(root: &Path, current: Option<&Path>) -> Result<(), StageError> {
    let state = root.join(STATE_DIR);
    for name in entry_names(&state)? {
        let path = state.join(&name);
        let dead_generation = name.starts_with(GENERATION) && Some(path.as_path()) != current;
        if dead_generation {
            let _ = fs::remove_dir_all(&path);
        } else if name.starts_with(&format!("{CURRENT}.new")) || name.starts_with(LINK_PREFIX) {
            let _ = fs::remove_file(&path);
        }
    }
    for name in entry_names(root)? {
        // Folders of the exporters, single files of the report, in versions before generations.
        if name.starts_with(".newsmill-staging-") {
            let path = root.join(&name);
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }
    remove_stale_links(root);
    Ok(())
}

fn entry_names(dir: &Path) -> Result<Vec<String>, StageError> {
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, "cannot list", e))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// Where the output folder's link to entry `name` of the current generation points.
fn link_target(name: &str) -> PathBuf {
    Path::new(STATE_DIR).join(CURRENT).join(name)
}

/// Makes `root/name` a link into the current generation. An entry of that name that is not
/// such a link (the outputs of a version without generations) is replaced.
fn link_entry(root: &Path, name: &str) -> Result<(), StageError> {
    let path = root.join(name);
    let target = link_target(name);
    if fs::read_link(&path).is_ok_and(|t| t == target) {
        return Ok(());
    }
    if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(&path).map_err(|e| io_error(&path, "cannot replace", e))?;
    }
    let temporary = root.join(STATE_DIR).join(format!("{LINK_PREFIX}{name}"));
    let _ = fs::remove_file(&temporary);
    symlink(&target, &temporary)?;
    fs::rename(&temporary, &path).map_err(|e| io_error(&path, "cannot replace", e))
}

/// Removes the output folder's links into the current generation that lead nowhere: tables
/// the current run did not write.
fn remove_stale_links(root: &Path) {
    let Ok(names) = entry_names(root) else { return };
    for name in names {
        let path = root.join(&name);
        let ours = fs::read_link(&path).is_ok_and(|t| t == link_target(&name));
        if ours && fs::metadata(&path).is_err() {
            let _ = fs::remove_file(&path);
        }
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<(), StageError> {
    std::os::unix::fs::symlink(target, link).map_err(|e| io_error(link, "cannot create link", e))
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> Result<(), StageError> {
    Err(StageError::new(format!(
        "{}: output folders need symbolic links (Unix)",
        link.display()
    )))
}
