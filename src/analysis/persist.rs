//! Snapshots kept on disk beside an SQLite database, so that a restarted
//! server answers its first breakdown from one file instead of rebuilding
//! from every stored response. A file is named after the definition and
//! data versions it holds and is used only while the database is still at
//! that data version; any stored change makes it stale.
use polars::prelude::{DataFrame, ParquetReader, ParquetWriter, SerReader};
use std::fs::{self, File};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

fn name(id: Uuid, definition_version: i32, data_version: i64, built_in: Duration) -> String {
    format!(
        "{id}-v{definition_version}-d{data_version}-b{}.parquet",
        built_in.as_millis()
    )
}

/// The frame saved for exactly these versions, with how long it once took
/// to build from the database.
pub fn load(
    dir: &Path,
    id: Uuid,
    definition_version: i32,
    data_version: i64,
) -> Option<(DataFrame, Duration)> {
    let wanted = format!("{id}-v{definition_version}-d{data_version}-b");
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(ms) = file
            .strip_prefix(&wanted)
            .and_then(|rest| rest.strip_suffix(".parquet"))
            .and_then(|ms| ms.parse::<u64>().ok())
        else {
            continue;
        };
        let frame = ParquetReader::new(File::open(entry.path()).ok()?)
            .finish()
            .ok()?;
        return Some((frame, Duration::from_millis(ms)));
    }
    None
}

/// Saves `frame` and removes the consultation's older files. Written under
/// a temporary name first, so that a crash never leaves a partial file
/// under a name that would be trusted.
pub fn save(
    dir: &Path,
    id: Uuid,
    definition_version: i32,
    data_version: i64,
    built_in: Duration,
    frame: &DataFrame,
) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let file = name(id, definition_version, data_version, built_in);
    let partial = dir.join(format!(".{file}.partial"));
    ParquetWriter::new(File::create(&partial)?)
        .finish(&mut frame.clone())
        .map_err(std::io::Error::other)?;
    fs::rename(&partial, dir.join(&file))?;
    let ours = format!("{id}-");
    for entry in fs::read_dir(dir)?.flatten() {
        let other = entry.file_name().to_string_lossy().into_owned();
        if other.starts_with(&ours) && other != file {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::Column;

    #[test]
    fn a_saved_frame_is_found_only_under_its_own_versions() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let id = Uuid::now_v7();
        let frame = DataFrame::new(
            2,
            vec![
                Column::new("q1".into(), [Some("agree"), None]),
                Column::new("__submitted".into(), [1i64, 2]),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        save(dir.path(), id, 1, 7, Duration::from_millis(1234), &frame)
            .unwrap_or_else(|e| panic!("{e}"));
        let (back, built_in) = load(dir.path(), id, 1, 7).unwrap_or_else(|| panic!("saved"));
        assert!(back.equals_missing(&frame));
        assert_eq!(built_in, Duration::from_millis(1234));
        assert!(load(dir.path(), id, 1, 8).is_none(), "newer data: stale");
        assert!(load(dir.path(), id, 2, 7).is_none(), "other definition");
        assert!(load(dir.path(), Uuid::now_v7(), 1, 7).is_none());
        // A newer save replaces the older file.
        save(dir.path(), id, 1, 8, Duration::from_millis(5), &frame)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(load(dir.path(), id, 1, 7).is_none());
        assert!(load(dir.path(), id, 1, 8).is_some());
        let files = fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0);
        assert_eq!(files, 1);
    }
}
