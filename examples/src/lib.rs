//! Runnable examples of the Colmena Rust SDK; see the `src/bin` directory.
