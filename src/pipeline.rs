//! Pages of work shared by two threads: the caller's thread reads pages
//! and works on each one the other thread is not free to take, so neither
//! waits for the other; the results come back in page order. Or, where
//! each page must be used in turn, made on one thread and used on the
//! other.
use std::collections::BTreeMap;
use std::sync::mpsc;

/// Runs `read`, which hands pages to the function it is given, and `work`
/// on every page, handing each page's result to `take` in the order the
/// pages were read, as soon as it and those before it are done. Returns
/// what `read` returned.
pub fn shared<T, R, V, E>(
    read: impl FnOnce(&mut dyn FnMut(T)) -> Result<V, E>,
    work: impl Fn(T) -> R + Sync,
    mut take: impl FnMut(R),
) -> Result<V, E>
where
    T: Send,
    R: Send,
{
    let (tx, rx) = mpsc::sync_channel::<(usize, T)>(1);
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    let work = &work;
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || {
            for (n, page) in rx {
                if done_tx.send((n, work(page))).is_err() {
                    break;
                }
            }
        });
        // Results done out of turn wait here for those before them.
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0;
        let mut hand_over = |waiting: &mut BTreeMap<usize, R>| {
            while let Some(r) = waiting.remove(&next) {
                take(r);
                next += 1;
            }
        };
        let mut n = 0;
        let read = read(&mut |page| {
            match tx.try_send((n, page)) {
                Ok(()) => {}
                Err(mpsc::TrySendError::Full((_, page)))
                | Err(mpsc::TrySendError::Disconnected((_, page))) => {
                    waiting.insert(n, work(page));
                }
            }
            n += 1;
            waiting.extend(done_rx.try_iter());
            hand_over(&mut waiting);
        });
        drop(tx);
        // A panic there is a bug: it goes on as a panic here.
        helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let value = read?;
        waiting.extend(done_rx.try_iter());
        hand_over(&mut waiting);
        Ok(value)
    })
}

/// Makes the items of `items` on a second thread, each while the caller
/// uses the one before in `use_each`. Stops at the first error.
pub fn ahead<T: Send, E>(
    items: impl Iterator<Item = T> + Send,
    mut use_each: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let (tx, rx) = mpsc::sync_channel::<T>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                // The caller stopped: nothing more is wanted.
                if tx.send(item).is_err() {
                    break;
                }
            }
        });
        for item in rx {
            use_each(item)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::{ahead, shared};

    #[test]
    fn every_page_is_worked_once_and_handed_over_in_order() {
        let mut results = Vec::new();
        let value = shared(
            |give: &mut dyn FnMut(Vec<u32>)| {
                for p in 0..50u32 {
                    give((p * 10..p * 10 + 10).collect());
                }
                Ok::<_, ()>("read")
            },
            |page: Vec<u32>| page.iter().sum::<u32>(),
            |r| results.push(r),
        )
        .expect("shared");
        assert_eq!(value, "read");
        let expected: Vec<u32> = (0..50u32).map(|p| (p * 10..p * 10 + 10).sum()).collect();
        assert_eq!(results, expected);
    }

    #[test]
    fn a_failed_read_is_returned() {
        let r = shared(
            |give: &mut dyn FnMut(u8)| {
                give(1);
                Err::<(), _>("broken")
            },
            |x: u8| x,
            |_| {},
        );
        assert_eq!(r.err(), Some("broken"));
    }

    #[test]
    fn items_made_ahead_are_used_in_order_until_an_error() {
        let mut seen = Vec::new();
        let all = ahead(0..100u32, |x| {
            seen.push(x);
            Ok::<_, ()>(())
        });
        assert_eq!(all, Ok(()));
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        let mut used = 0;
        let stopped = ahead(0.., |x: u64| {
            used += 1;
            if x == 3 { Err("at 3") } else { Ok(()) }
        });
        assert_eq!((stopped, used), (Err("at 3"), 4));
    }
}
