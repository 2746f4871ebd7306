//! Several `consult serve` processes on one database, as behind a load
//! balancer: one response per submission_id whichever instance receives it,
//! and every instance answers the same results.
mod common;

use common::{Backend, Q1_CODES, Server, count_of, results, run_cli, submit, varied_answers};
use uuid::Uuid;

async fn two_instances_share_one_database(backend: Backend) {
    let db = common::test_db(backend);
    let (ok, out, err) = run_cli(&["--database", &db.url, "migrate"]);
    assert!(ok, "migrate failed: {out}{err}");
    let client =
        common::authed_client(&common::create_user(&db.url, "staff@example.org", "staff").token);
    let (a, b) = (Server::start(&db.url), Server::start(&db.url));
    a.ready(&client).await;
    b.ready(&client).await;

    // A builds its results before anything is stored; what B stores later
    // must still show up in A's answer.
    assert_eq!(results(&client, &a.base).await["responses"], 0);

    // 40 distinct responses through each instance.
    let mut tasks = Vec::new();
    for i in 0..80 {
        let (client, base) = (client.clone(), [&a.base, &b.base][i % 2].clone());
        tasks.push(tokio::spawn(async move {
            submit(&client, &base, &varied_answers(i), Some(Uuid::now_v7())).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task").0, 201);
    }

    // 20 submissions each sent to both instances at the same moment.
    let mut raced = Vec::new();
    for i in 0..20 {
        let sid = Uuid::now_v7();
        let answers = varied_answers(i);
        let (ca, cb) = (client.clone(), client.clone());
        let (ba, bb) = (a.base.clone(), b.base.clone());
        let (aa, ab) = (answers.clone(), answers);
        raced.push(tokio::spawn(async move {
            tokio::join!(
                async move { submit(&ca, &ba, &aa, Some(sid)).await },
                async move { submit(&cb, &bb, &ab, Some(sid)).await }
            )
        }));
    }
    for t in raced {
        let ((sa, va), (sb, vb)) = t.await.expect("task");
        let mut statuses = [sa, sb];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "one stores, the other finds it");
        assert_eq!(va["id"], vb["id"]);
        assert_eq!(va["receipt"], vb["receipt"]);
    }

    let (ra, rb) = (
        results(&client, &a.base).await,
        results(&client, &b.base).await,
    );
    assert_eq!(ra, rb, "both instances answer the same");
    assert_eq!(ra["responses"], 100);
    // q1 cycles through its four options: 80 → 20 each; 20 raced → 5 each.
    for code in Q1_CODES {
        assert_eq!(count_of(&ra, "q1", code), 25, "q1 {code}");
    }

    // Stored once per submission, whatever each instance has in memory.
    let store = consult::storage::Store::open(&db.url).expect("open");
    let counts: std::collections::HashMap<_, _> =
        store.table_counts().expect("counts").into_iter().collect();
    assert_eq!(counts["responses"], 100);
}

on_both_backends!(two_instances_share_one_database);
