//! The page's elements, looked up once, and everything the demo writes to them.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_websocket::{BinaryType, CloseCode, Error, Message, ReadyState};
use web_sys::{
    Document, Element, HtmlButtonElement, HtmlElement, HtmlImageElement, HtmlInputElement,
    HtmlProgressElement, HtmlSelectElement,
};

/// The log keeps this many lines; older ones scroll away for good.
const LOG_LINES: u32 = 400;
/// Plot size in SVG user units (the `viewBox` of `#plot`).
const PLOT_WIDTH: f64 = 600.0;
const PLOT_HEIGHT: f64 = 100.0;

/// How a log line is coloured.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Open,
    In,
    Out,
    Error,
    Close,
    Note,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Open => "open",
            Kind::In => "in",
            Kind::Out => "out",
            Kind::Error => "error",
            Kind::Close => "close",
            Kind::Note => "note",
        }
    }
}

/// What the connect form asks for.
pub struct Settings {
    pub url: String,
    pub protocols: Vec<String>,
    pub binary_type: BinaryType,
    pub reconnect: bool,
}

/// Messages and bytes one way.
#[derive(Debug, Default, Clone, Copy)]
struct Traffic {
    messages: u64,
    bytes: u64,
}

impl Traffic {
    fn add(&mut self, bytes: u64) -> String {
        self.messages += 1;
        self.bytes += bytes;
        format!("{} messages, {} bytes", self.messages, self.bytes)
    }
}

/// The last log line, so that repeats are counted on it instead of flooding the log.
struct LastLine {
    key: String,
    times: Element,
    count: u32,
}

pub struct Ui {
    document: Document,
    pub connect_form: HtmlElement,
    url: HtmlInputElement,
    protocols: HtmlInputElement,
    binary_type: HtmlSelectElement,
    reconnect: HtmlInputElement,
    connect: HtmlButtonElement,
    connect_error: HtmlElement,
    close_code: HtmlInputElement,
    close_reason: HtmlInputElement,
    pub close: HtmlButtonElement,
    close_error: HtmlElement,
    pub text_form: HtmlElement,
    text: HtmlInputElement,
    send_text: HtmlButtonElement,
    pub drop_zone: HtmlElement,
    pub file: HtmlInputElement,
    preview: HtmlElement,
    preview_image: HtmlImageElement,
    preview_caption: HtmlElement,
    /// The object URL `#preview-image` shows, revoked when it is replaced.
    preview_url: RefCell<Option<String>>,
    throttle_count: HtmlInputElement,
    throttle_size: HtmlInputElement,
    pub throttle: HtmlButtonElement,
    throttle_progress: HtmlProgressElement,
    throttle_status: HtmlElement,
    plot_line: Element,
    plot_peak: HtmlElement,
    /// (milliseconds since the start, bufferedAmount) of the current throttled run.
    plot: RefCell<Vec<(f64, u32)>>,
    state: HtmlElement,
    socket_url: HtmlElement,
    protocol: HtmlElement,
    extensions: HtmlElement,
    buffered: HtmlElement,
    incoming: HtmlElement,
    outgoing: HtmlElement,
    attempts: HtmlElement,
    traffic_in: Cell<Traffic>,
    traffic_out: Cell<Traffic>,
    log: HtmlElement,
    last_line: RefCell<Option<LastLine>>,
}

fn by_id<T: JsCast>(document: &Document, id: &str) -> Result<T, String> {
    document
        .get_element_by_id(id)
        .ok_or_else(|| format!("#{id} is missing from the page"))?
        .dyn_into()
        .map_err(|_| format!("#{id} is not the element the demo expects"))
}

