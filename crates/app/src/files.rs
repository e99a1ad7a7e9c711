//! Files fucai keeps beside the database (evidence, winner files): written whole or not at all.

use std::io::Write;
use std::path::Path;

use crate::error::{AppError, AppResult};

/// Writes `bytes` to `path` under a temporary name, syncs it and renames it, so a file under
/// its final name is always whole. An existing file is left as it is (the names are content
/// hashes: the same name is the same bytes).
pub(crate) fn write_whole(path: &Path, bytes: &[u8], what: &str) -> AppResult<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| AppError::context(what, e))?;
    }
    let partial = path.with_extension("partial");
    std::fs::File::create(&partial)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| AppError::context(what, e))
}
