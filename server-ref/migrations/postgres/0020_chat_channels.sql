-- Each store's chat channels (issue 18): its WhatsApp Cloud API number and its Twilio WhatsApp
-- sender. Column-for-column identical in both dialects.
--
-- Secrets the server uses again (to check webhook signatures, to send replies) are sealed with
-- a key derived from the server secret: base64 of an XChaCha20-Poly1305 nonce and ciphertext,
-- bound to their store and column (server-ref/src/sealed.rs). The WhatsApp verify token is only
-- compared, so only its SHA-256 (hex) is kept.

CREATE TABLE chat_whatsapp_channels (
    store_id             TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
    -- Meta's id of the number: inbound messages are routed by it, so one store per number.
    phone_number_id      TEXT NOT NULL,
    -- The number as buyers dial it, E.164 (`+15550001234`).
    display_phone_number TEXT NOT NULL,
    verify_token_hash    TEXT NOT NULL,
    app_secret_sealed    TEXT NOT NULL,
    -- Sending needs it; a channel may receive (and be verified) before it has one.
    access_token_sealed  TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_chat_whatsapp_channels_number ON chat_whatsapp_channels (phone_number_id);
-- Meta's verification request names no number: the store is found by its token.
CREATE INDEX idx_chat_whatsapp_channels_verify_token ON chat_whatsapp_channels (verify_token_hash);

CREATE TABLE chat_twilio_channels (
    store_id          TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
    account_sid       TEXT NOT NULL,
    -- `whatsapp:+14155238886`: inbound messages are routed by it, so one store per sender.
    sender            TEXT NOT NULL,
    auth_token_sealed TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_chat_twilio_channels_sender ON chat_twilio_channels (sender);
