//! The storefront editor: the draft, its images, preview tokens and published versions.

use super::AdminClient;
use crate::client::{Call, Page};
use crate::contract::{
    PageQuery, PreviewToken, PublishRequest, Storefront, StorefrontAsset, StorefrontDraft,
    StorefrontVersion,
};
use crate::error::{Error, Result};
use crate::transport::Method;

impl AdminClient {
    /// The storefront draft: as last saved, or until the first save a copy of the live version
    /// (or of a theme made from the store's branding).
    pub async fn storefront_draft(&self) -> Result<StorefrontDraft> {
        self.send(Call::get(self.url(&["storefront", "draft"])))
            .await
    }

    /// Saves the whole draft, checked first against the rules the server applies
    /// ([`Storefront::validate`]). Shoppers see it once it is published.
    pub async fn save_storefront_draft(&self, document: &Storefront) -> Result<StorefrontDraft> {
        document.validate().map_err(|invalid| {
            Error::invalid(format!("{}: {}", invalid.parameter, invalid.message))
        })?;
        let url = self.url(&["storefront", "draft"]);
        self.send(Call::mutate(Method::Put, url).json(document))
            .await
    }

    /// Uploads an image for the logo or a banner (`image/jpeg`, `image/png` or `image/webp`,
    /// up to 10 MB); the answer's `url` goes into the document.
    pub async fn upload_storefront_asset(
        &self,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<StorefrontAsset> {
        let url = self.url(&["storefront", "assets"]);
        self.send(Call::mutate(Method::Post, url).body(bytes, content_type))
            .await
    }

    /// A preview token, valid 24 hours, with which [`crate::Client::storefront`] answers the
    /// draft. Not retried (the answer holds the token, which the server keeps only hashed).
    pub async fn create_storefront_preview_token(&self) -> Result<PreviewToken> {
        let url = self.url(&["storefront", "preview-token"]);
        self.send(Call::once(Method::Post, url)).await
    }

    /// Publishes the draft as the next version: now, or at `request.publish_at` when that is in
    /// the future.
    pub async fn publish_storefront(&self, request: &PublishRequest) -> Result<StorefrontVersion> {
        let url = self.url(&["storefront", "publish"]);
        self.send(Call::mutate(Method::Post, url).json(request))
            .await
    }

    /// One page of the published versions, newest first, each with its status now.
    pub async fn storefront_versions(&self, query: &PageQuery) -> Result<Page<StorefrontVersion>> {
        let url = self.url(&["storefront", "versions"]);
        self.send_page(Call::get(url).query(query)?).await
    }

    /// Rolls back to version `number`: a new version, live now, with its document.
    pub async fn rollback_storefront(&self, number: u32) -> Result<StorefrontVersion> {
        let url = self.url(&["storefront", "versions", &number.to_string(), "rollback"]);
        self.send(Call::mutate(Method::Post, url)).await
    }

    /// Cancels scheduled version `number` (a live or past one cannot be: [`Error::Conflict`]).
    pub async fn cancel_storefront_version(&self, number: u32) -> Result<StorefrontVersion> {
        let url = self.url(&["storefront", "versions", &number.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }
}
