//! Where ruleset files are: every `.cbr` file below a directory. The one place the language
//! touches the file system, shared by the CLI and the service.

use std::path::{Path, PathBuf};

/// The extension of ruleset files.
pub const EXTENSION: &str = "cbr";

/// A directory that could not be read while looking for ruleset files.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {source}", path.display())]
pub struct FilesError {
    /// The directory.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Every ruleset file below `dir`, sorted by path so that every listing is in one order.
pub fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, FilesError> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), FilesError> {
        let read_error = |source| FilesError {
            path: dir.to_path_buf(),
            source,
        };
        for entry in std::fs::read_dir(dir).map_err(read_error)? {
            let path = entry.map_err(read_error)?.path();
            if path.is_dir() {
                walk(&path, found)?;
            } else if path.extension().is_some_and(|e| e == EXTENSION) {
                found.push(path);
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(dir, &mut found)?;
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_ruleset_file_below_a_directory_in_path_order() {
        let root = std::env::temp_dir().join(format!("creditbank-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("b/deeper")).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        for file in [
            "b/deeper/2.cbr",
            "a/1.cbr",
            "b/0.cbr",
            "a/notes.md",
            "a/cbr",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        let found = ruleset_files(&root).unwrap();
        let missing = ruleset_files(&root.join("nowhere")).unwrap_err();
        std::fs::remove_dir_all(&root).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("a/1.cbr"),
                Path::new("b/0.cbr"),
                Path::new("b/deeper/2.cbr")
            ]
        );
        assert_eq!(missing.path, root.join("nowhere"));
    }
}
