//! The statistics behind a breakdown, each tested against values worked
//! out by hand (the formulas are in the comments).
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// z for a two-sided 95% interval: the 0.975 quantile of the normal.
pub const Z95: f64 = 1.959963984540054;

/// A 95% interval on the percentage scale (0–100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

/// `k` of `n` as a percentage; None when n = 0.
pub fn percent(k: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| 100.0 * k as f64 / n as f64)
}

/// Wilson score interval for `k` successes in `n`:
/// centre (p + z²/2n) / (1 + z²/n), half-width
/// z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²). Unlike p ± z·se it stays
/// inside 0–100 and is sound for small n and for p near 0 or 1.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        lower: (100.0 * (centre - half)).clamp(0.0, 100.0),
        upper: (100.0 * (centre + half)).clamp(0.0, 100.0),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: u32,
    pub p_value: f64,
    /// Some expected count is below 5: the p-value is not to be trusted.
    pub low_expected_counts: bool,
}

/// Pearson's chi-square test of independence on a table of counts (rows
/// are groups, columns options), without continuity correction. Rows and
/// columns whose total is zero are left out first; None when fewer than
/// two of either remain. Expected count E = row total × column total / N;
/// statistic Σ (O − E)² / E with (r − 1)(c − 1) degrees of freedom.
pub fn chi_square(table: &[Vec<u64>]) -> Option<ChiSquare> {
    let cols = table.first().map_or(0, Vec::len);
    let col_totals: Vec<u64> = (0..cols)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let keep_cols: Vec<usize> = (0..cols).filter(|&j| col_totals[j] > 0).collect();
    let rows: Vec<Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<u64>() > 0)
        .map(|r| keep_cols.iter().map(|&j| r[j] as f64).collect())
        .collect();
    if rows.len() < 2 || keep_cols.len() < 2 {
        return None;
    }
    let row_totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..keep_cols.len())
        .map(|j| rows.iter().map(|r| r[j]).sum())
        .collect();
    let n: f64 = row_totals.iter().sum();
    let mut statistic = 0.0;
    let mut low = false;
    for (i, row) in rows.iter().enumerate() {
        for (j, &observed) in row.iter().enumerate() {
            let expected = row_totals[i] * col_totals[j] / n;
            low |= expected < 5.0;
            statistic += (observed - expected).powi(2) / expected;
        }
    }
    let df = ((rows.len() - 1) * (keep_cols.len() - 1)) as u32;
    let p_value = ChiSquared::new(f64::from(df)).ok()?.sf(statistic);
    Some(ChiSquare {
        statistic,
        df,
        p_value,
        low_expected_counts: low,
    })
}

/// "N in 10" for a percentage, as reports say it. The nearest tenth when
/// within one percentage point of it; "almost N in 10" when one to three
/// points short of it; "more than N in 10" when one to three points over;
/// further away, "more than" the tenth below.
/// 80.2 → "8 in 10"; 68.3 → "almost 7 in 10"; 61.5 → "more than 6 in 10";
/// 45.2 → "more than 4 in 10". Below 9: "fewer than 1 in 10"; 0 and 100
/// are "none" and "all".
pub fn in_ten(percent: f64) -> String {
    if percent <= 0.0 {
        return "none".into();
    }
    if percent >= 100.0 {
        return "all".into();
    }
    if percent < 9.0 {
        return "fewer than 1 in 10".into();
    }
    let nearest = (percent / 10.0).round();
    let diff = percent - nearest * 10.0;
    let n = nearest as i64;
    if diff.abs() <= 1.0 {
        format!("{n} in 10")
    } else if (-3.0..-1.0).contains(&diff) {
        format!("almost {n} in 10")
    } else if diff > 1.0 && diff <= 3.0 {
        format!("more than {n} in 10")
    } else {
        format!("more than {} in 10", (percent / 10.0).floor() as i64)
    }
}

