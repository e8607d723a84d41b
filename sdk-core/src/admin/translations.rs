//! Product and category content in other languages than the store's own.

use uuid::Uuid;

use super::AdminClient;
use crate::client::Call;
use crate::contract::{
    CategoryTranslation, CategoryTranslationInput, ProductTranslation, ProductTranslationInput,
};
use crate::error::Result;
use crate::transport::Method;

impl AdminClient {
    /// A product's translations, one per language.
    pub async fn product_translations(&self, product_id: Uuid) -> Result<Vec<ProductTranslation>> {
        let url = self.url(&["products", &product_id.to_string(), "translations"]);
        self.send(Call::get(url)).await
    }

    /// Sets a product's content in `locale` (e.g. `fr`), replacing any earlier translation.
    pub async fn set_product_translation(
        &self,
        product_id: Uuid,
        locale: &str,
        input: &ProductTranslationInput,
    ) -> Result<ProductTranslation> {
        let url = self.url(&["products", &product_id.to_string(), "translations", locale]);
        self.send(Call::mutate(Method::Put, url).json(input)).await
    }

    /// Removes a product's translation into `locale`; shoppers asking for it then see the
    /// product's own content.
    pub async fn delete_product_translation(
        &self,
        product_id: Uuid,
        locale: &str,
    ) -> Result<ProductTranslation> {
        let url = self.url(&["products", &product_id.to_string(), "translations", locale]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// A category's translations, one per language.
    pub async fn category_translations(
        &self,
        category_id: Uuid,
    ) -> Result<Vec<CategoryTranslation>> {
        let url = self.url(&["categories", &category_id.to_string(), "translations"]);
        self.send(Call::get(url)).await
    }

    /// Sets a category's name in `locale`, replacing any earlier translation.
    pub async fn set_category_translation(
        &self,
        category_id: Uuid,
        locale: &str,
        input: &CategoryTranslationInput,
    ) -> Result<CategoryTranslation> {
        let url = self.url(&[
            "categories",
            &category_id.to_string(),
            "translations",
            locale,
        ]);
        self.send(Call::mutate(Method::Put, url).json(input)).await
    }

    /// Removes a category's translation into `locale`.
    pub async fn delete_category_translation(
        &self,
        category_id: Uuid,
        locale: &str,
    ) -> Result<CategoryTranslation> {
        let url = self.url(&[
            "categories",
            &category_id.to_string(),
            "translations",
            locale,
        ]);
        self.send(Call::mutate(Method::Delete, url)).await
    }
}