impl Ui {
    pub fn new() -> Result<Ui, String> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let d = &document;
        let ui = Ui {
            connect_form: by_id(d, "connect-form")?,
            url: by_id(d, "url")?,
            protocols: by_id(d, "protocols")?,
            binary_type: by_id(d, "binary-type")?,
            reconnect: by_id(d, "reconnect")?,
            connect: by_id(d, "connect")?,
            connect_error: by_id(d, "connect-error")?,
            close_code: by_id(d, "close-code")?,
            close_reason: by_id(d, "close-reason")?,
            close: by_id(d, "close")?,
            close_error: by_id(d, "close-error")?,
            text_form: by_id(d, "text-form")?,
            text: by_id(d, "text")?,
            send_text: by_id(d, "send-text")?,
            drop_zone: by_id(d, "drop")?,
            file: by_id(d, "file")?,
            preview: by_id(d, "preview")?,
            preview_image: by_id(d, "preview-image")?,
            preview_caption: by_id(d, "preview-caption")?,
            preview_url: RefCell::new(None),
            throttle_count: by_id(d, "throttle-count")?,
            throttle_size: by_id(d, "throttle-size")?,
            throttle: by_id(d, "throttle")?,
            throttle_progress: by_id(d, "throttle-progress")?,
            throttle_status: by_id(d, "throttle-status")?,
            plot_line: by_id(d, "plot-line")?,
            plot_peak: by_id(d, "plot-peak")?,
            plot: RefCell::new(Vec::new()),
            state: by_id(d, "state")?,
            socket_url: by_id(d, "socket-url")?,
            protocol: by_id(d, "protocol")?,
            extensions: by_id(d, "extensions")?,
            buffered: by_id(d, "buffered")?,
            incoming: by_id(d, "in")?,
            outgoing: by_id(d, "out")?,
            attempts: by_id(d, "attempts")?,
            traffic_in: Cell::default(),
            traffic_out: Cell::default(),
            log: by_id(d, "log")?,
            last_line: RefCell::new(None),
            document,
        };
        // `?url=` pre-fills the form (the end-to-end tests point it at their server).
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok());
        if let Some(url) = query.and_then(|q| q.get("url")) {
            ui.url.set_value(&url);
        }
        Ok(ui)
    }

    // --- reading the controls --------------------------------------------------------------

    pub fn settings(&self) -> Settings {
        let binary_type = match self.binary_type.value().as_str() {
            "blob" => BinaryType::Blob,
            "raw-blob" => BinaryType::RawBlob,
            _ => BinaryType::ArrayBuffer,
        };
        // The crate validates each protocol; empty pieces between commas are not protocols.
        let protocols = self.protocols.value();
        Settings {
            url: self.url.value().trim().to_owned(),
            protocols: protocols
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            binary_type,
            reconnect: self.reconnect.checked(),
        }
    }

    /// The close code and reason typed in; a code that is not a number at all is caught here,
    /// every other check is the crate's.
    pub fn close_request(&self) -> Result<(CloseCode, String), String> {
        let code = self.close_code.value();
        let code: u16 = code
            .trim()
            .parse()
            .map_err(|_| format!("{code:?} is not a close code (a number from 0 to 65535)"))?;
        Ok((CloseCode::from(code), self.close_reason.value()))
    }

    /// Whether a connection takes messages now (the file picker is enabled exactly then).
    pub fn can_send(&self) -> bool {
        !self.file.disabled()
    }

    pub fn text(&self) -> String {
        self.text.value()
    }

    /// (messages, bytes each) for the throttled sender.
    pub fn throttle_request(&self) -> Result<(u32, usize), String> {
        let count = self.throttle_count.value().trim().parse::<u32>();
        let size = self.throttle_size.value().trim().parse::<usize>();
        match (count, size) {
            (Ok(count), Ok(size)) if count > 0 && size <= 64 << 20 => Ok((count, size)),
            _ => Err("give at least 1 message, of at most 64 MiB each".into()),
        }
    }

    // --- the connection's life ---------------------------------------------------------------

    /// Shows a validation error of the crate under the form it belongs to (empty clears it).
    pub fn form_error(&self, error: &Error) {
        let target = match error {
            Error::InvalidCloseCode(_) | Error::ReasonTooLong { .. } => &self.close_error,
            _ => &self.connect_error,
        };
        target.set_text_content(Some(&error.to_string()));
    }

    pub fn close_error(&self, message: &str) {
        self.close_error.set_text_content(Some(message));
    }

    pub fn connecting(&self, settings: &Settings) {
        self.connect_error.set_text_content(None);
        self.close_error.set_text_content(None);
        self.connect.set_disabled(true);
        self.close.set_disabled(false);
        self.traffic_in.take();
        self.traffic_out.take();
        self.incoming.set_text_content(Some("0 messages, 0 bytes"));
        self.outgoing.set_text_content(Some("0 messages, 0 bytes"));
        self.socket_url.set_text_content(Some(&settings.url));
        for field in [&self.protocol, &self.extensions, &self.buffered] {
            field.set_text_content(Some("—"));
        }
        self.attempts
            .set_text_content(Some(if settings.reconnect { "on" } else { "off" }));
        self.set_state("connecting");
        let protocols = match settings.protocols.as_slice() {
            [] => "none".to_owned(),
            list => list.join(", "),
        };
        self.log(
            Kind::Note,
            "connect",
            &format!(
                "{} (protocols: {protocols}; binary type: {:?})",
                settings.url, settings.binary_type
            ),
        );
    }

    /// A plain socket is open: its URL, protocol and extensions are known.
    pub fn opened_socket(&self, url: &str, protocol: &str, extensions: &str) {
        self.socket_url.set_text_content(Some(url));
        self.protocol.set_text_content(Some(or_none(protocol)));
        self.extensions.set_text_content(Some(or_none(extensions)));
        self.opened(true);
    }

    /// Sending is possible; the throttled sender needs a plain socket's Sink.
    pub fn opened(&self, throttle: bool) {
        self.send_text.set_disabled(false);
        self.file.set_disabled(false);
        self.throttle.set_disabled(!throttle);
        self.set_state("open");
    }

    /// Sending stops (closing, or disconnected while reconnecting).
    pub fn sending_stopped(&self) {
        self.send_text.set_disabled(true);
        self.file.set_disabled(true);
        self.throttle.set_disabled(true);
    }

    /// The session is over: the form can connect again.
    pub fn finished(&self) {
        self.sending_stopped();
        self.connect.set_disabled(false);
        self.close.set_disabled(true);
        self.set_state("closed");
    }

    pub fn set_state(&self, state: &str) {
        self.state.set_text_content(Some(state));
        let _ = self.state.set_attribute("data-state", state);
    }

    pub fn set_ready_state(&self, state: ReadyState) {
        self.set_state(&state.to_string());
        if state != ReadyState::Open {
            self.sending_stopped();
        }
    }

    pub fn set_buffered(&self, amount: u32) {
        self.buffered
            .set_text_content(Some(&format!("{amount} bytes")));
    }

    pub fn set_attempts(&self, text: &str) {
        self.attempts.set_text_content(Some(text));
    }

    pub fn count_in(&self, bytes: u64) {
        let mut traffic = self.traffic_in.get();
        self.incoming.set_text_content(Some(&traffic.add(bytes)));
        self.traffic_in.set(traffic);
    }

    pub fn count_out(&self, bytes: u64) {
        let mut traffic = self.traffic_out.get();
        self.outgoing.set_text_content(Some(&traffic.add(bytes)));
        self.traffic_out.set(traffic);
    }

    // --- the log ---------------------------------------------------------------------------

    /// Adds a timestamped line; a line equal to the previous one is counted on it instead.
    pub fn log(&self, kind: Kind, tag: &str, text: &str) {
        let key = format!("{}|{tag}|{text}", kind.class());
        if let Some(last) = self.last_line.borrow_mut().as_mut() {
            if last.key == key {
                last.count += 1;
                last.times
                    .set_text_content(Some(&format!("×{}", last.count)));
                return;
            }
        }
        let time = js_sys::Date::new_0();
        let stamp = format!(
            "{:02}:{:02}:{:02}.{:03}",
            time.get_hours(),
            time.get_minutes(),
            time.get_seconds(),
            time.get_milliseconds()
        );
        let parts = (
            self.element("li", kind.class(), ""),
            self.element("time", "", &stamp),
            self.element("span", "tag", tag),
            self.element("span", "", text),
            self.element("span", "times", ""),
        );
        let (Some(line), Some(stamp), Some(tag), Some(text), Some(times)) = parts else {
            return;
        };
        for part in [&stamp, &tag, &text, &times] {
            let _ = line.append_child(part);
        }
        let _ = self.log.append_child(&line);
        while self.log.child_element_count() > LOG_LINES {
            if let Some(first) = self.log.first_element_child() {
                first.remove();
            }
        }
        self.log.set_scroll_top(self.log.scroll_height());
        *self.last_line.borrow_mut() = Some(LastLine {
            key,
            times,
            count: 1,
        });
    }

    /// Logs a message that arrived and counts it.
    pub fn received(&self, message: &Message) {
        let (text, bytes) = describe(message);
        self.count_in(bytes);
        self.log(Kind::In, "received", &text);
    }

    /// Logs a message handed to the browser and counts it.
    pub fn sent(&self, message: &Message) {
        let (text, bytes) = describe(message);
        self.count_out(bytes);
        self.log(Kind::Out, "sent", &text);
    }

    // --- the image preview ---------------------------------------------------------------------

    /// Shows `blob` as the echoed image, through an object URL; the previous URL is revoked.
    pub fn show_image(&self, blob: &web_sys::Blob, caption: &str) {
        let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
            self.log(Kind::Error, "preview", "could not make an object URL");
            return;
        };
        self.preview_image.set_src(&url);
        if let Some(old) = self.preview_url.replace(Some(url)) {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        self.preview_caption.set_text_content(Some(caption));
        self.preview.set_hidden(false);
    }

    // --- the throttled sender --------------------------------------------------------------

    pub fn throttle_started(&self, count: u32) {
        self.throttle.set_disabled(true);
        self.throttle_progress.set_max(f64::from(count));
        self.throttle_progress.set_value(0.0);
        self.plot.borrow_mut().clear();
        self.throttle_status.set_text_content(Some("starting"));
    }

    pub fn throttle_progress(&self, sent: u32, elapsed_ms: f64) {
        self.throttle_progress.set_value(f64::from(sent));
        let rate = f64::from(sent) / (elapsed_ms / 1000.0).max(0.001);
        self.throttle_status
            .set_text_content(Some(&format!("{sent} sent, {rate:.0} messages/s")));
    }

    /// The run ended: `outcome` says how.
    pub fn throttle_finished(&self, outcome: &str, open: bool) {
        self.throttle_status.set_text_content(Some(outcome));
        self.throttle.set_disabled(!open);
    }

    /// Adds a bufferedAmount sample to the plot and redraws it.
    pub fn plot_sample(&self, at_ms: f64, amount: u32) {
        let mut plot = self.plot.borrow_mut();
        plot.push((at_ms, amount));
        let end = plot.last().map_or(1.0, |p| p.0).max(1.0);
        let peak = plot.iter().map(|p| p.1).max().unwrap_or(0);
        let scale = f64::from(peak.max(1));
        let points: Vec<String> = plot
            .iter()
            .map(|&(t, amount)| {
                let x = t / end * PLOT_WIDTH;
                let y = PLOT_HEIGHT - f64::from(amount) / scale * (PLOT_HEIGHT - 5.0);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = self.plot_line.set_attribute("points", &points.join(" "));
        self.plot_peak.set_text_content(Some(&peak.to_string()));
    }

    fn element(&self, name: &str, class: &str, text: &str) -> Option<Element> {
        let element = self.document.create_element(name).ok()?;
        element.set_class_name(class);
        element.set_text_content(Some(text));
        Some(element)
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        if let Some(url) = self.preview_url.take() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "none"
    } else {
        s
    }
}

/// A message as a log line (text as is, binary as size and first bytes) and its size in bytes.
fn describe(message: &Message) -> (String, u64) {
    match message {
        Message::Text(text) => (format!("text {text:?}"), text.len() as u64),
        Message::Binary(bytes) => {
            let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
            let more = if bytes.len() > 8 { " …" } else { "" };
            (
                format!("binary, {} bytes: {}{more}", bytes.len(), head.join(" ")),
                bytes.len() as u64,
            )
        }
        Message::Blob(blob) => {
            let size = blob.size() as u64;
            (format!("raw Blob, {size} bytes (not copied)"), size)
        }
    }
}

/// Shows an uncaught error or a panic in a banner at the top (the end-to-end tests fail on it).
/// Looks the banner up itself, so that the panic hook can call it.
pub fn show_fatal(message: &str) {
    web_sys::console::error_1(&message.into());
    let banner = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("errors"))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(banner) = banner {
        let old = banner.text_content().unwrap_or_default();
        banner.set_text_content(Some(&format!("{old}{message}\n")));
        banner.set_hidden(false);
    }
}
