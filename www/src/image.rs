//! Shows an echoed image: a received binary message whose first bytes say it is a PNG, JPEG,
//! GIF or WebP goes to the preview, through an object URL.

use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use wasm_websocket::Message;

use crate::ui::Ui;

/// The bytes needed to recognise every format below.
const SNIFF_BYTES: usize = 12;

/// The image type `head` starts with, if any.
fn image_type(head: &[u8]) -> Option<&'static str> {
    match head {
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, ..] => Some("image/png"),
        [0xff, 0xd8, 0xff, ..] => Some("image/jpeg"),
        [b'G', b'I', b'F', b'8', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// Shows `message` in the preview if it is an image. A raw Blob is shown as it came, without
/// its bytes ever entering wasm memory; only its first bytes are read, to recognise it.
pub fn show_if_image(ui: &Rc<Ui>, message: Message) {
    match message {
        Message::Text(_) => {}
        Message::Binary(bytes) => {
            let Some(kind) = image_type(&bytes) else {
                return;
            };
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(kind);
            if let Ok(blob) =
                web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            {
                let caption = format!("echoed {kind}, {} bytes, received as bytes", bytes.len());
                ui.show_image(&blob, &caption);
            }
        }
        Message::Blob(blob) => {
            let ui = ui.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let head = blob
                    .slice_with_i32_and_i32(0, SNIFF_BYTES as i32)
                    .map(|head| head.array_buffer());
                let head = match head {
                    Ok(promise) => JsFuture::from(promise).await,
                    Err(e) => Err(e),
                };
                let head = head.map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
                if let Some(kind) = head.as_deref().ok().and_then(image_type) {
                    let caption = format!(
                        "echoed {kind}, {} bytes, shown from the raw Blob",
                        blob.size()
                    );
                    ui.show_image(&blob, &caption);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn recognises_images_by_their_first_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\0\0\0\r"), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"GIF89a"), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"\x89PN"), None);
        assert_eq!(image_type(b"hello world!"), None);
    }
}
