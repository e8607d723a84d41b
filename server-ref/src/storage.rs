//! File storage behind a trait: local disk here; an S3-compatible store can implement the same
//! trait without touching the handlers.
//!
//! Keys are relative, `/`-separated paths such as `{store id}/files/guide.pdf`. The private
//! store (digital goods) is never served directly: files leave it only through download tokens.

use std::path::{Path, PathBuf};

use axum::body::Body;

/// Why a file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The key is empty, absolute, or climbs out of the store (`..`).
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),
    /// The backend failed.
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

/// A stored file opened for reading.
pub struct StoredFile {
    /// Its bytes, streamed.
    pub body: Body,
    /// Its size in bytes.
    pub len: u64,
}

impl std::fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredFile({} bytes)", self.len)
    }
}

/// Where files live.
#[async_trait::async_trait]
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Writes `bytes` at `key`, replacing any file there.
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StorageError>;
    /// Opens the file at `key`; `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StorageError>;
    /// Removes the file at `key`; removing a missing file is not an error.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;
}

/// Files in a directory of the local disk.
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    /// A store rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The path of `key`, refusing keys that would leave the root.
    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let valid_segment = |segment: &str| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        };
        if key.split('/').all(valid_segment) {
            Ok(self.root.join(Path::new(key)))
        } else {
            Err(StorageError::InvalidKey(key.to_owned()))
        }
    }
}

#[async_trait::async_trait]
impl FileStore for LocalDisk {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StorageError> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // Write aside, then rename: a reader never sees half a file.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StorageError> {
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let len = file.metadata().await?.len();
        let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
        Ok(Some(StoredFile { body, len }))
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_root() {
        let disk = LocalDisk::new("/srv/files");
        assert!(disk.path("store/files/guide.pdf").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "a/../../etc",
            "a//b",
            "a/./b",
            "a\\b",
            "é.pdf",
        ] {
            assert!(disk.path(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn files_round_trip() {
        let root = std::env::temp_dir().join(format!("colmena-storage-{}", std::process::id()));
        let disk = LocalDisk::new(&root);
        disk.put("s/files/a.txt", b"hello").await.unwrap();
        let file = disk.get("s/files/a.txt").await.unwrap().unwrap();
        assert_eq!(file.len, 5);
        let bytes = axum::body::to_bytes(file.body, 100).await.unwrap();
        assert_eq!(&bytes[..], b"hello");
        disk.delete("s/files/a.txt").await.unwrap();
        disk.delete("s/files/a.txt").await.unwrap();
        assert!(disk.get("s/files/a.txt").await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(root);
    }
}
