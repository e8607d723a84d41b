//! Orders, refunds and analytics.

use uuid::Uuid;

use super::AdminClient;
use crate::client::{page_stream, Call, Page};
use crate::contract::{
    AnalyticsQuery, AnalyticsSummary, Order, OrderEvent, OrderListQuery, OrderStatus,
    OrderStatusChange, Refund, RefundInput, Shipment, ShipmentInput,
};
use crate::error::Result;
use crate::transport::Method;

impl AdminClient {
    /// One page of orders, newest first, filtered by status, date range and email.
    pub async fn list_orders(&self, query: &OrderListQuery) -> Result<Page<Order>> {
        self.send_page(Call::get(self.url(&["orders"])).query(query)?)
            .await
    }

    /// Every order matching `query`, page after page, as a stream.
    pub fn order_stream(
        &self,
        query: OrderListQuery,
    ) -> impl futures_util::Stream<Item = Result<Order>> {
        let admin = self.clone();
        page_stream(query, move |query| {
            let admin = admin.clone();
            async move { admin.list_orders(&query).await }
        })
    }

    /// One order.
    pub async fn order(&self, order_id: Uuid) -> Result<Order> {
        self.send(Call::get(self.url(&["orders", &order_id.to_string()])))
            .await
    }

    /// The order's history, oldest first: placed, paid, fulfilled, cancelled or refunded, each
    /// with who did it and when.
    pub async fn order_events(&self, order_id: Uuid) -> Result<Vec<OrderEvent>> {
        self.send(Call::get(self.url(&[
            "orders",
            &order_id.to_string(),
            "events",
        ])))
        .await
    }

    /// Marks a paid order fulfilled.
    pub async fn fulfil_order(&self, order_id: Uuid) -> Result<Order> {
        self.set_order_status(order_id, OrderStatus::Fulfilled)
            .await
    }

    /// Cancels an order awaiting payment, releasing its stock.
    pub async fn cancel_order(&self, order_id: Uuid) -> Result<Order> {
        self.set_order_status(order_id, OrderStatus::Cancelled)
            .await
    }

    /// Refunds a paid or fulfilled order; its download links stop working.
    pub async fn refund_order(&self, order_id: Uuid) -> Result<Order> {
        let url = self.url(&["orders", &order_id.to_string(), "refund"]);
        self.send(Call::mutate(Method::Post, url)).await
    }

    /// Refunds lines (restocked unless `restock` is false) and/or an amount of an order,
    /// through its payment provider; refunding all that is left makes it refunded.
    pub async fn refund_order_partly(
        &self,
        order_id: Uuid,
        refund: &RefundInput,
    ) -> Result<Refund> {
        let url = self.url(&["orders", &order_id.to_string(), "refunds"]);
        self.send(Call::mutate(Method::Post, url).json(refund))
            .await
    }

    /// Records a parcel of a paid order (its lines, or everything not shipped yet) with its
    /// carrier and tracking; the last parcel makes the order fulfilled.
    pub async fn ship_order(&self, order_id: Uuid, shipment: &ShipmentInput) -> Result<Shipment> {
        let url = self.url(&["orders", &order_id.to_string(), "shipments"]);
        self.send(Call::mutate(Method::Post, url).json(shipment))
            .await
    }

    /// Orders, paid orders, revenue, average order value, top products and downloads over a
    /// date range.
    pub async fn analytics(&self, query: &AnalyticsQuery) -> Result<AnalyticsSummary> {
        self.send(Call::get(self.url(&["analytics"])).query(query)?)
            .await
    }

    async fn set_order_status(&self, order_id: Uuid, status: OrderStatus) -> Result<Order> {
        let url = self.url(&["orders", &order_id.to_string(), "status"]);
        self.send(Call::mutate(Method::Post, url).json(&OrderStatusChange { status }))
            .await
    }
}
