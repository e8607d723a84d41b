//! The mail worker: claims due messages (with a lease, so two servers on one database never
//! send one twice), sends them, and records each attempt with exponential backoff.

use crate::db::Row;
use std::path::PathBuf;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::MailTransport;
use crate::db::{count_column, uuid_column};
use crate::http::ApiError;
use crate::ops::metrics::{self, DeliveryOutcome};
use crate::{db, retry, AppState};

/// The running mail worker.
pub type MailWorker = retry::OutboxWorker;

/// Starts the background worker that sends due messages. Mail is not woken by the changes that
/// write it: it goes out within a poll interval.
pub fn spawn_delivery_worker(state: AppState) -> MailWorker {
    let poll = state.mail.config().poll_interval;
    retry::OutboxWorker::spawn("mail", poll, Default::default(), move || {
        let state = state.clone();
        async move { send_due(&state).await }
    })
}

/// A message claimed for an attempt.
struct Due {
    id: Uuid,
    kind: String,
    attempts: u32,
    recipient: String,
    sender_name: String,
    subject: String,
    text_body: String,
    html_body: String,
}

/// Attempts every due message once (up to a batch). Returns how many.
pub async fn send_due(state: &AppState) -> Result<usize, ApiError> {
    let now = db::now();
    let rows = crate::db::query(
        "SELECT id, kind, attempts, next_attempt_at, recipient, sender_name, subject, \
           text_body, html_body FROM mail_outbox \
         WHERE status = 'pending' AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at LIMIT 20",
    )
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let lease_until = now + retry::claim_lease(state.mail.config().timeout);
    let claimed = retry::claim_due(&state.db.writer, "mail_outbox", &rows, lease_until, |row| {
        due_from_row(row).map(|due| (due.id, due))
    })
    .await?;
    let count = retry::attempt_all(claimed, |due| {
        let state = state.clone();
        async move {
            let outcome = attempt(&state, &due).await;
            if let Err(error) = record(&state, &due, outcome).await {
                tracing::warn!(target: "colmena::mail", ?error, message = %due.id, "cannot record a mail attempt");
            }
        }
    })
    .await;
    Ok(count)
}

fn due_from_row(row: &Row) -> Result<Due, sqlx::Error> {
    Ok(Due {
        id: uuid_column(row, "id")?,
        kind: row.try_get("kind")?,
        attempts: count_column(row, "attempts")?,
        recipient: row.try_get("recipient")?,
        sender_name: row.try_get("sender_name")?,
        subject: row.try_get("subject")?,
        text_body: row
            .try_get::<Option<String>, _>("text_body")?
            .unwrap_or_default(),
        html_body: row
            .try_get::<Option<String>, _>("html_body")?
            .unwrap_or_default(),
    })
}

/// Why an attempt failed; a permanent failure (a refused address) is not retried.
struct Failure {
    error: String,
    permanent: bool,
}

impl Failure {
    fn permanent(error: impl std::fmt::Display) -> Self {
        Self {
            error: error.to_string(),
            permanent: true,
        }
    }
}

/// A body sent as 8-bit UTF-8 when every line fits SMTP's limit of 998 bytes, so that links
/// stay whole and readable in the raw message (the `.eml` files people and tests read);
/// otherwise lettre's own choice (quoted-printable or base64). lettre's `new_with_encoding`
/// would refuse 8-bit for any line over 76 characters, which every link with a token is.
fn part(content_type: ContentType, text: &str) -> SinglePart {
    let text = text.replace("\r\n", "\n");
    let fits = text
        .split('\n')
        .all(|line| line.len() <= 998 && !line.contains(['\r', '\0']));
    let body = if fits {
        Body::dangerous_pre_encoded(
            text.replace('\n', "\r\n").into_bytes(),
            ContentTransferEncoding::EightBit,
        )
    } else {
        Body::new(text)
    };
    SinglePart::builder().header(content_type).body(body)
}

async fn attempt(state: &AppState, due: &Due) -> Result<(), Failure> {
    let mailer = &state.mail;
    let to: Mailbox = due
        .recipient
        .parse()
        .map_err(|_| Failure::permanent("the recipient is not an email address"))?;
    let from = Mailbox::new(Some(due.sender_name.clone()), mailer.from.clone());
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(due.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(part(ContentType::TEXT_PLAIN, &due.text_body))
                .singlepart(part(ContentType::TEXT_HTML, &due.html_body)),
        )
        .map_err(Failure::permanent)?;
    match (&mailer.smtp, &mailer.config.transport) {
        (Some(smtp), _) => smtp.send(message).await.map(drop).map_err(|error| Failure {
            permanent: error.is_permanent(),
            error: error.to_string(),
        }),
        (None, MailTransport::Files(dir)) => {
            let id = AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(message)
                .await
                .map_err(|error| Failure {
                    error: error.to_string(),
                    permanent: false,
                })?;
            let path: PathBuf = dir.join(format!("{id}.eml"));
            // The deliberate notice: the file holds the message's links (the demo's and the
            // tests' way to read mail). The path is in the message text, which the log's
            // formatter never styles, so that it can be matched.
            tracing::info!(
                target: "colmena::mail",
                to = %due.recipient,
                kind = %due.kind,
                "mail written to {}",
                path.display()
            );
            Ok(())
        }
        (None, MailTransport::Smtp(_)) => Err(Failure::permanent("no SMTP transport")),
    }
}

async fn record(
    state: &AppState,
    due: &Due,
    outcome: Result<(), Failure>,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    let attempts = due.attempts.saturating_add(1);
    let config = state.mail.config();
    match outcome {
        // Sent: the bodies go (they may carry one-time links), the delivery record stays.
        Ok(()) => {
            metrics::delivery("mail", DeliveryOutcome::Sent);
            crate::db::query(
                "UPDATE mail_outbox SET status = 'sent', attempts = $1, last_error = NULL, \
                   next_attempt_at = NULL, sent_at = $2, updated_at = $2, text_body = NULL, \
                   html_body = NULL WHERE id = $3",
            )
            .bind(i64::from(attempts))
            .bind(now)
            .bind(due.id)
            .execute(&state.db.writer)
            .await?;
        }
        Err(failure) => {
            let given_up = failure.permanent || attempts >= config.max_attempts;
            metrics::delivery(
                "mail",
                if given_up {
                    DeliveryOutcome::Failed
                } else {
                    DeliveryOutcome::Retrying
                },
            );
            let next = (!given_up).then(|| {
                let wait = retry::backoff(config.retry_base, attempts);
                let wait = time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
                now + wait
            });
            tracing::warn!(
                target: "colmena::mail",
                message = %due.id,
                kind = %due.kind,
                attempts,
                given_up,
                error = %failure.error,
                "mail not sent"
            );
            crate::db::query(
                "UPDATE mail_outbox SET status = $1, attempts = $2, last_error = $3, \
                   next_attempt_at = $4, updated_at = $5 WHERE id = $6",
            )
            .bind(if given_up { "failed" } else { "pending" })
            .bind(i64::from(attempts))
            .bind(&failure.error)
            .bind(next)
            .bind(now)
            .bind(due.id)
            .execute(&state.db.writer)
            .await?;
        }
    }
    Ok(())
}
