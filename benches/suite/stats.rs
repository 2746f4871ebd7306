//! Summaries of timings and how figures are printed.
use std::time::{Duration, Instant};

/// Median and 95th/99th percentiles of a sample, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub p95: f64,
    pub p99: f64,
}

pub fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let at = |q: f64| -> f64 {
        if samples.is_empty() {
            return f64::NAN;
        }
        // Nearest rank: the smallest value with at least q of the sample at or below it.
        let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1].as_secs_f64() * 1000.0
    };
    Summary {
        median: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
    }
}

/// Runs `f` `runs` times after `warmup` untimed runs.
pub fn time<T>(warmup: usize, runs: usize, mut f: impl FnMut() -> T) -> Summary {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    let samples = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    summarise(samples)
}

/// One line of the results table.
pub struct Figure {
    pub what: String,
    pub size: String,
    pub value: String,
    pub target: String,
    pub verdict: &'static str,
}

#[derive(Default)]
pub struct Table {
    pub rows: Vec<Figure>,
}

impl Table {
    /// Records a figure and prints it at once, so a long run shows progress.
    pub fn add(&mut self, what: &str, size: &str, value: String, target: &str, ok: Option<bool>) {
        let verdict = match ok {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "",
        };
        println!("  {what} [{size}]: {value} {target} {verdict}");
        self.rows.push(Figure {
            what: what.to_owned(),
            size: size.to_owned(),
            value,
            target: target.to_owned(),
            verdict,
        });
    }

    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| figure | stored responses | measured | target | |\n|---|---|---|---|---|\n",
        );
        for f in &self.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                f.what, f.size, f.value, f.target, f.verdict
            ));
        }
        out
    }
}

pub fn ms(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.0} ms")
    }
}

pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
