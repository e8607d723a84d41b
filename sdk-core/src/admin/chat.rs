//! The store's chat channels: its WhatsApp Cloud API number and its Twilio WhatsApp sender.
//! Secrets are write-only: answers say only whether each is set.

use super::AdminClient;
use crate::client::Call;
use crate::contract::{
    ChatChannels, TwilioChannel, TwilioChannelInput, WhatsAppChannel, WhatsAppChannelInput,
};
use crate::error::Result;
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
