//! Products, variants, images, digital files, categories and product types.

use uuid::Uuid;

use super::AdminClient;
use crate::client::{page_stream, Call, Page};
use crate::contract::{
    AdminProduct, Category, CategoryInput, CategoryPatch, ProductInput, ProductListQuery,
    ProductPatch, ProductType, ProductTypeInput, ProductTypePatch, VariantInput, VariantPatch,
};
use crate::error::{Error, Result};
use crate::transport::Method;

impl AdminClient {
    /// One page of the store's products, inactive ones included, filtered and sorted by `query`.
    pub async fn list_products(&self, query: &ProductListQuery) -> Result<Page<AdminProduct>> {
        query.validate().map_err(|invalid| {
            Error::invalid(format!("{}: {}", invalid.parameter, invalid.message))
        })?;
        self.send_page(Call::get(self.url(&["products"])).query_pairs(&query.to_query_pairs()))
            .await
    }

    /// Every product matching `query`, page after page, as a stream.
    pub fn product_stream(
        &self,
        query: ProductListQuery,
    ) -> impl futures_util::Stream<Item = Result<AdminProduct>> {
        let admin = self.clone();
        page_stream(query, move |query| {
            let admin = admin.clone();
            async move { admin.list_products(&query).await }
        })
    }

    /// One product, active or not.
    pub async fn product(&self, product_id: Uuid) -> Result<AdminProduct> {
        self.send(Call::get(self.product_url(product_id, &[])))
            .await
    }

    /// Creates a product with its variants (at least one).
    pub async fn create_product(&self, input: &ProductInput) -> Result<AdminProduct> {
        self.send(Call::mutate(Method::Post, self.url(&["products"])).json(input))
            .await
    }

    /// Changes a product; absent fields stay as they are.
    pub async fn update_product(
        &self,
        product_id: Uuid,
        patch: &ProductPatch,
    ) -> Result<AdminProduct> {
        self.send(Call::mutate(Method::Patch, self.product_url(product_id, &[])).json(patch))
            .await
    }

    /// Deletes a product (orders keep their copy of its name and price); returns it as it was.
    pub async fn delete_product(&self, product_id: Uuid) -> Result<AdminProduct> {
        self.send(Call::mutate(
            Method::Delete,
            self.product_url(product_id, &[]),
        ))
        .await
    }

    /// Adds a variant to a product.
    pub async fn add_variant(
        &self,
        product_id: Uuid,
        input: &VariantInput,
    ) -> Result<AdminProduct> {
        let url = self.product_url(product_id, &["variants"]);
        self.send(Call::mutate(Method::Post, url).json(input)).await
    }

    /// Changes a variant (price, stock, options…); absent fields stay as they are.
    pub async fn update_variant(
        &self,
        product_id: Uuid,
        variant_id: Uuid,
        patch: &VariantPatch,
    ) -> Result<AdminProduct> {
        let url = self.product_url(product_id, &["variants", &variant_id.to_string()]);
        self.send(Call::mutate(Method::Patch, url).json(patch))
            .await
    }

    /// Removes a variant; a product keeps at least one.
    pub async fn delete_variant(&self, product_id: Uuid, variant_id: Uuid) -> Result<AdminProduct> {
        let url = self.product_url(product_id, &["variants", &variant_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// Uploads an image (`image/jpeg`, `image/png` or `image/webp`, up to 10 MB), added after
    /// the product's other images. `alt` defaults to the product's name.
    pub async fn upload_image(
        &self,
        product_id: Uuid,
        content_type: &str,
        bytes: Vec<u8>,
        alt: Option<&str>,
    ) -> Result<AdminProduct> {
        let mut call = Call::mutate(Method::Post, self.product_url(product_id, &["images"]))
            .body(bytes, content_type);
        if let Some(alt) = alt {
            call = call.query_pairs(&[("alt", alt)]);
        }
        self.send(call).await
    }

    /// Removes an image from a product.
    pub async fn delete_image(&self, product_id: Uuid, image_id: Uuid) -> Result<AdminProduct> {
        let url = self.product_url(product_id, &["images", &image_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// Uploads the file buyers of a digital product download (`application/pdf`,
    /// `application/zip` or `text/plain`, up to 10 MB) under `file_name`, making the product
    /// digital.
    pub async fn upload_digital_file(
        &self,
        product_id: Uuid,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<AdminProduct> {
        let call = Call::mutate(Method::Put, self.product_url(product_id, &["file"]))
            .query_pairs(&[("name", file_name)])
            .body(bytes, content_type);
        self.send(call).await
    }

    /// Removes a product's digital file; the product is no longer digital.
    pub async fn delete_digital_file(&self, product_id: Uuid) -> Result<AdminProduct> {
        self.send(Call::mutate(
            Method::Delete,
            self.product_url(product_id, &["file"]),
        ))
        .await
    }

    /// The store's categories, inactive products counted.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.send(Call::get(self.url(&["categories"]))).await
    }

    /// Creates a category, optionally under a parent.
    pub async fn create_category(&self, input: &CategoryInput) -> Result<Category> {
        self.send(Call::mutate(Method::Post, self.url(&["categories"])).json(input))
            .await
    }

    /// Renames or moves a category; a move under one of its own descendants is refused.
    pub async fn update_category(
        &self,
        category_id: Uuid,
        patch: &CategoryPatch,
    ) -> Result<Category> {
        let url = self.url(&["categories", &category_id.to_string()]);
        self.send(Call::mutate(Method::Patch, url).json(patch))
            .await
    }

    /// Deletes a category; its products and subcategories lose it.
    pub async fn delete_category(&self, category_id: Uuid) -> Result<Category> {
        let url = self.url(&["categories", &category_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// The store's product types, with their attribute schemas.
    pub async fn product_types(&self) -> Result<Vec<ProductType>> {
        self.send(Call::get(self.url(&["product-types"]))).await
    }

    /// One product type.
    pub async fn product_type(&self, type_id: Uuid) -> Result<ProductType> {
        self.send(Call::get(
            self.url(&["product-types", &type_id.to_string()]),
        ))
        .await
    }

    /// Creates a product type; its JSON Schema then checks the attributes of its products.
    pub async fn create_product_type(&self, input: &ProductTypeInput) -> Result<ProductType> {
        self.send(Call::mutate(Method::Post, self.url(&["product-types"])).json(input))
            .await
    }

    /// Changes a product type; a schema that an existing product would fail is refused.
    pub async fn update_product_type(
        &self,
        type_id: Uuid,
        patch: &ProductTypePatch,
    ) -> Result<ProductType> {
        let url = self.url(&["product-types", &type_id.to_string()]);
        self.send(Call::mutate(Method::Patch, url).json(patch))
            .await
    }

    /// Deletes a product type that no product uses.
    pub async fn delete_product_type(&self, type_id: Uuid) -> Result<ProductType> {
        let url = self.url(&["product-types", &type_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    fn product_url(&self, product_id: Uuid, rest: &[&str]) -> String {
        let id = product_id.to_string();
        let mut segments = vec!["products", id.as_str()];
        segments.extend_from_slice(rest);
        self.url(&segments)
    }
}
