//! Finding and loading `gazette.toml`: walk up from the checked paths, parse with the core.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use gazette_core::config::{Config, PathRules};

/// The file name Gazette looks for.
pub const CONFIG_FILE_NAME: &str = "gazette.toml";

/// A loaded configuration and where it came from.
pub struct LoadedConfig {
    /// The parsed configuration (the default when no file was found).
    pub config: Config,
    /// The compiled path rules of `config`.
    pub path_rules: PathRules,
    /// The directory paths in the configuration are relative to: the file's directory, or the
    /// current directory when there is no file.
    pub root: PathBuf,
}

/// Loads `explicit` when given, else the first `gazette.toml` found walking up from the first
/// of `paths` (or the current directory).
pub fn load(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<LoadedConfig> {
    let current = std::env::current_dir().context("cannot determine the current directory")?;
    let file = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => {
            let start = paths
                .first()
                .map_or(current.clone(), |path| current.join(path));
            find_upwards(&start)
        }
    };
    let Some(file) = file else {
        let config = Config::default();
        let path_rules = PathRules::new(&config).map_err(|error| anyhow!("{error}"))?;
        return Ok(LoadedConfig {
            config,
            path_rules,
            root: current,
        });
    };
    let shown = display_path(&file, &current);
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read configuration {shown}"))?;
    let config = Config::from_toml(&text).map_err(|error| anyhow!("{shown}:{error}"))?;
    let path_rules = PathRules::new(&config).map_err(|error| anyhow!("{shown}:{error}"))?;
    let root = current
        .join(&file)
        .parent()
        .map_or(current.clone(), Path::to_path_buf);
    Ok(LoadedConfig {
        config,
        path_rules,
        root,
    })
}

/// `path` as the user would type it: relative to the current directory when inside it.
fn display_path(path: &Path, current: &Path) -> String {
    let clean: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    slash_path(clean.strip_prefix(current).unwrap_or(&clean))
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    let mut directory = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(dir) = directory {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        directory = dir.parent();
    }
    None
}

impl LoadedConfig {
    /// The user gazetteer file named by the `gazetteer` key, resolved against the root.
    pub fn gazetteer_path(&self) -> Option<PathBuf> {
        self.config
            .gazetteer
            .as_ref()
            .map(|path| self.root.join(path))
    }

    /// `path` relative to the configuration root with `/` separators, for glob matching.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let relative = absolute.strip_prefix(&self.root).unwrap_or(&absolute);
        slash_path(relative)
    }
}

/// A path as a string with `/` separators (document keys and glob inputs). Bytes of a file name
/// that are not UTF-8 are written `\xNN`: two names differing only in such bytes must stay two
/// documents (a lossy `�` made them one key, and one of them was silently never checked).
pub fn slash_path(path: &Path) -> String {
    let text = escaped_path(path);
    let text = text.strip_prefix("./").unwrap_or(&text);
    if std::path::MAIN_SEPARATOR == '/' {
        text.to_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(unix)]
fn escaped_path(path: &Path) -> std::borrow::Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        escaped.push_str(chunk.valid());
        for byte in chunk.invalid() {
            escaped.push_str(&format!("\\x{byte:02X}"));
        }
    }
    std::borrow::Cow::Owned(escaped)
}

#[cfg(not(unix))]
fn escaped_path(path: &Path) -> std::borrow::Cow<'_, str> {
    path.to_string_lossy()
}
