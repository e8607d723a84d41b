//! File storage behind a trait: a directory of the local disk (the default), or an
//! S3-compatible bucket (`--storage-url s3://…`) that several servers share.
//!
//! Keys are relative, `/`-separated paths such as `{store id}/files/guide.pdf`. The private
//! store (digital goods) is never served directly: files leave it only through download tokens.
//! Public media in a bucket is served through the server (`/media/…`), so the bucket itself
//! stays private.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use futures_util::TryStreamExt as _;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

/// Why a file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The key is empty, absolute, or climbs out of the store (`..`).
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),
    /// The disk failed.
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
    /// The object store failed.
    #[error("object storage: {0}")]
    ObjectStore(#[from] object_store::Error),
}

/// Keys are relative paths of plain segments: nothing empty, `.`, `..`, or outside
/// `[A-Za-z0-9._-]`, so no key can leave its store, on disk or in a bucket.
fn checked_key(key: &str) -> Result<&str, StorageError> {
    let valid_segment = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if key.split('/').all(valid_segment) {
        Ok(key)
    } else {
        Err(StorageError::InvalidKey(key.to_owned()))
    }
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
        Ok(self.root.join(Path::new(checked_key(key)?)))
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

/// Why a storage URL was refused.
#[derive(Debug, thiserror::Error)]
pub enum StorageUrlError {
    /// Not `s3://BUCKET[/PREFIX][?endpoint=…&region=…]`.
    #[error("expected s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION], got {0:?}")]
    Malformed(String),
    /// An unknown query parameter.
    #[error("unknown storage URL parameter {0:?} (endpoint, region)")]
    UnknownParameter(String),
    /// The S3 client could not be built.
    #[error("cannot use the bucket: {0}")]
    Client(#[from] object_store::Error),
}

/// A bucket of an S3-compatible object store, with the prefix under which the server's files
/// live.
#[derive(Debug, Clone)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Bucket {
    /// Opens `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION`. Credentials come from the usual
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (or the instance's role); `endpoint`
    /// points at an S3-compatible server (MinIO, Ceph, moto…), reached with path-style URLs.
    pub fn open(url: &str) -> Result<Self, StorageUrlError> {
        let malformed = || StorageUrlError::Malformed(url.to_owned());
        let parsed = url::Url::parse(url).map_err(|_| malformed())?;
        let bucket = parsed.host_str().filter(|_| parsed.scheme() == "s3");
        let bucket = bucket.ok_or_else(malformed)?;
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (name, value) in parsed.query_pairs() {
            builder = match name.as_ref() {
                "endpoint" => builder
                    .with_endpoint(value.as_ref())
                    .with_allow_http(value.starts_with("http://"))
                    .with_virtual_hosted_style_request(false),
                "region" => builder.with_region(value.as_ref()),
                other => return Err(StorageUrlError::UnknownParameter(other.to_owned())),
            };
        }
        Ok(Self {
            store: Arc::new(builder.build()?),
            prefix: parsed.path().trim_matches('/').to_owned(),
        })
    }

    /// The files of this bucket under `area` (`media`, `files`).
    pub fn area(&self, area: &str) -> ObjectFiles {
        let prefix = if self.prefix.is_empty() {
            area.to_owned()
        } else {
            format!("{}/{area}", self.prefix)
        };
        ObjectFiles {
            store: Arc::clone(&self.store),
            prefix,
        }
    }
}

/// Files in one area of a bucket.
#[derive(Debug, Clone)]
pub struct ObjectFiles {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl ObjectFiles {
    fn path(&self, key: &str) -> Result<ObjectPath, StorageError> {
        Ok(ObjectPath::from(format!(
            "{}/{}",
            self.prefix,
            checked_key(key)?
        )))
    }
}

#[async_trait::async_trait]
impl FileStore for ObjectFiles {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StorageError> {
        // One PUT: an object appears whole or not at all.
        let payload = PutPayload::from(bytes.to_vec());
        self.store.put(&self.path(key)?, payload).await?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StorageError> {
        match self.store.get(&self.path(key)?).await {
            Ok(found) => {
                let len = found.meta.size;
                let stream = found.into_stream().map_err(std::io::Error::other);
                Ok(Some(StoredFile {
                    body: Body::from_stream(stream),
                    len,
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&self.path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
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

    #[test]
    fn storage_urls_name_a_bucket_and_known_parameters() {
        let bucket =
            Bucket::open("s3://shop-files/prod?endpoint=http://127.0.0.1:9000&region=eu-west-1")
                .unwrap();
        assert_eq!(bucket.area("media").prefix, "prod/media");
        assert!(matches!(
            Bucket::open("s3://shop-files?color=blue"),
            Err(StorageUrlError::UnknownParameter(_))
        ));
        assert!(matches!(
            Bucket::open("file:///srv/files"),
            Err(StorageUrlError::Malformed(_))
        ));
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
