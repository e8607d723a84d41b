//! An image of the storefront (the logo, a banner's picture): dropped on a zone or chosen with
//! the file input (the keyboard's and touch screens' way), uploaded at once, and its URL put in
//! the draft; the URL can also be typed, for an image already online.

use colmena_sdk::contract::{IMAGE_TYPES, MAX_UPLOAD_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::draft::refused;
use crate::field::Field;
use crate::{Problem, SharedSession};

/// The drop zone, the file input and the URL field of one image.
#[component]
pub fn ImageDrop(
    session: SharedSession,
    /// What the image is, e.g. `Logo image`.
    #[prop(into)]
    label: String,
    /// The URL's name in the API, e.g. `banners[0].imageUrl`: upload failures show there too.
    #[prop(into)]
    parameter: String,
    url: RwSignal<String>,
    problem: ReadSignal<Option<Problem>>,
    set_problem: WriteSignal<Option<Problem>>,
) -> impl IntoView {
    let uploading = RwSignal::new(false);
    let dragged_over = RwSignal::new(false);
    let failure_field = StoredValue::new(parameter.clone());
    let upload = move |file: web_sys::File| {
        let field = failure_field.get_value();
        let content_type = file.type_();
        if !IMAGE_TYPES.contains(&content_type.as_str()) {
            set_problem.set(Some(refused(field, "choose a JPEG, PNG or WebP image")));
            return;
        }
        // Checked here too, so a large file is refused before it is sent.
        if file.size() > MAX_UPLOAD_BYTES as f64 {
            set_problem.set(Some(refused(field, "choose an image of 10 MB or less")));
            return;
        }
        uploading.set(true);
        let session = session.get_value();
        spawn_local(async move {
            let stored = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    session
                        .admin()
                        .upload_storefront_asset(&content_type, bytes)
                        .await
                        // The API's refusal (type, size, pixels) belongs beside this image.
                        .map_err(|error| Problem {
                            field: Some(field.clone()),
                            ..Problem::from(error)
                        })
                }
                Err(_) => Err(refused(field.clone(), "the file could not be read")),
            };
            match stored {
                Ok(asset) => {
                    url.set(asset.url);
                    set_problem.update(|p| {
                        if p.as_ref()
                            .is_some_and(|p| p.field.as_deref() == Some(&field))
                        {
                            *p = None;
                        }
                    });
                }
                Err(problem) => set_problem.set(Some(problem)),
            }
            uploading.set(false);
            session.save().await;
        });
    };
    let dropped = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragged_over.set(false);
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            upload(file);
        }
    };
    let chosen = move |event: leptos::ev::Event| {
        let input = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                upload(file);
            }
            // Choosing the same file again is a change too.
            input.set_value("");
        }
    };
    // Dragging over the zone must cancel the event, or the browser opens the file instead.
    let over = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragged_over.set(true);
    };
    let accept = IMAGE_TYPES.join(",");
    let choose_label = format!("Choose a file for the {}", label.to_lowercase());
    let remove_label = format!("Remove the {}", label.to_lowercase());
    view! {
        <div class="image-field">
            <div class="drop" class:over=move || dragged_over.get()
                on:dragenter=over on:dragover=over
                on:dragleave=move |_| dragged_over.set(false) on:drop=dropped>
                {move || {
                    let current = url.get();
                    (!current.trim().is_empty()).then(|| view! { <img class="thumb" src=current alt="" /> })
                }}
                <p>
                    "Drop an image here, or "
                    <label class="file-button">
                        <span aria-hidden="true">"choose a file"</span>
                        <input type="file" class="visually-hidden" accept=accept
                            aria-label=choose_label on:change=chosen />
                    </label>
                    <br /><span class="hint">"JPEG, PNG or WebP, up to 10 MB"</span>
                </p>
                <span role="status" class="hint">{move || uploading.get().then_some("Uploading…")}</span>
            </div>
            <Field label=format!("{label} URL") parameter=parameter value=url problem=problem kind="url" />
            {move || (!url.get().trim().is_empty()).then(|| view! {
                <button type="button" class="link" on:click=move |_| url.set(String::new())>{remove_label.clone()}</button>
            })}
        </div>
    }
}