/// A share said in words when it is a simple fraction exactly
/// ("exactly three quarters"), else by `in_ten`.
pub fn share_in_words(k: u64, n: u64) -> String {
    let exact = [
        (1, 4, "a quarter"),
        (1, 2, "half"),
        (3, 4, "three quarters"),
        (1, 3, "a third"),
        (2, 3, "two thirds"),
    ];
    for (a, b, words) in exact {
        if n > 0 && k * b == n * a {
            return format!("exactly {words}");
        }
    }
    percent(k, n).map_or_else(|| "none".into(), in_ten)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn wilson_by_hand() {
        // 8 of 10: p = .8, z² = 3.841459; centre = (.8 + .192073) / 1.384146
        // = .716742; half = 1.959964 / 1.384146 × √(.016 + .009604) = .226579.
        let i = wilson(8, 10).unwrap_or_else(|| panic!("n > 0"));
        assert!(close(i.lower, 49.016247153664175), "{i:?}");
        assert!(close(i.upper, 94.33178485456249), "{i:?}");
        // 0 of 10 and 10 of 10: bounded by 0 and 100, not beyond.
        let zero = wilson(0, 10).unwrap_or_else(|| panic!("n > 0"));
        assert_eq!(zero.lower, 0.0);
        assert!(close(zero.upper, 27.75327998628892));
        let all = wilson(10, 10).unwrap_or_else(|| panic!("n > 0"));
        assert!(close(all.lower, 72.24672001371107));
        assert!(all.upper <= 100.0 && all.upper > 99.999);
        let q11 = wilson(189, 252).unwrap_or_else(|| panic!("n > 0"));
        assert!(close(q11.lower, 69.30541212394826) && close(q11.upper, 79.9438380096303));
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn percentages_by_hand() {
        assert_eq!(percent(189, 252), Some(75.0));
        assert_eq!(percent(1, 3).map(|p| (p * 1e6).round()), Some(33_333_333.0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn chi_square_by_hand() {
        // [[10, 20], [30, 40]]: totals 30, 70 / 40, 60, N = 100; E = 12, 18,
        // 28, 42; statistic = 4/12 + 4/18 + 4/28 + 4/42 = .793651; df 1;
        // p = erfc(√(statistic / 2)) = .372998.
        let t = chi_square(&[vec![10, 20], vec![30, 40]]).unwrap_or_else(|| panic!("2×2"));
        assert!(close(t.statistic, 0.7936507936507936));
        assert_eq!(t.df, 1);
        assert!((t.p_value - 0.37299848361348714).abs() < 1e-9, "{t:?}");
        assert!(!t.low_expected_counts);
        // [[10, 20, 30], [20, 20, 20]]: E = 15, 20, 25 in both rows;
        // statistic = 2 × (25/15 + 0 + 25/25) = 5.333333; df 2; p = e^(−s/2).
        let t = chi_square(&[vec![10, 20, 30], vec![20, 20, 20]]).unwrap_or_else(|| panic!("2×3"));
        assert!(close(t.statistic, 5.333333333333334));
        assert_eq!(t.df, 2);
        assert!((t.p_value - 0.06948345122280151).abs() < 1e-9);
    }

    #[test]
    fn chi_square_drops_empty_rows_and_columns_and_flags_small_expectations() {
        // The empty row and column change nothing but the shape.
        let t = chi_square(&[vec![10, 20, 0], vec![0, 0, 0], vec![30, 40, 0]])
            .unwrap_or_else(|| panic!("2×2 left"));
        assert!(close(t.statistic, 0.7936507936507936));
        assert_eq!(t.df, 1);
        // [[1, 2], [3, 4]]: E = 1.2 ... below 5.
        let small = chi_square(&[vec![1, 2], vec![3, 4]]).unwrap_or_else(|| panic!("2×2"));
        assert!(small.low_expected_counts);
        assert_eq!(chi_square(&[vec![5, 5]]), None, "one group: no test");
        assert_eq!(
            chi_square(&[vec![5, 0], vec![7, 0]]),
            None,
            "one option used"
        );
        assert_eq!(chi_square(&[]), None);
    }

    #[test]
    fn in_ten_rounding_rule() {
        assert_eq!(in_ten(80.16), "8 in 10"); // 202 of 252
        assert_eq!(in_ten(68.25), "almost 7 in 10"); // 172 of 252
        assert_eq!(in_ten(59.92), "6 in 10"); // 151 of 252
        assert_eq!(in_ten(61.5), "more than 6 in 10");
        assert_eq!(in_ten(79.0), "8 in 10"); // exactly one point short
        assert_eq!(in_ten(78.9), "almost 8 in 10");
        assert_eq!(in_ten(45.0), "more than 4 in 10"); // 5 points from 5 in 10
        assert_eq!(in_ten(45.24), "more than 4 in 10"); // 114 of 252
        assert_eq!(in_ten(67.0), "almost 7 in 10"); // exactly 3 points short
        assert_eq!(in_ten(66.9), "more than 6 in 10");
        assert_eq!(in_ten(5.0), "fewer than 1 in 10");
        assert_eq!(in_ten(9.5), "1 in 10");
        assert_eq!(in_ten(96.0), "more than 9 in 10");
        assert_eq!(in_ten(0.0), "none");
        assert_eq!(in_ten(100.0), "all");
        assert_eq!(share_in_words(189, 252), "exactly three quarters");
        assert_eq!(share_in_words(126, 252), "exactly half");
        assert_eq!(share_in_words(202, 252), "8 in 10");
        assert_eq!(share_in_words(0, 0), "none");
    }
}
