//! gazette-store: the annotation files next to a corpus, read and written safely.
//!
//! One file per document under `.gazette/annotations/`, mirroring the document's path relative to
//! the corpus root (`news/a.txt` → `.gazette/annotations/news/a.txt.json`). Writes are atomic
//! (temporary file in the same directory, fsync, rename, fsync of the directory), so a crash or a
//! `kill -9` at any moment leaves either the old file or the new one, never a truncated one. A
//! file changed on disk since it was read is never overwritten blindly: [`AnnotationStore::update`]
//! reloads it and re-applies the change, and [`AnnotationStore::save`] reports the conflict.
//!
//! This crate exists because the core may not do IO while both front ends (the CLI and the
//! language server) must persist annotations in exactly the same way.

pub mod clock;

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use gazette_core::annotation::{AnnotationFile, AnnotationFileError};
use sha2::{Digest, Sha256};

/// The directory, relative to the corpus root, that holds annotation files.
pub const ANNOTATIONS_DIR: &str = ".gazette/annotations";

/// What the store knows about the bytes of a file it read, to detect later changes on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp(Option<[u8; 32]>);

impl FileStamp {
    /// The stamp of a file that does not exist.
    pub fn absent() -> FileStamp {
        FileStamp(None)
    }

    fn of(bytes: &[u8]) -> FileStamp {
        FileStamp(Some(Sha256::digest(bytes).into()))
    }

    fn read(path: &Path) -> io::Result<FileStamp> {
        match fs::read(path) {
            Ok(bytes) => Ok(FileStamp::of(&bytes)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(FileStamp::absent()),
            Err(error) => Err(error),
        }
    }
}

/// Why the store could not do what it was asked.
#[derive(Debug)]
pub enum StoreError {
    /// Reading or writing failed.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },
    /// The file exists but cannot be used (malformed, or from a newer Gazette).
    Unreadable {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        error: AnnotationFileError,
    },
    /// The file changed on disk since it was read; nothing was written.
    Conflict {
        /// The file concerned.
        path: PathBuf,
    },
    /// The document path is absolute or climbs out of the corpus root.
    OutsideCorpus {
        /// The offending document path.
        document: PathBuf,
    },
    /// A directory or file on the way to the annotation file is a symbolic link, so a write
    /// could land outside the corpus; nothing was written.
    SymbolicLink {
        /// The annotation file that was to be written.
        path: PathBuf,
        /// The symbolic link found on the way.
        link: PathBuf,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            StoreError::Unreadable { path, error } => write!(f, "{}: {error}", path.display()),
            StoreError::Conflict { path } => write!(
                f,
                "{}: changed on disk since it was read; reload before saving",
                path.display()
            ),
            StoreError::OutsideCorpus { document } => write!(
                f,
                "{}: annotations can only be stored for documents inside the corpus root",
                document.display()
            ),
            StoreError::SymbolicLink { path, link } => write!(
                f,
                "{}: not written, because {} is a symbolic link and annotation files are only \
                 written inside the corpus (replace the link with a directory to store annotations)",
                path.display(),
                link.display()
            ),
        }
    }
}

impl std::error::Error for StoreError {}

/// An annotation file as loaded, with the stamp needed to save it back safely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The annotations (empty when the file does not exist yet).
    pub file: AnnotationFile,
    /// What was on disk when it was read.
    pub stamp: FileStamp,
}

/// The annotation files of one corpus.
#[derive(Clone, Debug)]
pub struct AnnotationStore {
    root: PathBuf,
}

impl AnnotationStore {
    /// The store of the corpus rooted at `corpus_root`.
    pub fn new(corpus_root: impl Into<PathBuf>) -> AnnotationStore {
        AnnotationStore {
            root: corpus_root.into(),
        }
    }

