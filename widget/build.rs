//! Minifies `src/widget.css` into `$OUT_DIR/widget.css`, which the wasm embeds: comments and
//! layout whitespace only cost bytes on the wire. Conservative on purpose: it drops comments,
//! collapses whitespace, and removes spaces next to `{`, `}`, `;`, `,` and after `:`; quoted
//! strings are copied as they are.

use std::{env, fs, path::Path};

fn main() {
    let source = "src/widget.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("widget.css");
    fs::write(&out, minify(&css)).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space);
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ',' => {
                pending_space = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
            ':' => {
                // The space before stays (`.a :hover` is not `.a:hover`); the one after goes
                // (`color: red`, `(max-width: 480px)`).
                flush_space(&mut out, &mut pending_space);
                out.push(c);
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            c => {
                flush_space(&mut out, &mut pending_space);
                out.push(c);
            }
        }
    }
    out
}

/// Writes one space for a run of whitespace, unless nothing precedes it that needs one.
fn flush_space(out: &mut String, pending: &mut bool) {
    if *pending && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', ':']) {
        out.push(' ');
    }
    *pending = false;
}
