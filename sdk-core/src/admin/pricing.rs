//! Tax settings, shipping zones, discounts, price lists and customer groups.

use uuid::Uuid;

use super::AdminClient;
use crate::client::Call;
use crate::contract::{
    CustomerGroup, CustomerGroupInput, Discount, DiscountInput, PriceList, PriceListInput,
    ShippingZone, ShippingZoneInput, TaxSettings,
};
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

    /// The store's price lists (sales and customer groups' prices), newest first.
    pub async fn price_lists(&self) -> Result<Vec<PriceList>> {
        self.send(Call::get(self.url(&["price-lists"]))).await
    }

    /// One price list.
    pub async fn price_list(&self, price_list_id: Uuid) -> Result<PriceList> {
        let url = self.url(&["price-lists", &price_list_id.to_string()]);
        self.send(Call::get(url)).await
    }

    /// Creates a price list: a sale for every shopper, or a customer group's prices.
    pub async fn create_price_list(&self, list: &PriceListInput) -> Result<PriceList> {
        self.send(Call::mutate(Method::Post, self.url(&["price-lists"])).json(list))
            .await
    }

    /// Replaces a price list and its prices.
    pub async fn replace_price_list(
        &self,
        price_list_id: Uuid,
        list: &PriceListInput,
    ) -> Result<PriceList> {
        let url = self.url(&["price-lists", &price_list_id.to_string()]);
        self.send(Call::mutate(Method::Put, url).json(list)).await
    }

    /// Deletes a price list; returns it as it was.
    pub async fn delete_price_list(&self, price_list_id: Uuid) -> Result<PriceList> {
        let url = self.url(&["price-lists", &price_list_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// The store's customer groups, by name, with their members.
    pub async fn customer_groups(&self) -> Result<Vec<CustomerGroup>> {
        self.send(Call::get(self.url(&["customer-groups"]))).await
    }

    /// One customer group.
    pub async fn customer_group(&self, group_id: Uuid) -> Result<CustomerGroup> {
        let url = self.url(&["customer-groups", &group_id.to_string()]);
        self.send(Call::get(url)).await
    }

    /// Creates a customer group.
    pub async fn create_customer_group(&self, group: &CustomerGroupInput) -> Result<CustomerGroup> {
        self.send(Call::mutate(Method::Post, self.url(&["customer-groups"])).json(group))
            .await
    }

    /// Replaces a customer group's name and members.
    pub async fn replace_customer_group(
        &self,
        group_id: Uuid,
        group: &CustomerGroupInput,
    ) -> Result<CustomerGroup> {
        let url = self.url(&["customer-groups", &group_id.to_string()]);
        self.send(Call::mutate(Method::Put, url).json(group)).await
    }

    /// Deletes a customer group and the price lists that were for it; returns it as it was.
    pub async fn delete_customer_group(&self, group_id: Uuid) -> Result<CustomerGroup> {
        let url = self.url(&["customer-groups", &group_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }
}
