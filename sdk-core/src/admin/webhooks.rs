//! Partners' webhook endpoints and their delivery logs.

use uuid::Uuid;

use super::AdminClient;
use crate::client::{Call, Page};
use crate::contract::{
    PageQuery, WebhookDelivery, WebhookEndpoint, WebhookEndpointInput, WebhookEndpointPatch,
    WebhookEndpointSecret,
};
use crate::error::Result;
use crate::transport::Method;

impl AdminClient {
    /// The store's webhook endpoints.
    pub async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpoint>> {
        self.send(Call::get(self.url(&["webhooks"]))).await
    }

    /// Registers an endpoint for some event types. The signing secret is in the answer only:
    /// keep it where your receiver can read it. Not retried (the server keeps no copy of the
    /// secret to replay).
    pub async fn create_webhook_endpoint(
        &self,
        input: &WebhookEndpointInput,
    ) -> Result<WebhookEndpointSecret> {
        self.send(Call::once(Method::Post, self.url(&["webhooks"])).json(input))
            .await
    }

    /// Changes an endpoint's URL or events, or pauses (`active: false`) and resumes it.
    pub async fn update_webhook_endpoint(
        &self,
        endpoint_id: Uuid,
        patch: &WebhookEndpointPatch,
    ) -> Result<WebhookEndpoint> {
        let url = self.url(&["webhooks", &endpoint_id.to_string()]);
        self.send(Call::mutate(Method::Patch, url).json(patch))
            .await
    }

    /// Deletes an endpoint; its pending deliveries are dropped.
    pub async fn delete_webhook_endpoint(&self, endpoint_id: Uuid) -> Result<WebhookEndpoint> {
        let url = self.url(&["webhooks", &endpoint_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// Replaces an endpoint's signing secret; for 24 hours deliveries are signed with both.
    /// Not retried (the answer holds the new secret).
    pub async fn rotate_webhook_secret(&self, endpoint_id: Uuid) -> Result<WebhookEndpointSecret> {
        let url = self.url(&["webhooks", &endpoint_id.to_string(), "rotate-secret"]);
        self.send(Call::once(Method::Post, url)).await
    }

    /// One page of an endpoint's deliveries, newest first, each with its attempts.
    pub async fn webhook_deliveries(
        &self,
        endpoint_id: Uuid,
        query: &PageQuery,
    ) -> Result<Page<WebhookDelivery>> {
        let url = self.url(&["webhooks", &endpoint_id.to_string(), "deliveries"]);
        self.send_page(Call::get(url).query(query)?).await
    }

    /// Sends a delivery's event to its endpoint again, as a new delivery due now (for an
    /// endpoint that was down or refused it). Not retried: each call queues one more delivery.
    pub async fn redeliver_webhook(
        &self,
        endpoint_id: Uuid,
        delivery_id: Uuid,
    ) -> Result<WebhookDelivery> {
        let url = self.url(&[
            "webhooks",
            &endpoint_id.to_string(),
            "deliveries",
            &delivery_id.to_string(),
            "redeliver",
        ]);
        self.send(Call::once(Method::Post, url)).await
    }
}
