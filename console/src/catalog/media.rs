//! A product's images and its digital file. Files are dropped on a drop zone, or chosen with
//! its file input (for keyboard users); their type and size are checked here, before their
//! bytes go to the API, which checks them again (and decodes images in full).

use colmena_sdk::contract::{AdminProduct, DIGITAL_FILE_TYPES, IMAGE_TYPES, MAX_UPLOAD_BYTES};
use colmena_sdk::Uuid;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList, HtmlInputElement};

use super::ConfirmButton;
use crate::calls::call_api;
use crate::field::FormProblem;
use crate::{Problem, SharedSession};

/// The content type the API expects for `file`: the one the browser gives, or else the one
/// its extension says. Browsers give none for some files, and some a name the API does not
/// take (ZIP files are `application/x-zip-compressed` on Windows).
fn content_type_of(file: &File) -> String {
    let declared = file.type_();
    if IMAGE_TYPES.contains(&declared.as_str()) || DIGITAL_FILE_TYPES.contains(&declared.as_str()) {
        return declared;
    }
    let name = file.name().to_ascii_lowercase();
    let by_extension = match name.rsplit_once('.').map_or("", |(_, extension)| extension) {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain",
        _ => return declared,
    };
    by_extension.to_owned()
}

/// A file read for upload.
struct Upload {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// Reads `file` when it is one of the `accepted` types (`kinds` names them for people) and
/// within the API's size limit; otherwise a problem naming the file.
async fn read_upload(file: &File, accepted: &[&str], kinds: &str) -> Result<Upload, Problem> {
    let name = file.name();
    let refused = |reason: &str| Problem::new(format!("{name}: {reason}"));
    let content_type = content_type_of(file);
    if !accepted.contains(&content_type.as_str()) {
        return Err(refused(&format!("only {kinds} can be uploaded here")));
    }
    // Sizes are whole numbers of bytes, exact in a float far beyond 10 MB.
    if file.size() > MAX_UPLOAD_BYTES as f64 {
        return Err(refused("larger than 10 MB"));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| refused("the browser cannot read it"))?;
    Ok(Upload {
        bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
        name,
        content_type,
    })
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

/// Where files are dropped, with a file input for those who do not drag (keyboard and
/// touch users): both hand the files to `on_files`.
#[component]
fn DropZone(
    /// The file input's id, unique in the page.
    id: &'static str,
    /// What the zone asks for.
    #[prop(into)]
    prompt: Signal<String>,
    /// The file input's button text.
    choose: &'static str,
    /// The input's `accept` list.
    accept: &'static str,
    #[prop(optional)] multiple: bool,
    /// While true (an upload runs), new files are not taken.
    busy: RwSignal<bool>,
    on_files: Callback<Vec<File>>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let take = move |files: Vec<File>| {
        if !busy.get_untracked() && !files.is_empty() {
            on_files.run(files);
        }
    };
    view! {
        <div class="drop-zone" class:over=move || over.get() aria-busy=move || busy.get().to_string()
            on:dragover=move |ev: DragEvent| {
                // Without this the browser opens the dropped file instead.
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                over.set(false);
                take(files_of(ev.data_transfer().and_then(|data| data.files())));
            }>
            <p>{prompt}</p>
            <input id=id type="file" class="file-input" accept=accept multiple=multiple
                prop:disabled=move || busy.get()
                on:change=move |ev| {
                    let input: HtmlInputElement = event_target(&ev);
                    take(files_of(input.files()));
                    // Choosing the same file again is a change too.
                    input.set_value("");
                } />
            <label for=id class="button">{choose}</label>
        </div>
    }
}

/// The product's images: thumbnails (the first is the main image), each removable, and a
/// drop zone that uploads images in the order given, after the others.
#[component]
pub fn Images(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(String::new());
    let upload = Callback::new(move |files: Vec<File>| {
        let count = files.len();
        let call = move |session: crate::session::Session| async move {
            for (index, file) in files.iter().enumerate() {
                progress.set(format!(
                    "Uploading {} ({} of {count})…",
                    file.name(),
                    index + 1
                ));
                let image = read_upload(file, &IMAGE_TYPES, "JPEG, PNG or WebP images").await?;
                let answer = session
                    .admin()
                    .upload_image(product_id, &image.content_type, image.bytes, None)
                    .await
                    .map_err(|error| {
                        let problem = Problem::from(error);
                        Problem::new(format!("{}: {}", image.name, problem.message))
                    })?;
                product.set(Some(answer));
            }
            Ok::<_, Problem>(count)
        };
        call_api(session, set_problem, Some(busy), call, move |count| {
            progress.set(if count == 1 {
                "Image uploaded.".to_owned()
            } else {
                format!("{count} images uploaded.")
            });
        });
    });
    let remove = move |image_id: Uuid| {
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().delete_image(product_id, image_id).await },
            move |answer| {
                product.set(Some(answer));
                progress.set("Image removed.".to_owned());
            },
        );
    };
    let thumbnails = move || {
        let images = product.with(|p| p.as_ref().map(|p| p.product.images.clone()));
        images
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(index, image)| {
                let name = format!("Remove image {}", index + 1);
                let action = image.id.map(|image_id| {
                    view! {
                        <ConfirmButton label="Remove" name=name question="Remove this image?"
                            on_confirm=Callback::new(move |()| remove(image_id)) />
                    }
                });
                view! {
                    <li>
                        <img src=image.url alt=image.alt width="112" height="112" loading="lazy" />
                        {(index == 0).then(|| view! { <span class="badge">"Main"</span> })}
                        {action}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="images-title">
            <h2 id="images-title">"Images"</h2>
            <ul class="thumbs">{thumbnails}</ul>
            <DropZone id="image-files" prompt="Drop JPEG, PNG or WebP images here (up to 10 MB each)"
                choose="Choose images" accept="image/jpeg,image/png,image/webp" multiple=true
                busy=busy on_files=upload />
            <p role="status" class="hint">{move || progress.get()}</p>
            <FormProblem problem=problem />
        </section>
    }
}

/// The file buyers download after paying: upload it (the product becomes a download),
/// replace it, or remove it.
#[component]
pub fn DigitalFile(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new("");
    let file_name =
        Memo::new(move |_| product.with(|p| p.as_ref().and_then(|p| p.digital_file_name.clone())));
    let upload = Callback::new(move |files: Vec<File>| {
        let call = move |session: crate::session::Session| async move {
            let Some(file) = files.first() else {
                return Ok(None);
            };
            let upload = read_upload(file, &DIGITAL_FILE_TYPES, "PDF, ZIP or text files").await?;
            let answer = session
                .admin()
                .upload_digital_file(product_id, &upload.name, &upload.content_type, upload.bytes)
                .await?;
            Ok::<_, Problem>(Some(answer))
        };
        call_api(session, set_problem, Some(busy), call, move |answer| {
            if let Some(answer) = answer {
                product.set(Some(answer));
                done.set("File uploaded.");
            }
        });
    });
    let remove = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().delete_digital_file(product_id).await },
            move |answer| {
                product.set(Some(answer));
                done.set("File removed.");
            },
        );
    });
    let prompt = Signal::derive(move || {
        if file_name.with(Option::is_some) {
            "Drop a new file here to replace it (PDF, ZIP or text, up to 10 MB)".to_owned()
        } else {
            "Drop a PDF, ZIP or text file here (up to 10 MB) to sell this product as a download"
                .to_owned()
        }
    });
    view! {
        <section class="card" aria-labelledby="file-title">
            <h2 id="file-title">"Digital download"</h2>
            {move || match file_name.get() {
                Some(name) => view! {
                    <p class="row file-name">
                        <span>"Buyers download " <strong>{name}</strong> " after paying."</span>
                        <ConfirmButton label="Remove file"
                            question="Remove the file? The product will no longer be a download."
                            on_confirm=remove />
                    </p>
                }.into_any(),
                None => view! { <p class="hint">"Not a download: buyers receive nothing to download."</p> }.into_any(),
            }}
            <DropZone id="digital-file" prompt=prompt choose="Choose a file"
                accept="application/pdf,application/zip,text/plain,.pdf,.zip,.txt"
                busy=busy on_files=upload />
            <p role="status" class="hint">{move || done.get()}</p>
            <FormProblem problem=problem />
        </section>
    }
}
