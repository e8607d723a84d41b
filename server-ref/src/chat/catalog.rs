//! Each store's catalog as the chat interpreter reads it.
