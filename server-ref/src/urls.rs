//! Absolute URLs of what the server serves itself.

/// Builds absolute URLs for files the server serves itself (images, logos).
#[derive(Debug, Clone)]
pub struct PublicUrls {
    base: String,
}

impl PublicUrls {
    /// URLs under `base`, e.g. `http://127.0.0.1:8080`.
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The absolute URL of a server path such as `/media/…`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The origin (`scheme://host:port`) of the server's public address.
    pub fn origin(&self) -> &str {
        &self.base
    }
}