    /// The corpus root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the annotations of `document` (relative to the root) live.
    pub fn path_for(&self, document: &Path) -> Result<PathBuf, StoreError> {
        let inside = document
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside || document.as_os_str().is_empty() {
            return Err(StoreError::OutsideCorpus {
                document: document.to_path_buf(),
            });
        }
        let mut path = self.root.join(ANNOTATIONS_DIR).join(document);
        let mut name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".json");
        path.set_file_name(name);
        Ok(path)
    }

    /// The document key written inside annotation files: the relative path with `/` separators.
    pub fn document_key(document: &Path) -> String {
        document
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Loads the annotations of `document`; a missing file is an empty one. Like writes, reads
    /// refuse symbolic links below the corpus root.
    pub fn load(&self, document: &Path) -> Result<Loaded, StoreError> {
        let path = self.path_for(document)?;
        if let Some(link) = self.symbolic_link_on_the_way(&path) {
            return Err(StoreError::SymbolicLink { path, link });
        }
        match fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let file =
                    AnnotationFile::parse(&text).map_err(|error| StoreError::Unreadable {
                        path: path.clone(),
                        error,
                    })?;
                Ok(Loaded {
                    file,
                    stamp: FileStamp::of(&bytes),
                })
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Loaded {
                file: AnnotationFile::new(Self::document_key(document)),
                stamp: FileStamp::absent(),
            }),
            Err(error) => Err(StoreError::Io { path, error }),
        }
    }

    /// Saves `file` for `document` if the file on disk is still the one stamped `expected`.
    /// Returns the new stamp.
    pub fn save(
        &self,
        document: &Path,
        file: &AnnotationFile,
        expected: &FileStamp,
    ) -> Result<FileStamp, StoreError> {
        let path = self.path_for(document)?;
        let io_error = |error| StoreError::Io {
            path: path.clone(),
            error,
        };
        if let Some(link) = self.symbolic_link_on_the_way(&path) {
            return Err(StoreError::SymbolicLink { path, link });
        }
        if &FileStamp::read(&path).map_err(io_error)? != expected {
            return Err(StoreError::Conflict { path });
        }
        let rendered = file.render();
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error)?;
        }
        atomic_write(&path, rendered.as_bytes()).map_err(io_error)?;
        Ok(FileStamp::of(rendered.as_bytes()))
    }

    /// The first existing symbolic link among the directories and file between the corpus root
    /// (excluded: where the corpus itself lives is the user's choice) and `path`. An untrusted
    /// corpus could ship `.gazette` as a link to `~/.ssh` or `/etc`; following it would make an
    /// annotation write land there.
    fn symbolic_link_on_the_way(&self, path: &Path) -> Option<PathBuf> {
        let below_root = path.strip_prefix(&self.root).ok()?;
        let mut current = self.root.clone();
        for component in below_root.components() {
            current.push(component);
            match fs::symlink_metadata(&current) {
                Ok(metadata) if metadata.file_type().is_symlink() => return Some(current),
                Ok(_) => {}
                // Nothing exists from here on: the rest is created as plain directories.
                Err(_) => return None,
            }
        }
        None
    }

    /// Loads, changes and saves the annotations of `document`. When another writer changed the
    /// file in between, the change is re-applied to the fresh file (a merge), a few times at most.
    pub fn update(
        &self,
        document: &Path,
        mut change: impl FnMut(&mut AnnotationFile),
    ) -> Result<AnnotationFile, StoreError> {
        let mut last_conflict = None;
        for _ in 0..5 {
            let Loaded { mut file, stamp } = self.load(document)?;
            change(&mut file);
            match self.save(document, &file, &stamp) {
                Ok(_) => return Ok(file),
                Err(conflict @ StoreError::Conflict { .. }) => last_conflict = Some(conflict),
                Err(other) => return Err(other),
            }
        }
        Err(last_conflict.expect("the loop ran at least once"))
    }
}

