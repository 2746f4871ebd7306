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

/// Ends the body with an error unless told it is complete: a writer that
/// panics, returns early or never starts must not look like a finished
/// download to the client.
struct Unfinished(Option<mpsc::Sender<io::Result<Bytes>>>);

impl Unfinished {
    fn complete(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        let Some(tx) = self.0.take() else { return };
        tracing::error!("a download stopped before its end");
        let e = Err(io::Error::other("the download stopped before its end"));
        // Dropped on the writer's own thread, it may wait for room; dropped
        // on an async worker (the thread never started), the channel is
        // still empty.
        let _ = if tokio::runtime::Handle::try_current().is_ok() {
            tx.try_send(e).map_err(drop)
        } else {
            tx.blocking_send(e).map_err(drop)
        };
    }
}

/// The body `write` writes, on a thread named `name`. A failure part-way,
/// including a panic, ends the body with an error, which aborts the
/// response: the client sees an incomplete download, never a
/// complete-looking wrong one.
pub fn body<F>(name: &str, write: F) -> impl Stream<Item = Result<Bytes, actix_web::Error>>
where
    F: FnOnce(&mut dyn Write) -> Result<(), String> + Send + 'static,
{
    // A few chunks in flight: the writer waits for a slow client.
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let unfinished = Unfinished(Some(tx.clone()));
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let mut w = ChannelWriter {
                buf: Vec::with_capacity(CHUNK),
                tx,
            };
            match write(&mut w).and_then(|()| w.flush().map_err(|e| e.to_string())) {
                Ok(()) => unfinished.complete(),
                // `unfinished` sends the error as it is dropped.
                Err(e) => tracing::error!(error = %e, "a download failed part-way"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    /// Everything the stream yields: the bytes, then whether it ended with
    /// an error.
    async fn drain(s: impl Stream<Item = Result<Bytes, actix_web::Error>>) -> (Vec<u8>, bool) {
        let mut s = std::pin::pin!(s);
        let (mut bytes, mut failed) = (Vec::new(), false);
        while let Some(item) = s.next().await {
            match item {
                Ok(b) => bytes.extend_from_slice(&b),
                Err(_) => failed = true,
            }
        }
        (bytes, failed)
    }

    #[actix_web::test]
    async fn a_complete_body_ends_cleanly() {
        let data = vec![7u8; CHUNK * 2 + 5];
        let expected = data.clone();
        let (bytes, failed) = drain(body("t", move |w| {
            w.write_all(&data).map_err(|e| e.to_string())
        }))
        .await;
        assert_eq!(bytes, expected);
        assert!(!failed);
    }

    #[actix_web::test]
    async fn a_writer_that_fails_or_panics_part_way_ends_with_an_error() {
        let (bytes, failed) = drain(body("t", |w| {
            w.write_all(&[1; CHUNK + 1]).map_err(|e| e.to_string())?;
            Err("the disk is full".into())
        }))
        .await;
        assert_eq!(bytes.len(), CHUNK + 1);
        assert!(failed);
        let (bytes, failed) = drain(body("t", |w| {
            w.write_all(&[1; CHUNK + 1]).map_err(|e| e.to_string())?;
            panic!("a bug part-way");
        }))
        .await;
        assert_eq!(bytes.len(), CHUNK + 1);
        assert!(failed, "a panic must not look like the end of the file");
    }

    /// Through the server: the client's read of the body fails.
    #[actix_web::test]
    async fn the_client_sees_an_aborted_transfer() {
        use actix_web::{App, HttpResponse, test, web};
        let app = test::init_service(App::new().route(
            "/",
            web::get().to(|| async {
                HttpResponse::Ok().streaming(body("t", |w| {
                    w.write_all(&[1; CHUNK * 2]).map_err(|e| e.to_string())?;
                    panic!("a bug part-way");
                }))
            }),
        ))
        .await;
        let res = test::call_service(&app, test::TestRequest::get().to_request()).await;
        assert_eq!(res.status(), 200);
        assert!(actix_web::body::to_bytes(res.into_body()).await.is_err());
    }
}
