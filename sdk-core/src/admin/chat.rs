//! The store's chat channels (its WhatsApp Cloud API number and its Twilio WhatsApp sender;
//! secrets are write-only), and its conversations: threads, staff replies, events and
//! analytics.

use uuid::Uuid;

use super::AdminClient;
use crate::client::{Call, Page};
use crate::contract::{
    AnalyticsQuery, ChatChannels, Conversation, ConversationAnalytics, ConversationEvent,
    ConversationEventQuery, ConversationQuery, ConversationThread, ConversationUpdate, StaffReply,
    TwilioChannel, TwilioChannelInput, WhatsAppChannel, WhatsAppChannelInput,
};
use crate::error::{Error, Result};
use crate::transport::Method;

impl AdminClient {
    /// The store's chat channels, with the webhook URLs to give their providers.
    pub async fn chat_channels(&self) -> Result<ChatChannels> {
        self.send(Call::get(self.url(&["chat", "channels"]))).await
    }

    /// Connects the store's WhatsApp number, or replaces its settings (a secret left out keeps
    /// the stored one).
    pub async fn set_whatsapp_channel(
        &self,
        input: &WhatsAppChannelInput,
    ) -> Result<WhatsAppChannel> {
        let url = self.url(&["chat", "channels", "whatsapp"]);
        self.send(Call::mutate(Method::Put, url).json(input)).await
    }

    /// Connects the store's Twilio WhatsApp sender, or replaces its settings (an auth token
    /// left out keeps the stored one).
    pub async fn set_twilio_channel(&self, input: &TwilioChannelInput) -> Result<TwilioChannel> {
        let url = self.url(&["chat", "channels", "twilio"]);
        self.send(Call::mutate(Method::Put, url).json(input)).await
    }

    /// Disconnects the store's WhatsApp number; returns the channels left.
    pub async fn delete_whatsapp_channel(&self) -> Result<ChatChannels> {
        let url = self.url(&["chat", "channels", "whatsapp"]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// Disconnects the store's Twilio sender; returns the channels left.
    pub async fn delete_twilio_channel(&self) -> Result<ChatChannels> {
        let url = self.url(&["chat", "channels", "twilio"]);
        self.send(Call::mutate(Method::Delete, url)).await
    }
}

impl AdminClient {
    /// The store's conversations, latest activity first; `status: waiting_human` lists those a
    /// person must answer.
    pub async fn conversations(&self, query: &ConversationQuery) -> Result<Page<Conversation>> {
        self.send_page(Call::get(self.url(&["conversations"])).query(query)?)
            .await
    }

    /// A conversation and its last 200 messages, oldest first.
    pub async fn conversation(&self, conversation_id: Uuid) -> Result<ConversationThread> {
        let id = conversation_id.to_string();
        self.send(Call::get(self.url(&["conversations", &id])))
            .await
    }

    /// Hands a conversation back to the assistant (`open`) or ends it (`closed`).
    pub async fn update_conversation(
        &self,
        conversation_id: Uuid,
        update: &ConversationUpdate,
    ) -> Result<ConversationThread> {
        let id = conversation_id.to_string();
        let url = self.url(&["conversations", &id]);
        self.send(Call::mutate(Method::Patch, url).json(update))
            .await
    }

    /// Answers the buyer in the thread, as a person from the store.
    pub async fn reply_to_conversation(
        &self,
        conversation_id: Uuid,
        reply: &StaffReply,
    ) -> Result<ConversationThread> {
        let id = conversation_id.to_string();
        let url = self.url(&["conversations", &id, "replies"]);
        self.send(Call::once(Method::Post, url).json(reply)).await
    }

    /// One page of conversation events, newest first (`query.format` is ignored).
    pub async fn conversation_events(
        &self,
        query: &ConversationEventQuery,
    ) -> Result<Page<ConversationEvent>> {
        let query = ConversationEventQuery {
            format: None,
            ..query.clone()
        };
        self.send_page(Call::get(self.url(&["conversation-events"])).query(&query)?)
            .await
    }

    /// Every matching conversation event as CSV (at most 100,000; paging is ignored).
    pub async fn conversation_events_csv(&self, query: &ConversationEventQuery) -> Result<String> {
        let query = ConversationEventQuery {
            format: Some("csv".to_owned()),
            limit: None,
            offset: None,
            ..query.clone()
        };
        let call = Call::get(self.url(&["conversation-events"])).query(&query)?;
        let (request_id, response) = self.send_raw(call).await?;
        String::from_utf8(response.body).map_err(|error| Error::Decode {
            status: response.status,
            message: format!("the CSV export is not UTF-8: {error}"),
            request_id,
        })
    }

    /// Conversations and how well they went over a period (default: the last 30 days).
    pub async fn conversation_analytics(
        &self,
        query: &AnalyticsQuery,
    ) -> Result<ConversationAnalytics> {
        self.send(Call::get(self.url(&["conversation-analytics"])).query(query)?)
            .await
    }
}