/// Finds the corpus root of `path`: the nearest ancestor directory holding a `gazette.toml` or a
/// `.gazette` directory, else the directory itself (or the file's directory). The CLI and the
/// language server agree on where a document's annotations live through this one function.
pub fn corpus_root_for(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        // A bare file name (`gazette tag a.txt`) has an empty parent: the current directory.
        path.parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let start = fs::canonicalize(&start).unwrap_or(start);
    for ancestor in start.ancestors() {
        if ancestor.join("gazette.toml").is_file() || ancestor.join(".gazette").is_dir() {
            return ancestor.to_path_buf();
        }
    }
    start
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same directory is written,
/// flushed to disk and renamed over the target, then the directory entry is flushed too.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = directory.join(temporary_name);
    let result = (|| {
        // `create_new` refuses an existing entry, symbolic links included: a link planted under
        // the temporary name cannot redirect the write.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        // The rename is durable only once the directory itself is flushed.
        if let Ok(dir) = fs::File::open(&directory) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette_core::annotation::{Annotation, AnnotationStatus, NewAnnotation};
    use gazette_core::tag::EntityLabel;
    use gazette_core::text::TextRange;

    fn annotation(text: &str, needle: &str) -> Annotation {
        let start = text.find(needle).unwrap() as u32;
        Annotation::new(
            text,
            NewAnnotation {
                range: TextRange::new(start, start + needle.len() as u32),
                label: EntityLabel::Loc,
                norm: None,
                status: AnnotationStatus::Accepted,
                creator: None,
                created: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn files_mirror_document_paths() {
        let store = AnnotationStore::new("/corpus");
        assert_eq!(
            store.path_for(Path::new("news/tin tức.txt")).unwrap(),
            PathBuf::from("/corpus/.gazette/annotations/news/tin tức.txt.json")
        );
        assert!(store.path_for(Path::new("../etc/passwd")).is_err());
        assert!(store.path_for(Path::new("/etc/passwd")).is_err());
    }

    #[test]
    fn save_refuses_to_overwrite_a_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = AnnotationStore::new(dir.path());
        let document = Path::new("a.txt");
        let text = "Hue and Daegu";
        let first = store.load(document).unwrap();
        store
            .update(document, |file| file.upsert(annotation(text, "Hue")))
            .unwrap();
        // `first` was read before the update: saving it would lose the update.
        let error = store.save(document, &first.file, &first.stamp).unwrap_err();
        assert!(matches!(error, StoreError::Conflict { .. }), "{error}");
        // `update` merges instead: both annotations survive.
        store
            .update(document, |file| file.upsert(annotation(text, "Daegu")))
            .unwrap();
        let exacts: Vec<_> = store
            .load(document)
            .unwrap()
            .file
            .annotations
            .iter()
            .map(|a| a.exact().to_owned())
            .collect();
        assert_eq!(exacts, ["Hue", "Daegu"]);
    }

    #[cfg(unix)]
    #[test]
    fn annotation_writes_never_follow_symbolic_links_out_of_the_corpus() {
        let corpus = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let store = AnnotationStore::new(corpus.path());
        let text = "Hue and Daegu";
        // `.gazette` itself is a link to a directory outside the corpus.
        std::os::unix::fs::symlink(elsewhere.path(), corpus.path().join(".gazette")).unwrap();
        let error = store
            .update(Path::new("a.txt"), |file| {
                file.upsert(annotation(text, "Hue"))
            })
            .unwrap_err();
        assert!(matches!(error, StoreError::SymbolicLink { .. }), "{error}");
        assert!(error.to_string().contains("is a symbolic link"), "{error}");
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);

        // A link deeper down (a mirrored sub-directory) and a link as the file itself.
        fs::remove_file(corpus.path().join(".gazette")).unwrap();
        let annotations = corpus.path().join(ANNOTATIONS_DIR);
        fs::create_dir_all(&annotations).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), annotations.join("news")).unwrap();
        let error = store
            .update(Path::new("news/a.txt"), |file| {
                file.upsert(annotation(text, "Hue"))
            })
            .unwrap_err();
        assert!(matches!(error, StoreError::SymbolicLink { .. }), "{error}");
        let target = elsewhere.path().join("victim");
        fs::write(&target, "precious").unwrap();
        std::os::unix::fs::symlink(&target, annotations.join("b.txt.json")).unwrap();
        let error = store
            .update(Path::new("b.txt"), |file| {
                file.upsert(annotation(text, "Hue"))
            })
            .unwrap_err();
        assert!(matches!(error, StoreError::SymbolicLink { .. }), "{error}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious");

        // Plain directories still work.
        store
            .update(Path::new("c/d.txt"), |file| {
                file.upsert(annotation(text, "Hue"))
            })
            .unwrap();
        assert!(annotations.join("c/d.txt.json").is_file());
    }

    #[test]
    fn unreadable_files_are_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = AnnotationStore::new(dir.path());
        let path = store.path_for(Path::new("a.txt")).unwrap();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(
            &path,
            r#"{"version": 7, "document": "a.txt", "annotations": []}"#,
        )
        .unwrap();
        let error = store.update(Path::new("a.txt"), |_| {}).unwrap_err();
        assert!(
            error.to_string().contains("newer than this Gazette"),
            "{error}"
        );
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .contains("\"version\": 7")
        );
    }
}
