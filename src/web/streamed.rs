//! A response body written by blocking code on its own thread and sent
//! while it is written, so that a large download is never held whole.
use actix_web::web::Bytes;
use futures_util::Stream;
use std::io::{self, Write};
use tokio::sync::mpsc;

/// Bytes per chunk sent.
const CHUNK: usize = 256 * 1024;

struct ChannelWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<io::Result<Bytes>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client has gone"))
    }
}

/// The body `write` writes, on a thread named `name`. A failure part-way
/// ends the body with an error, which aborts the response: the client
/// sees an incomplete download, never a complete-looking wrong one.
pub fn body<F>(name: &str, write: F) -> impl Stream<Item = Result<Bytes, actix_web::Error>>
where
    F: FnOnce(&mut dyn Write) -> Result<(), String> + Send + 'static,
{
    // A few chunks in flight: the writer waits for a slow client.
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let failed = tx.clone();
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let mut w = ChannelWriter {
                buf: Vec::with_capacity(CHUNK),
                tx,
            };
            let result = write(&mut w).and_then(|()| w.flush().map_err(|e| e.to_string()));
            if let Err(e) = result {
                tracing::error!(error = %e, "a download failed part-way");
                let _ = failed.blocking_send(Err(io::Error::other(e)));
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start a download's writer");
    }
    futures_util::stream::unfold(rx, |mut rx| async move {
        let item = rx.recv().await?;
        Some((item.map_err(actix_web::error::ErrorInternalServerError), rx))
    })
}
