//! Transactional email: order confirmations, failed payments, refunds, password-reset and
//! invitation links, and buyers' access links.
//!
//! Like partner webhooks, messages go through an outbox: each is rendered (in its reader's
//! language, see `messages`) and written in the same transaction as the change that causes it,
//! so a rolled-back change sends nothing and a committed one is never lost. A worker sends due
//! messages over SMTP (`--smtp-url`), retrying with exponential backoff while the mail server
//! is unreachable and recording every delivery (attempts, last error, sent time). Without a mail
//! server, each message is written as an `.eml` file under `--mail-dir` and its path logged at
//! target `colmena::mail`, which is how the demo and the tests read them.

mod delivery;
mod messages;
mod outbox;

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};

pub use delivery::{send_due, spawn_delivery_worker, MailWorker};
pub(crate) use messages::reader_language;
pub(crate) use messages::LinkMessage;
pub use messages::{OrderMessage, Rendered};
pub(crate) use outbox::{enqueue_link_message, enqueue_order_message};

/// Where messages go. Its `Debug` leaves out the SMTP URL's credentials.
#[derive(Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// An SMTP server: `smtp://[user:password@]host[:port]` (STARTTLS when the server offers
    /// it; `?tls=required` insists), or `smtps://…` (TLS from the start).
    Smtp(String),
    /// `.eml` files in this directory (no mail server: development and the demo).
    Files(PathBuf),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(url) => {
                let shown = url::Url::parse(url).map_or_else(
                    |_| "(not a URL)".to_owned(),
                    |mut url| {
                        // Failing to clear them means there were none.
                        let _ = url.set_username("");
                        let _ = url.set_password(None);
                        url.to_string()
                    },
                );
                f.debug_tuple("Smtp").field(&shown).finish()
            }
            Self::Files(dir) => f.debug_tuple("Files").field(dir).finish(),
        }
    }
}

/// How messages are sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// Where messages go.
    pub transport: MailTransport,
    /// The sender's address; each store's name is its display name.
    pub from: String,
    /// Wait before the second attempt; doubles with each further attempt (at most an hour).
    pub retry_base: Duration,
    /// Attempts before a message is marked failed.
    pub max_attempts: u32,
    /// How often the worker looks for due messages.
    pub poll_interval: Duration,
    /// Timeout of one SMTP conversation.
    pub timeout: Duration,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: MailTransport::Files(PathBuf::from("colmena-mail")),
            from: "no-reply@localhost".to_owned(),
            retry_base: Duration::from_secs(30),
            max_attempts: 10,
            poll_interval: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why mail could not be set up at start-up.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    /// `--mail-from` is not an email address.
    #[error("--mail-from {0:?} is not an email address")]
    From(String),
    /// `--smtp-url` does not parse (the URL is not repeated: it may hold a password).
    #[error("--smtp-url is not a usable smtp:// or smtps:// URL: {0}")]
    SmtpUrl(String),
    /// The mail directory cannot be created.
    #[error("cannot create the mail directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The configured transport, ready to send.
#[derive(Debug)]
pub struct Mailer {
    config: MailConfig,
    from: lettre::Address,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

impl Mailer {
    /// Checks the configuration and opens the transport (an SMTP pool connects lazily).
    pub fn new(config: MailConfig) -> Result<Self, MailSetupError> {
        let from = config
            .from
            .parse::<Mailbox>()
            .map_err(|_| MailSetupError::From(config.from.clone()))?
            .email;
        let smtp = match &config.transport {
            MailTransport::Smtp(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailSetupError::SmtpUrl(e.to_string()))?
                    .timeout(Some(config.timeout))
                    .build(),
            ),
            MailTransport::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| MailSetupError::Directory {
                    path: dir.clone(),
                    source,
                })?;
                None
            }
        };
        Ok(Self { config, from, smtp })
    }

    /// The configuration.
    pub fn config(&self) -> &MailConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_leaves_out_smtp_credentials() {
        let transport = MailTransport::Smtp("smtps://shop:s3cret@mail.example.com:465".into());
        let shown = format!("{transport:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("shop@"),
            "{shown}"
        );
        assert!(shown.contains("mail.example.com"), "{shown}");
    }
}
