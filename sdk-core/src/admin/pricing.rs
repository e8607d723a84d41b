//! Tax settings, shipping zones and discounts.

use uuid::Uuid;

use super::AdminClient;
use crate::client::Call;
use crate::contract::{Discount, DiscountInput, ShippingZone, ShippingZoneInput, TaxSettings};
use crate::error::Result;
use crate::transport::Method;

impl AdminClient {
    /// The store's tax settings and rates.
    pub async fn tax_settings(&self) -> Result<TaxSettings> {
        self.send(Call::get(self.url(&["tax"]))).await
    }

    /// Replaces the store's tax settings and rates.
    pub async fn set_tax_settings(&self, settings: &TaxSettings) -> Result<TaxSettings> {
        self.send(Call::mutate(Method::Put, self.url(&["tax"])).json(settings))
            .await
    }

    /// The store's shipping zones with their rates.
    pub async fn shipping_zones(&self) -> Result<Vec<ShippingZone>> {
        self.send(Call::get(self.url(&["shipping-zones"]))).await
    }

    /// Creates a shipping zone with its rates.
    pub async fn create_shipping_zone(&self, zone: &ShippingZoneInput) -> Result<ShippingZone> {
        self.send(Call::mutate(Method::Post, self.url(&["shipping-zones"])).json(zone))
            .await
    }

    /// Replaces a shipping zone: its name, destinations and rates (a rate keeps its id when
    /// the input gives it).
    pub async fn replace_shipping_zone(
        &self,
        zone_id: Uuid,
        zone: &ShippingZoneInput,
    ) -> Result<ShippingZone> {
        let url = self.url(&["shipping-zones", &zone_id.to_string()]);
        self.send(Call::mutate(Method::Put, url).json(zone)).await
    }

    /// Deletes a shipping zone and its rates; returns it as it was.
    pub async fn delete_shipping_zone(&self, zone_id: Uuid) -> Result<ShippingZone> {
        let url = self.url(&["shipping-zones", &zone_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// The store's discount codes and automatic rules, newest first.
    pub async fn discounts(&self) -> Result<Vec<Discount>> {
        self.send(Call::get(self.url(&["discounts"]))).await
    }

    /// One discount.
    pub async fn discount(&self, discount_id: Uuid) -> Result<Discount> {
        self.send(Call::get(
            self.url(&["discounts", &discount_id.to_string()]),
        ))
        .await
    }

    /// Creates a discount code (with `code`) or an automatic rule (without).
    pub async fn create_discount(&self, discount: &DiscountInput) -> Result<Discount> {
        self.send(Call::mutate(Method::Post, self.url(&["discounts"])).json(discount))
            .await
    }

    /// Replaces a discount's rule.
    pub async fn replace_discount(
        &self,
        discount_id: Uuid,
        discount: &DiscountInput,
    ) -> Result<Discount> {
        let url = self.url(&["discounts", &discount_id.to_string()]);
        self.send(Call::mutate(Method::Put, url).json(discount))
            .await
    }

    /// Deletes a discount (orders that used it keep what it took off); returns it as it was.
    pub async fn delete_discount(&self, discount_id: Uuid) -> Result<Discount> {
        let url = self.url(&["discounts", &discount_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }
}
